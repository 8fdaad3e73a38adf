import path from 'node:path';
import type { Command } from 'commander';
import { FileAuditLog, parseMode, type SessionMode, Redactor } from '../../../guardrails/index.js';
import { AdminApiClient, type Engine, remoteEngine, traceEngine } from '../../engine/index.js';
import { OgcVerifier } from '../../server/index.js';
import { debugEnabled } from '../debug.js';
import { HonuaError, UsageError } from '../../errors/index.js';
import { createRuntime, honuaHome } from '../../runtime/index.js';
import type { Io } from '../io.js';

/**
 * The flags every `honua-ai` command shares, and what they resolve to: the context (repository,
 * environment, database), the session mode, the audit log and the redactor.
 */
export interface SessionFlags {
  repo?: string;
  environment?: string;
  databaseUrl?: string;
  datasource?: string;
  dbRole?: string;
  mode?: string;
  auditLog?: string;
}

export const addContextOptions = (cmd: Command): Command =>
  cmd
    .option('--repo <dir>', 'config repository (default: the current directory when it is one)')
    .option('-e, --environment <env>', 'environment to work on', 'development')
    .option('--database-url <url>', "PostgreSQL URL (default: the environment's DataSource, else the embedded sample city)")
    .option('--datasource <name>', 'which DataSource, when the environment has several')
    .option('--db-role <role>', 'run every consultant query as this least-privilege role (SET ROLE; default $HONUA_AI_DB_ROLE)');

export const addSessionOptions = (cmd: Command, defaultMode: SessionMode | undefined): Command =>
  addContextOptions(cmd)
    .option(
      '--mode <mode>',
      `read-only | propose | operate: what the session may do${defaultMode ? '' : ' (default: what the command needs; a lower one may be given)'}`,
      defaultMode,
    )
    .option('--audit-log <file>', 'append-only JSONL audit log (default: $HONUA_HOME/audit/consultant.jsonl)')
    .option('--server <url>', "operate: send rollbacks and restores to this Honua server's admin API (default $HONUA_SERVER; token in HONUA_TOKEN)")
    .option('--github-api-url <url>', 'GitHub API for pull requests (default $GITHUB_API_URL, else from the origin remote)')
    .option('--github-repo <owner/name>', 'GitHub repository for pull requests when origin is not on GitHub (default $GITHUB_REPOSITORY)');

export function sessionMode(text: string | undefined, fallback: SessionMode): SessionMode {
  if (text === undefined) return fallback;
  const mode = parseMode(text);
  if (!mode) throw new UsageError('bad-mode', `--mode "${text}" is not a mode`, { hint: 'Use read-only, propose or operate.' });
  return mode;
}

export function redactorFor(env: NodeJS.ProcessEnv, flags: SessionFlags): Redactor {
  const redactor = new Redactor();
  redactor.addFromEnv(env);
  if (flags.databaseUrl) {
    redactor.addSecret(flags.databaseUrl);
    try {
      redactor.addSecret(decodeURIComponent(new URL(flags.databaseUrl).password));
    } catch {
      // not a URL with a password
    }
  }
  return redactor;
}

export function auditLogFor(io: Io, flags: SessionFlags, redactor: Redactor): FileAuditLog {
  const file = flags.auditLog ? path.resolve(io.cwd, flags.auditLog) : path.join(honuaHome(io.env), 'audit', 'consultant.jsonl');
  return new FileAuditLog(file, redactor);
}

/**
 * The consultant's engine: a runtime over the session's repository (else, where `sampleWorkspace`
 * asks for it, the workspace copy of the sample), its environment and database (else the embedded
 * sample city), with `consultant` access — it reads the database only, under --db-role.
 */
export interface AiEngineFlags extends SessionFlags {
  /** --server URL: deployments, rollbacks and restores go to that server's admin API. */
  server?: string;
  githubApiUrl?: string;
  githubRepo?: string;
}

export async function engineFor(
  io: Io,
  flags: AiEngineFlags,
  options: { sampleWorkspace?: boolean; log?: (line: string) => void; mode?: SessionMode; fetch?: typeof fetch } = {},
): Promise<Engine> {
  const runtime = await createRuntime({
    cwd: io.cwd,
    env: io.env,
    repo: flags.repo,
    environment: flags.environment,
    databaseUrl: flags.databaseUrl,
    datasource: flags.datasource,
    dbRole: flags.dbRole,
    sampleDatabase: true,
    sampleWorkspace: options.sampleWorkspace === true,
    ...(options.log ? { log: options.log } : {}),
    verifiers: [new OgcVerifier()],
    github: { apiUrl: flags.githubApiUrl, repo: flags.githubRepo, ...(options.fetch ? { fetch: options.fetch } : {}) },
  });
  // An operate session may request deployments (policy and approvals still apply); no session approves.
  const local = runtime.engine(options.mode === 'operate' ? 'operator' : 'consultant');
  const server = flags.server ?? (io.env.HONUA_SERVER || undefined);
  const engine =
    server === undefined
      ? local
      : personsActsRefused(
          remoteEngine(local, new AdminApiClient({ url: server, token: io.env.HONUA_TOKEN || undefined }), {
            strict: flags.server !== undefined,
            local: ['verify'],
          }),
        );
  return debugEnabled(io.env) ? traceEngine(engine, (line) => void io.stderr.write(`honua-ai: ${line}\n`)) : engine;
}

export const osUser = (env: NodeJS.ProcessEnv): string => env.USER ?? env.USERNAME ?? env.LOGNAME ?? 'unknown';

/**
 * Through a server the person's token travels with every call; the consultant's engine must still
 * never approve, reject or change users with it (the local engine refuses them by its access; the
 * admin API would only see the person's token).
 */
const PERSONS_ACTS = new Set(['approve', 'reject', 'userAdd', 'userRemove']);
function personsActsRefused(engine: Engine): Engine {
  return new Proxy(engine, {
    get(target, property, receiver) {
      if (typeof property === 'string' && PERSONS_ACTS.has(property))
        return () => Promise.reject(new HonuaError('read-only-engine', `${property} is a person's act; the consultant's engine cannot do it`));
      return Reflect.get(target, property, receiver) as unknown;
    },
  });
}
