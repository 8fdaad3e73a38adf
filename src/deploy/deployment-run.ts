import { HonuaError, isHonuaError } from '../errors/index.js';
import type { DeploymentRecord, Step } from './deployment-record.js';
import { assertTransition, type DeploymentState, isTerminal } from './deployment-state.js';
import type { DeployWorkspace } from './deploy-workspace.js';
import type { Lease } from './state-store.js';

/**
 * One process working on one deployment, holding the environment's lease. Every change to the
 * record is written (compare-and-set, fenced by the lease) before the work that follows it: a
 * transition before the next phase's side effects, a step right after it is done, so a process
 * killed at any point leaves a record that says exactly what was done. Steps are keyed
 * (backup, migrate:<name>, snapshot, ...): a resumed deployment skips the ones already done.
 */
export class DeploymentRun {
  private revision: number;
  private entered: number;
  private renewal: NodeJS.Timeout | undefined;
  private leaseError: unknown;

  constructor(
    readonly ws: DeployWorkspace,
    readonly lease: Lease,
    public record: DeploymentRecord,
    revision: number,
    readonly actor: string,
  ) {
    this.revision = revision;
    this.entered = ws.clock().getTime();
    // The lease is renewed while the work goes on; a lost lease stops the next write.
    this.renewal = setInterval(() => void lease.renew().catch((error: unknown) => (this.leaseError = error)), Math.max(1_000, Math.floor(ws.leaseTtlMs / 3)));
    this.renewal.unref();
  }

  get id(): string {
    return this.record.id;
  }

  now(): Date {
    return this.ws.clock();
  }

  async save(): Promise<void> {
    if (this.leaseError) throw this.leaseError;
    this.record.updatedAt = this.now().toISOString();
    this.revision = await this.ws.store.saveDeployment(this.lease, this.record, this.revision);
  }

  /** Moves to `to` (a legal transition), persisting it before anything of the next phase happens. */
  async move(to: DeploymentState, reason: string): Promise<void> {
    const from = this.record.state;
    assertTransition(from, to, this.record.id);
    const now = this.now();
    this.record.timings[from] = (this.record.timings[from] ?? 0) + Math.max(0, now.getTime() - this.entered);
    this.entered = now.getTime();
    this.record.transitions.push({ from, to, at: now.toISOString(), actor: this.actor, reason });
    this.record.state = to;
    if (isTerminal(to)) {
      this.record.finishedAt = now.toISOString();
      this.record.durationMs = now.getTime() - new Date(this.record.createdAt).getTime();
    }
    await this.save();
    this.ws.events?.({ type: 'transition', id: this.id, from, to, reason, at: now.toISOString() });
    this.ws.failpoint(`after-transition:${to}`);
  }

  done(key: string): Step | undefined {
    return this.record.steps.find((s) => s.key === key);
  }

  /** Runs a step once: skipped when the record says it was done (a resumed deployment). */
  async step(key: string, fn: () => Promise<string>): Promise<Step> {
    const existing = this.done(key);
    if (existing) {
      this.ws.events?.({ type: 'step', id: this.id, key, detail: existing.detail, durationMs: 0, skipped: true });
      return existing;
    }
    const started = performance.now();
    const detail = await fn();
    const step: Step = { key, at: this.now().toISOString(), durationMs: Math.round(performance.now() - started), detail };
    this.record.steps.push(step);
    await this.save();
    this.ws.events?.({ type: 'step', id: this.id, key, detail, durationMs: step.durationMs });
    this.ws.failpoint(`after-step:${key}`);
    return step;
  }

  /** Records why the deployment failed (the first error only: a rollback's own failure is in its steps). */
  recordError(error: unknown): void {
    if (this.record.error) return;
    const e = isHonuaError(error) ? error : new HonuaError('internal-error', error instanceof Error ? error.message : String(error), { cause: error });
    this.record.error = { code: e.code, message: e.message, fault: e.fault, ...(e.hint ? { hint: e.hint } : {}), phase: this.record.state };
  }

  note(message: string): void {
    this.ws.events?.({ type: 'note', id: this.id, message });
  }

  async end(): Promise<void> {
    clearInterval(this.renewal);
    this.renewal = undefined;
    await this.lease.release();
  }
}
