import { canonicalEnvironment, isProduction } from '../config/index.js';
import { HonuaError, isHonuaError, UsageError } from '../errors/index.js';
import { checkApproval, isApproved } from './approvals.js';
import { deploymentId } from './deployment-id.js';
import type { Actor, DeploymentKind, DeploymentRecord } from './deployment-record.js';
import { DeploymentRun } from './deployment-run.js';
import { hasChangedSomething, isRunning, isTerminal } from './deployment-state.js';
import type { DeployWorkspace } from './deploy-workspace.js';
import { describeOwner } from './lock-owner.js';
import { applyPhase, backupPhase } from './phase-apply.js';
import { continueApproved, planPhase, validatePhase } from './phase-plan.js';
import { rollbackPhase } from './phase-rollback.js';
import { verifyPhase } from './phase-verify.js';
import type { Lease } from './state-store.js';
import type { User } from './users.js';

/**
 * The deployer drives deployments through their states (deployment-state.ts), one environment
 * at a time: every entry point takes the environment's lease first, finishes (resumes) any
 * deployment a dead process left running, and then works. A deployment stops where it must wait
 * — for a person (AwaitingApproval) or the clock (Pending with notBefore) — and whoever continues
 * it later (an approval, `honua deployment resume`, the server) picks it up from its record.
 */
export interface StartRequest {
  environment: string;
  kind: DeploymentKind;
  /** Branch, tag or commit (default HEAD); ignored by dev-apply (the working tree). */
  ref?: string | undefined;
  requester: Actor;
  autoApprove?: boolean | undefined;
  force?: boolean | undefined;
  migration?: string | undefined;
  /** rollback: the deployment (id) or commit to go back to; default the one before the active. */
  rollbackTo?: { deployment?: string | undefined; commit?: string | undefined } | undefined;
  restore?: { includeDatabase: boolean; backupId?: string | undefined } | undefined;
  /** How long to wait for another process's lease. */
  waitMs?: number | undefined;
  /** Run at this time, not before (approvals may come earlier); the caller checked it is inside the policy's window. */
  scheduledFor?: Date | undefined;
  /** A scheduled deployment not started by then expires. */
  notAfter?: Date | undefined;
}

export interface ApproveRequest {
  id: string;
  decision: 'approved' | 'rejected';
  user?: User | undefined;
  actor: Actor;
  comment?: string | undefined;
  waitMs?: number | undefined;
}

export class Deployer {
  constructor(private readonly ws: DeployWorkspace) {}

  private async lease(environment: string, waitMs = 0): Promise<Lease> {
    return this.ws.store.acquire(environment, this.ws.owner, { ttlMs: this.ws.leaseTtlMs, waitMs, now: () => this.ws.clock() });
  }

  /** Runs `fn` holding the environment's lease, after resuming what a dead process left running. */
  private async holding<T>(environment: string, waitMs: number, fn: (lease: Lease) => Promise<T>, options: { recover?: boolean } = {}): Promise<T> {
    const lease = await this.lease(environment, waitMs);
    try {
      if (options.recover !== false) await this.recover(lease, environment);
      return await fn(lease);
    } finally {
      await lease.release();
    }
  }

  /** Deployments a process left in a running state (it died holding the lease): resumed from their records. */
  private async recover(lease: Lease, environment: string): Promise<void> {
    for (const r of await this.ws.store.listDeployments(environment, 20)) {
      if (!isRunning(r.state)) continue;
      const stored = await this.ws.store.getDeployment(r.id);
      if (!stored) continue;
      const run = new DeploymentRun(this.ws, lease, stored.value, stored.revision, 'engine');
      run.note(`resuming ${r.id}, interrupted in ${r.state}`);
      try {
        await this.drive(run);
      } finally {
        await run.end();
      }
    }
  }

  async start(request: StartRequest): Promise<DeploymentRecord> {
    const ws = this.ws;
    const environment = canonicalEnvironment(request.environment);
    if (request.kind === 'dev-apply' && isProduction(environment)) {
      throw new UsageError('not-for-production', 'honua dev apply deploys the working tree, which production never takes', {
        hint: 'Commit, then honua deploy -e production.',
      });
    }
    const now = ws.clock();
    let commit: string;
    let dirty = false;
    let commitTime: string | undefined;
    let author: { name: string; email: string } | undefined;
    let snapshot: string | undefined;
    let rollbackOf: string | undefined;
    if (request.kind === 'rollback') {
      const target = await this.rollbackTarget(environment, request.rollbackTo);
      commit = target.commit;
      snapshot = target.snapshot;
      rollbackOf = target.id;
    } else {
      const info = await ws.commit(request.kind === 'dev-apply' ? undefined : (request.ref ?? 'HEAD'));
      if (!info && request.kind !== 'dev-apply') {
        throw new UsageError('not-a-git-repo', 'the config repository is not a git repository, so there is no commit to deploy', {
          hint: 'Deploy from a git repository, or use honua dev apply for a working tree.',
        });
      }
      commit = info?.commit ?? 'working-tree';
      commitTime = info?.time;
      author = info?.author;
      dirty = request.kind === 'dev-apply' && (await ws.dirty());
    }
    const envState = (await ws.store.getEnvironment(environment)).value;
    const quarantine = envState.quarantined.find((q) => q.commit === commit);
    if (quarantine && !request.force && request.kind !== 'rollback') {
      throw new HonuaError('commit-quarantined', `${commit.slice(0, 7)} was rolled back in ${environment} (${quarantine.deploymentId}: ${quarantine.reason})`, {
        hint: 'Fix it in a newer commit, or pass --force to deploy it anyway.',
        data: { quarantine },
      });
    }
    return this.holding(environment, request.waitMs ?? 0, async (lease) => {
      let id = deploymentId(environment, now, commit);
      for (let n = 2; await ws.store.getDeployment(id); n++) id = `${deploymentId(environment, now, commit)}-${n}`;
      await this.supersede(lease, environment, id);
      const record: DeploymentRecord = {
        schemaVersion: 'honua.deployment/v1',
        id,
        kind: request.kind,
        environment,
        state: 'Pending',
        ref: request.kind === 'dev-apply' ? 'working tree' : request.kind === 'rollback' ? `rollback to ${rollbackOf}` : (request.ref ?? 'HEAD'),
        commit,
        ...(dirty ? { dirty: true } : {}),
        ...(commitTime ? { commitTime } : {}),
        ...(author ? { author } : {}),
        requester: request.requester,
        createdAt: now.toISOString(),
        updatedAt: now.toISOString(),
        ...(request.force ? { force: true } : {}),
        ...(request.autoApprove ? { autoApprove: true } : {}),
        ...(request.migration ? { migration: request.migration } : {}),
        ...(request.scheduledFor ? { scheduledFor: request.scheduledFor.toISOString() } : {}),
        ...(request.notAfter ? { notAfter: request.notAfter.toISOString() } : {}),
        ...(rollbackOf ? { rollbackOf } : {}),
        ...(snapshot ? { snapshot } : {}),
        ...(request.restore
          ? { restore: { includeDatabase: request.restore.includeDatabase, ...(request.restore.backupId ? { backupId: request.restore.backupId } : {}) } }
          : {}),
        approvals: [],
        migrationsApplied: [],
        migrationsReverted: [],
        steps: [],
        transitions: [
          {
            from: null,
            to: 'Pending',
            at: now.toISOString(),
            actor: actorLabel(request.requester),
            reason: `${request.kind} ${request.kind === 'dev-apply' ? 'of the working tree' : commit.slice(0, 7)} requested${request.scheduledFor ? ` for ${request.scheduledFor.toISOString()}` : ''}`,
          },
        ],
        timings: {},
      };
      const revision = await ws.store.saveDeployment(lease, record, 0);
      ws.events?.({ type: 'transition', id, from: null, to: 'Pending', reason: record.transitions[0]?.reason ?? '', at: record.createdAt });
      const run = new DeploymentRun(ws, lease, record, revision, actorLabel(request.requester));
      try {
        await this.drive(run);
      } finally {
        await run.end();
      }
      return run.record;
    });
  }

  /** Older deployments still waiting (for an approval or a window) give way to a newer one. */
  private async supersede(lease: Lease, environment: string, by: string): Promise<void> {
    for (const r of await this.ws.store.listDeployments(environment, 20)) {
      if (r.state !== 'Pending' && r.state !== 'AwaitingApproval') continue;
      const stored = await this.ws.store.getDeployment(r.id);
      if (!stored) continue;
      const run = new DeploymentRun(this.ws, lease, stored.value, stored.revision, 'engine');
      try {
        await run.move('Expired', `superseded by ${by}`);
      } finally {
        await run.end();
      }
    }
  }

  private async rollbackTarget(environment: string, to: StartRequest['rollbackTo']): Promise<{ id: string; commit: string; snapshot: string }> {
    const env = (await this.ws.store.getEnvironment(environment)).value;
    const history = (await this.ws.store.listDeployments(environment, 200)).filter((d) => d.state === 'Completed' && d.snapshot);
    let target: DeploymentRecord | undefined;
    if (to?.deployment) {
      target = history.find((d) => d.id === to.deployment);
      if (!target)
        throw new HonuaError('deployment-not-found', `${to.deployment} is not a completed deployment of ${environment} with a snapshot`, {
          hint: `honua deployments ${environment} lists them.`,
        });
    } else if (to?.commit) {
      target = history.find((d) => d.commit.startsWith(to.commit as string));
      if (!target)
        throw new HonuaError('deployment-not-found', `no completed deployment of ${environment} deployed commit ${to.commit}`, {
          hint: `honua deployments ${environment} lists them.`,
        });
    } else {
      target = history.find((d) => d.snapshot !== env.activeSnapshot);
      if (!target)
        throw new HonuaError('nothing-to-roll-back', `${environment} has no earlier completed deployment to roll back to`, {
          hint: `honua deployments ${environment} lists what there is.`,
        });
    }
    if (target.snapshot === env.activeSnapshot)
      throw new HonuaError('nothing-to-roll-back', `${target.id}'s snapshot is the one active in ${environment} already`);
    return { id: target.id, commit: target.commit, snapshot: target.snapshot as string };
  }

  async approve(request: ApproveRequest): Promise<DeploymentRecord> {
    const found = await this.ws.store.getDeployment(request.id);
    if (!found) throw new HonuaError('deployment-not-found', `no deployment ${request.id}`, { hint: 'honua deployments ENV lists them.' });
    return this.holding(found.value.environment, request.waitMs ?? 0, async (lease) => {
      const stored = (await this.ws.store.getDeployment(request.id)) ?? found;
      const run = new DeploymentRun(this.ws, lease, stored.value, stored.revision, actorLabel(request.actor));
      try {
        const now = this.ws.clock();
        if (run.record.state === 'AwaitingApproval' && run.record.approvalDeadline && now > new Date(run.record.approvalDeadline)) {
          await run.move('Expired', `no approval by ${run.record.approvalDeadline}`);
          throw new HonuaError('approval-expired', `the approval of ${run.id} was due by ${run.record.approvalDeadline}; it has expired`, {
            hint: 'Deploy again to plan afresh.',
          });
        }
        const approval = checkApproval(run.record, { decision: request.decision, user: request.user, actor: request.actor, comment: request.comment, now });
        run.record.approvals.push(approval);
        await run.save();
        if (request.decision === 'rejected') {
          await run.move('Rejected', `rejected by ${request.actor.name}${request.comment ? `: ${request.comment}` : ''}`);
          await this.noteLast(run);
        } else {
          run.note(`approved by ${request.actor.name} as ${approval.as}`);
          await this.drive(run);
        }
        return run.record;
      } finally {
        await run.end();
      }
    });
  }

  /** Continues a deployment: one a process left running, or one whose window has opened. */
  async resume(id: string, waitMs = 0): Promise<DeploymentRecord> {
    const found = await this.ws.store.getDeployment(id);
    if (!found) throw new HonuaError('deployment-not-found', `no deployment ${id}`, { hint: 'honua deployments ENV lists them.' });
    return this.holding(
      found.value.environment,
      waitMs,
      async (lease) => {
        const stored = (await this.ws.store.getDeployment(id)) ?? found;
        const run = new DeploymentRun(this.ws, lease, stored.value, stored.revision, 'engine');
        try {
          if (!isTerminal(run.record.state)) await this.drive(run);
          return run.record;
        } finally {
          await run.end();
        }
      },
      { recover: true },
    );
  }

  /** Starts what is due in an environment: Pending deployments whose window has opened, expired approvals. */
  async runDue(environment: string): Promise<DeploymentRecord[]> {
    const due = (await this.ws.store.listDeployments(environment, 20)).filter(
      (r) =>
        (r.state === 'Pending' && (!r.notBefore || new Date(r.notBefore) <= this.ws.clock())) ||
        (r.state === 'AwaitingApproval' && r.approvalDeadline !== undefined && new Date(r.approvalDeadline) < this.ws.clock()),
    );
    const out: DeploymentRecord[] = [];
    for (const r of due) out.push(await this.resume(r.id));
    return out;
  }

  /** The state machine: one phase after another until the deployment ends or must wait. */
  private async drive(run: DeploymentRun): Promise<void> {
    for (;;) {
      const state = run.record.state;
      try {
        switch (state) {
          case 'Pending':
            if (run.record.notAfter && run.now() > new Date(run.record.notAfter)) {
              await run.move('Expired', `not started by ${run.record.notAfter}, the end of the time it was scheduled for`);
              break;
            }
            if (run.record.notBefore && run.now() < new Date(run.record.notBefore)) return;
            await run.move('Validating', run.record.notBefore ? `the wait until ${run.record.notBefore} is over` : 'started');
            break;
          case 'Validating':
            await validatePhase(run);
            break;
          case 'Planning':
            await planPhase(run);
            break;
          case 'AwaitingApproval': {
            if (run.record.approvalDeadline && run.now() > new Date(run.record.approvalDeadline)) {
              await run.move('Expired', `no approval by ${run.record.approvalDeadline}`);
              break;
            }
            if (!isApproved(run.record)) return;
            if ((await continueApproved(run)) === 'waiting') return;
            break;
          }
          case 'BackingUp':
            await backupPhase(run);
            break;
          case 'Applying':
            await applyPhase(run);
            break;
          case 'PostValidating':
            await verifyPhase(run);
            break;
          case 'RollingBack':
            await rollbackPhase(run);
            break;
          default:
            await this.noteLast(run);
            return;
        }
      } catch (error) {
        // Nothing can be written without the lease or over a newer revision: stop at once.
        if (isHonuaError(error) && (error.code === 'lease-lost' || error.code === 'stale-revision')) throw error;
        await this.fail(run, error);
      }
    }
  }

  private async fail(run: DeploymentRun, error: unknown): Promise<void> {
    run.recordError(error);
    const state = run.record.state;
    if (isTerminal(state)) return;
    if (state === 'RollingBack') {
      await run.move('Failed', `the rollback failed: ${(error as Error).message}`);
      return;
    }
    if (hasChangedSomething(state) && run.record.rollbackAutomatic !== false && run.record.kind !== 'rollback') {
      await run.move('RollingBack', `${state} failed: ${(error as Error).message}`);
      return;
    }
    if (hasChangedSomething(state)) {
      const current = await this.ws.store.getEnvironment(run.record.environment);
      await this.ws.store.saveEnvironment(
        run.lease,
        { ...current.value, health: 'Degraded', healthReason: `${run.id} failed in ${state} and was not rolled back: ${(error as Error).message}` },
        current.revision,
      );
    }
    await run.move('Failed', `${state} failed: ${(error as Error).message}`);
  }

  /** The environment remembers its last deployment, whatever its end. */
  private async noteLast(run: DeploymentRun): Promise<void> {
    const current = await this.ws.store.getEnvironment(run.record.environment);
    if (current.value.lastDeployment === run.id) return;
    await this.ws.store.saveEnvironment(run.lease, { ...current.value, lastDeployment: run.id }, current.revision);
  }

  /** Who holds an environment now, for messages. */
  async holder(environment: string): Promise<string | undefined> {
    const h = await this.ws.store.holder(environment);
    return h ? describeOwner(h.owner) : undefined;
  }
}

export const actorLabel = (a: Actor): string => `${a.name}${a.email ? ` <${a.email}>` : ''} via ${a.via}${a.authenticated ? '' : ' (unauthenticated)'}`;
