import { UsageError } from '../errors/index.js';
import type { LoadedRepo } from '../config/index.js';
import type { BackupTarget, Database } from '../db/index.js';
import type { StateStore, Verifier } from '../deploy/index.js';

/**
 * What the Engine works on, handed to it by the composition root (src/runtime): the config
 * repository, read at a commit (an immutable snapshot, cached per commit) or as the working
 * tree; the database of each environment, from pools the root owns; the Honua home; a clock. The
 * Engine never resolves any of this itself, never reads the process environment and never
 * closes a pool: one runtime may serve many engine calls (the server, the controller).
 */
/** Where pull requests go: the flags (--github-api-url, --github-repo) and the variables that name a token, an API, a repository. */
export interface GitHubSettings {
  apiUrl?: string | undefined;
  repo?: string | undefined;
  env: NodeJS.ProcessEnv;
  /** Tests: the fetch Octokit uses. */
  fetch?: typeof fetch;
}

export interface EngineWorkspace {
  /** The config repository's root; undefined when there is none. */
  readonly repoDir: string | undefined;
  /** How the repository was found, for messages ('--repo', 'current directory', 'workspace', 'none'). */
  readonly repoFrom: string;
  /** The environment a request means when it names none. */
  readonly defaultEnvironment: string;
  /** GitHub (or GitHub Enterprise) for pull requests. */
  readonly github?: GitHubSettings | undefined;
  /** Honua's own folder ($HONUA_HOME, ~/.honua): backups, state. */
  readonly home: string;
  /** The role every consultant query runs as (SET ROLE), when one is configured. */
  readonly dbRole?: string | undefined;
  /** The configuration at a commit, branch or tag (resolved and cached per commit), or of the working tree. */
  config(ref?: string): Promise<LoadedRepo>;
  /** The database of an environment (the runtime's --database-url or --datasource choice wins). */
  database(environment?: string): Promise<Database>;
  /** Where an environment's database is, for messages, without opening it. */
  describeDatabase(environment?: string): string;
  /** How the backup tools reach an environment's database. */
  backupTarget(environment?: string): Promise<BackupTarget>;
  /** Closes an environment's database (an embedded one must be closed to be copied or replaced). */
  releaseDatabase(environment?: string): Promise<void>;
  /** The state store an environment's deployments, snapshots and status live in (no environment: the default store). */
  stateStore(environment?: string): Promise<StateStore>;
  /** The users file: who may approve (email, teams, roles, the sha256 of their token). */
  readonly usersFile: string;
  /** Who runs this process when no token says it: the operating-system user. */
  readonly user: string;
  /** Where rollbacks write their incident reports. */
  readonly incidentDir: string;
  /** Verifiers run after a deployment besides the layers' health checks (the server adds its OGC probe). */
  readonly verifiers?: readonly Verifier[];
  /** Test hook: a named point of a deployment where a test may stop the process (HONUA_FAILPOINT). */
  failpoint(name: string): void;
  /** Now. */
  clock(): Date;
  /** Tells the person about slow first-time work (creating the embedded database). */
  log(line: string): void;
  /** Releases everything the workspace holds. */
  close(): Promise<void>;
}

/** The workspace's config repository, or the one error every door reports when there is none. */
export function requireRepoDir(workspace: Pick<EngineWorkspace, 'repoDir'>): string {
  if (workspace.repoDir === undefined) {
    throw new UsageError('no-config-repo', 'there is no Honua config repository here', {
      hint: 'Pass --repo DIR (a folder with environments/, migrations/ or policies/), or run from inside one.',
    });
  }
  return workspace.repoDir;
}
