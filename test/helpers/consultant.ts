import type { Database } from '../../src/db/index.js';
import { type EngineWorkspace, LocalEngine, requireRepoDir } from '../../src/engine/index.js';
import { FileStateStore } from '../../src/deploy/index.js';
import { ConfigSnapshots } from '../../src/runtime/index.js';
import { MemoryAuditLog } from '../../guardrails/audit-log.js';
import { type ConfirmationRequest, type Confirmer, noConfirmer } from '../../guardrails/confirmer.js';
import type { SessionMode } from '../../guardrails/gate.js';
import { Redactor } from '../../guardrails/redact.js';
import { ToolRunner } from '../../tools/tool-runner.js';
import { TOOLS } from '../../tools/registry.js';

/** A workspace over a test repository and a database the test owns (the engine never closes it). */
export function testWorkspace(options: {
  repoDir?: string | undefined;
  db: Database;
  now?: Date | undefined;
  dbRole?: string | undefined;
  home?: string;
  /** A file state store there (deployments); without it, deployments are not available. */
  stateDir?: string | undefined;
}): EngineWorkspace {
  const snapshots = options.repoDir === undefined ? undefined : new ConfigSnapshots(options.repoDir);
  return {
    repoDir: options.repoDir,
    repoFrom: options.repoDir ? '--repo' : 'none',
    defaultEnvironment: 'development',
    home: options.home ?? '/nonexistent/honua-home',
    ...(options.dbRole ? { dbRole: options.dbRole } : {}),
    config: async (ref) => {
      requireRepoDir({ repoDir: options.repoDir });
      return (snapshots as ConfigSnapshots).load(ref);
    },
    database: async () => options.db,
    describeDatabase: () => 'test database',
    backupTarget: async () => {
      throw new Error('no backups in consultant tests');
    },
    releaseDatabase: async () => undefined,
    stateStore: async () => {
      if (options.stateDir) return new FileStateStore(options.stateDir);
      throw new Error('no state store in consultant tests');
    },
    usersFile: '/nonexistent/honua-home/users.yaml',
    user: 'tester',
    incidentDir: '/nonexistent/honua-home/incidents',
    failpoint: () => undefined,
    clock: () => options.now ?? new Date('2026-11-23T10:00:00Z'),
    log: () => undefined,
    close: async () => undefined,
  };
}

/** An engine over a test repository and database, and a guarded runner over every tool. */
export function consultant(options: {
  repoDir?: string;
  db: Database;
  mode?: SessionMode;
  confirmer?: Confirmer;
  now?: Date;
  secrets?: string[];
  dbRole?: string;
  stateDir?: string;
}) {
  const engine = new LocalEngine(testWorkspace(options), { access: options.mode === 'operate' ? 'operator' : 'consultant' });
  const audit = new MemoryAuditLog();
  const redactor = new Redactor();
  for (const s of options.secrets ?? []) redactor.addSecret(s);
  const runner = new ToolRunner({
    tools: TOOLS,
    engine,
    mode: options.mode ?? 'propose',
    confirmer: options.confirmer ?? noConfirmer,
    audit,
    redactor,
    actor: 'tester',
    via: 'test',
    sessionId: 'test1',
  });
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
