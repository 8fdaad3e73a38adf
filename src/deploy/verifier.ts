import type { Check } from '../config/index.js';
import { type Database, explain, readOnlyDatabase, runCheck } from '../db/index.js';
import type { CheckResult } from './deployment-record.js';
import type { Snapshot } from './snapshot.js';

/**
 * Post-deployment verification: checks run against what was just deployed. The health-check
 * verifier runs every layer's `validation.healthChecks` against the database — each in a READ
 * ONLY transaction, bounded by the check's timeout — and judges them by their expectations. The
 * server adds its own verifier (OGC conformance, the layers answering) through this interface.
 */
export interface VerifyInput {
  environment: string;
  snapshot: Snapshot;
  /** The snapshot active before this deployment, when there was one (what changed is probed first). */
  previousSnapshot?: Snapshot | undefined;
  database: Database;
  /** Only this layer (name or service::name). */
  layer?: string | undefined;
  onCheck?: (result: CheckResult) => void;
}

export interface Verifier {
  readonly name: string;
  verify(input: VerifyInput): Promise<CheckResult[]>;
}

interface SnapshotLayer {
  id: string;
  name: string;
  healthChecks?: Check[];
}

export class HealthCheckVerifier implements Verifier {
  readonly name = 'health checks';

  constructor(private readonly defaultTimeoutMs = 30_000) {}

  async verify(input: VerifyInput): Promise<CheckResult[]> {
    const results: CheckResult[] = [];
    const layers = (input.snapshot.state.layers as unknown as SnapshotLayer[]).filter(
      (l) => input.layer === undefined || l.id === input.layer || l.name === input.layer,
    );
    for (const layer of layers) {
      for (const check of layer.healthChecks ?? []) {
        const result = await this.run(input.database, layer.id, check);
        results.push(result);
        input.onCheck?.(result);
      }
    }
    return results;
  }

  private async run(db: Database, source: string, check: Check): Promise<CheckResult> {
    if (check.type === 'ogc')
      return { name: check.name, source, passed: true, skipped: true, detail: `${check.name}: runs against the server (${check.endpoint})`, durationMs: 0 };
    const started = performance.now();
    try {
      const r = await runCheck(readOnlyDatabase(db, { timeoutMs: check.timeoutMs ?? this.defaultTimeoutMs }), check);
      return { name: check.name, source, passed: r.passed, detail: explain(r), durationMs: r.durationMs };
    } catch (error) {
      return { name: check.name, source, passed: false, detail: `${check.name}: ${(error as Error).message}`, durationMs: performance.now() - started };
    }
  }
}

/** Several verifiers as one: every check of each, in order. */
export class Verifiers implements Verifier {
  readonly name: string;
  constructor(private readonly all: readonly Verifier[]) {
    this.name = all.map((v) => v.name).join(', ');
  }
  async verify(input: VerifyInput): Promise<CheckResult[]> {
    const out: CheckResult[] = [];
    for (const v of this.all) out.push(...(await v.verify(input)));
    return out;
  }
}
