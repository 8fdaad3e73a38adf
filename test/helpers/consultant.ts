import type { Database } from '../../src/db/database.js';
import { type ConsultantContext } from '../../src/engine/context.js';
import { LocalEngine } from '../../src/engine/local-engine.js';
import { MemoryAuditLog } from '../../guardrails/audit-log.js';
import { type ConfirmationRequest, type Confirmer, noConfirmer } from '../../guardrails/confirmer.js';
import type { SessionMode } from '../../guardrails/gate.js';
import { Redactor } from '../../guardrails/redact.js';
import { ToolRunner } from '../../guardrails/tool-runner.js';
import { TOOLS } from '../../tools/index.js';

/** An engine over a test repository and database, and a guarded runner over every tool. */
export function consultant(options: { repoDir?: string; db: Database; mode?: SessionMode; confirmer?: Confirmer; now?: Date; secrets?: string[]; dbRole?: string }) {
  const context: ConsultantContext = {
    repoDir: options.repoDir,
    repoFrom: options.repoDir ? '--repo' : 'none',
    environment: 'development',
    databaseFrom: 'test database',
    env: {},
    ...(options.dbRole ? { dbRole: options.dbRole } : {}),
    // The test owns the database: the engine's close() must not close it.
    openDatabase: async () => Object.assign(Object.create(options.db) as Database, { close: async () => undefined }),
  };
  const engine = new LocalEngine(context, () => options.now ?? new Date('2026-11-23T10:00:00Z'));
  const audit = new MemoryAuditLog();
  const redactor = new Redactor();
  for (const s of options.secrets ?? []) redactor.addSecret(s);
  const runner = new ToolRunner({ tools: TOOLS, engine, mode: options.mode ?? 'propose', confirmer: options.confirmer ?? noConfirmer, audit, redactor, actor: 'tester', via: 'test', sessionId: 'test1' });
  return { engine, runner, audit, redactor };
}

/** A confirmer that answers yes (or no) and remembers what it was asked (tool names, and the whole requests). */
export function recordingConfirmer(answer: boolean): Confirmer & { asked: string[]; requests: ConfirmationRequest[] } {
  const asked: string[] = [];
  const requests: ConfirmationRequest[] = [];
  return {
    kind: 'test',
    asked,
    requests,
    confirm: async (r) => {
      asked.push(r.tool);
      requests.push(r);
      return answer ? { confirmed: true, by: 'tester' } : { confirmed: false, reason: 'the tester said no', by: 'tester' };
    },
  };
}
