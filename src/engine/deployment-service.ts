import { buildEnvironment, canonicalEnvironment, requireState, selectEnvironments } from '../config/index.js';
import { type BackupManifest, lintAll, type RestoreResult } from '../db/index.js';
import {
  actorOf,
  type Actor,
  contentDigest,
  Deployer,
  type DeployEvent,
  type DeploymentRecord,
  type DeployWorkspace,
  dora,
  type EnvironmentStatus,
  HealthCheckVerifier,
  isTerminal,
  snapshotOf,
  stateOfSnapshot,
  type StateStore,
  thisProcess,
  type User,
  UsersFile,
  type Verification,
  Verifiers,
} from '../deploy/index.js';
import { HonuaError, isHonuaError } from '../errors/index.js';
import { GitRepository } from '../source/index.js';
import { basePolicy } from './base-policy.js';
import type {
  ApprovalRequest,
  BackupCreateRequest,
  BackupRequest,
  BackupRestoreRequest,
  DeployRequest,
  DeploymentRequest,
  DeploymentsRequest,
  RestoreRequest,
  RollbackRequest,
  StatusRequest,
  UserAddRequest,
  VerifyRequest,
} from './contract.js';
import type { EngineWorkspace } from './workspace.js';

/**
 * The engine's deployments: it turns requests into the deployer's work (src/deploy), resolving
 * who asks (a token in the users file, else the operating-system user, unauthenticated), the
 * commit, the store, the backups and the verifiers. Every door — the CLI, the admin API, the
 * controller, the consultant's operate tools — reaches deployments through these methods.
 */
export interface DeployOptions {
  onEvent?: (event: DeployEvent) => void;
  /** Who is at the door: cli, admin-api, controller, consultant. */
  via?: string;
}

interface BackupOps {
  backupCreate(request?: BackupCreateRequest): Promise<BackupManifest & { dir: string }>;
  backups(request?: BackupRequest): Promise<{ dir: string; backups: BackupManifest[] }>;
  backupRestore(request: BackupRestoreRequest): Promise<RestoreResult>;
}

const LEASE_TTL_MS = 30_000;

export class DeploymentService {
  constructor(
    private readonly workspace: EngineWorkspace,
    private readonly backups: BackupOps,
  ) {}

  private users = (): UsersFile => new UsersFile(this.workspace.usersFile);

  /**
   * Who asks: the user a token names — in the users file, or among the environment's ServerConfig
   * `users` in the working tree — else the operating-system user (unauthenticated).
   */
  async actor(token: string | undefined, via: string, environment?: string): Promise<{ actor: Actor; user?: User }> {
    if (token !== undefined) {
      const user = await this.users().identify(token, await this.configUsers(environment));
      return { actor: actorOf(user, via), user };
    }
    return { actor: { name: this.workspace.user, authenticated: false, via } };
  }

  private async configUsers(environment: string | undefined): Promise<User[]> {
    if (environment === undefined || this.workspace.repoDir === undefined) return [];
    const repo = await this.workspace.config().catch(() => undefined);
    const state = repo ? buildEnvironment(repo, canonicalEnvironment(environment)).state : undefined;
    return (state?.server?.users ?? []).map((u) => ({ ...u, teams: u.teams ?? [], roles: u.roles ?? [] }));
  }

  private async deployWorkspace(environment: string, options: DeployOptions, label: string): Promise<DeployWorkspace> {
    const ws = this.workspace;
    const store = await ws.stateStore(environment);
    const repoDir = ws.repoDir;
    const git = repoDir !== undefined && (await GitRepository.isRepository(repoDir)) ? new GitRepository(repoDir) : undefined;
    return {
      store,
      owner: thisProcess(label),
      clock: () => ws.clock(),
      config: (ref) => ws.config(ref),
      commit: async (ref) => (git ? git.commitInfo(await git.resolveCommit(ref ?? 'HEAD')) : undefined),
      dirty: async () => (git ? git.isDirty() : true),
      basePolicy: async (env, ref) => (repoDir === undefined ? undefined : basePolicy(repoDir, env, ref, (commit) => ws.config(commit))),
      lint: (state) => lintAll(state.migrations),
      database: (env) => ws.database(env),
      backup: (env) => this.backups.backupCreate({ environment: env }),
      restoreBackup: async (env, id) => {
        const chosen = id ?? (await this.backups.backups({ environment: env })).backups[0]?.id;
        if (!chosen) throw new HonuaError('backup-not-found', `there is no backup of ${env} to restore`, { hint: `honua backup create -e ${env} makes one.` });
        return { ...(await this.backups.backupRestore({ environment: env, id: chosen })), id: chosen };
      },
      verifier: new Verifiers([new HealthCheckVerifier(), ...(ws.verifiers ?? [])]),
      incidentDir: ws.incidentDir,
      leaseTtlMs: LEASE_TTL_MS,
      failpoint: (name) => ws.failpoint(name),
      events: options.onEvent,
    };
  }

  private async deployer(environment: string, options: DeployOptions, actor: Actor): Promise<Deployer> {
    return new Deployer(await this.deployWorkspace(environment, options, `${actor.name} via ${actor.via}`));
  }

  async deploy(request: DeployRequest, options: DeployOptions = {}, schedule?: { scheduledFor: Date; notAfter?: Date }): Promise<DeploymentRecord> {
    const { actor } = await this.actor(request.token, options.via ?? 'cli', request.environment);
    const environment = canonicalEnvironment(request.environment);
    await this.requireEnvironment(environment, request.kind === 'dev-apply' ? undefined : request.ref);
    return (await this.deployer(environment, options, actor)).start({
      environment,
      kind: request.kind ?? 'deploy',
      ref: request.ref,
      requester: actor,
      autoApprove: request.autoApprove,
      force: request.force,
      migration: request.migration,
      waitMs: request.waitMs,
      ...(schedule ? { scheduledFor: schedule.scheduledFor, notAfter: schedule.notAfter } : {}),
    });
  }

  /** The environment must exist in the configuration being deployed (a clear error before anything is locked). */
  private async requireEnvironment(environment: string, ref: string | undefined): Promise<void> {
    const repo = await this.workspace.config(ref);
    requireState(repo, environment);
  }

  async decide(request: ApprovalRequest, decision: 'approved' | 'rejected', options: DeployOptions = {}): Promise<DeploymentRecord> {
    const found = await this.deployment(request.id);
    const { actor, user } = await this.actor(request.token, options.via ?? 'cli', found.environment);
    return (await this.deployer(found.environment, options, actor)).approve({
      id: found.id,
      decision,
      user,
      actor,
      comment: request.comment,
      waitMs: request.waitMs,
    });
  }

  async resume(request: DeploymentRequest, options: DeployOptions = {}): Promise<DeploymentRecord> {
    const found = await this.deployment(request.id);
    const { actor } = await this.actor(request.token, options.via ?? 'cli', found.environment);
    return (await this.deployer(found.environment, options, actor)).resume(found.id, request.waitMs ?? 0);
  }

  async rollback(request: RollbackRequest, options: DeployOptions = {}): Promise<DeploymentRecord> {
    const { actor } = await this.actor(request.token, options.via ?? 'cli', request.environment);
    const environment = canonicalEnvironment(request.environment);
    return (await this.deployer(environment, options, actor)).start({
      environment,
      kind: 'rollback',
      requester: actor,
      rollbackTo: { deployment: request.toDeployment, commit: request.toCommit },
      waitMs: request.waitMs,
    });
  }

  async restore(request: RestoreRequest, options: DeployOptions = {}): Promise<DeploymentRecord> {
    const { actor } = await this.actor(request.token, options.via ?? 'cli', request.environment);
    const environment = canonicalEnvironment(request.environment);
    await this.requireEnvironment(environment, request.commit);
    return (await this.deployer(environment, options, actor)).start({
      environment,
      kind: 'restore',
      ref: request.commit,
      requester: actor,
      force: request.force,
      restore: { includeDatabase: request.includeDatabase === true, backupId: request.backupId },
      waitMs: request.waitMs,
    });
  }

  /** Starts what is due (windows that opened, approvals that expired) in an environment. */
  async runDue(environment: string, options: DeployOptions = {}): Promise<DeploymentRecord[]> {
    const env = canonicalEnvironment(environment);
    return (await this.deployer(env, options, { name: 'scheduler', authenticated: false, via: options.via ?? 'engine' })).runDue(env);
  }

  /** A deployment by id: its environment is in its name (prod-20241004123456-abc1234). */
  async deployment(id: string): Promise<DeploymentRecord> {
    const alias = /^(.+)-\d{14}-[0-9a-z]{1,12}(-\d+)?$/.exec(id)?.[1];
    const stores = alias ? [await this.workspace.stateStore(canonicalEnvironment(alias))] : [];
    for (const store of stores) {
      const found = await store.getDeployment(id);
      if (found) return found.value;
    }
    throw new HonuaError('deployment-not-found', `no deployment ${id}`, { hint: 'honua deployments ENV lists them.', data: { id } });
  }

  async deployments(request: DeploymentsRequest): Promise<DeploymentRecord[]> {
    const env = canonicalEnvironment(request.environment);
    return (await this.workspace.stateStore(env)).listDeployments(env, request.limit ?? 20);
  }

  async status(request: StatusRequest = {}): Promise<EnvironmentStatus[]> {
    const names = new Set<string>();
    if (request.environment !== undefined) names.add(canonicalEnvironment(request.environment));
    else {
      const repo = this.workspace.repoDir !== undefined ? await this.workspace.config().catch(() => undefined) : undefined;
      for (const e of repo ? selectEnvironments(repo) : []) names.add(e);
    }
    const out: EnvironmentStatus[] = [];
    for (const env of names) out.push(await this.statusOf(env, await this.workspace.stateStore(env)));
    if (request.environment === undefined) {
      // Environments the store knows that the repository no longer has.
      const store = await this.workspace.stateStore();
      for (const env of await store.environments()) if (!names.has(env)) out.push(await this.statusOf(env, store));
    }
    return out;
  }

  private async statusOf(environment: string, store: StateStore): Promise<EnvironmentStatus> {
    const now = this.workspace.clock();
    const [envState, history, holder] = await Promise.all([
      store.getEnvironment(environment),
      store.listDeployments(environment, 500),
      store.holder(environment),
    ]);
    const env = envState.value;
    const active = env.activeSnapshot ? await store.getSnapshot(environment, env.activeSnapshot) : undefined;
    const inProgress = history.filter((d) => !isTerminal(d.state));
    let desiredCommit: string | undefined;
    let sync: EnvironmentStatus['sync'] = 'Unknown';
    let syncReason = 'there is no config repository to compare with';
    try {
      if (this.workspace.repoDir !== undefined && (await GitRepository.isRepository(this.workspace.repoDir))) {
        const git = new GitRepository(this.workspace.repoDir);
        desiredCommit = await git.resolveCommit('HEAD');
        const desired = requireState(await this.workspace.config(desiredCommit), environment);
        if (!active) {
          sync = 'OutOfSync';
          syncReason = 'nothing is deployed';
        } else if (active.contentDigest === contentDigest(desired)) {
          sync = 'Synced';
          syncReason =
            desiredCommit === active.commit
              ? 'the active snapshot is HEAD'
              : `HEAD (${desiredCommit.slice(0, 7)}) configures ${environment} as the active snapshot does`;
        } else {
          sync = 'OutOfSync';
          const diff = stateOfSnapshot(active).resources.length;
          syncReason = `HEAD (${desiredCommit.slice(0, 7)}) differs from the deployed ${active.commit.slice(0, 7)} (${diff} resource(s) deployed)`;
        }
      }
    } catch (error) {
      sync = 'Unknown';
      syncReason = `cannot read HEAD's ${environment} configuration: ${isHonuaError(error) ? error.message : String(error)}`;
    }
    const running = inProgress.find((d) => !['Pending', 'AwaitingApproval'].includes(d.state));
    if (running) {
      sync = 'Syncing';
      syncReason = `${running.id} is ${running.state}`;
    } else if (inProgress.length > 0 && sync !== 'Synced') syncReason += `; ${inProgress.map((d) => `${d.id} is ${d.state}`).join(', ')}`;
    const last = env.lastDeployment ? history.find((d) => d.id === env.lastDeployment) : history.find((d) => isTerminal(d.state));
    return {
      schemaVersion: 'honua.environment-status/v1',
      environment,
      ...(env.deployedCommit ? { deployedCommit: env.deployedCommit } : {}),
      ...(env.activeSnapshot ? { activeSnapshot: env.activeSnapshot } : {}),
      ...(desiredCommit ? { desiredCommit } : {}),
      sync,
      syncReason,
      health: env.health,
      ...(env.healthReason ? { healthReason: env.healthReason } : {}),
      ...(last
        ? {
            lastDeployment: {
              id: last.id,
              kind: last.kind,
              state: last.state,
              commit: last.commit,
              createdAt: last.createdAt,
              ...(last.finishedAt ? { finishedAt: last.finishedAt } : {}),
              ...(last.durationMs !== undefined ? { durationMs: last.durationMs } : {}),
              by: last.requester,
            },
          }
        : {}),
      inProgress: inProgress.map((d) => ({
        id: d.id,
        state: d.state,
        since: d.transitions.at(-1)?.at ?? d.updatedAt,
        commit: d.commit,
        ...(d.notBefore ? { notBefore: d.notBefore } : {}),
      })),
      quarantined: env.quarantined,
      ...(holder ? { lease: { holder: `${holder.owner.label} (process ${holder.owner.pid} on ${holder.owner.host})`, expiresAt: holder.expiresAt } } : {}),
      dora: dora(history, now),
      store: store.description,
    };
  }

  /** The health checks of what is deployed in an environment (the working tree's when nothing is). */
  async verify(request: VerifyRequest): Promise<Verification & { snapshot?: string }> {
    const environment = canonicalEnvironment(request.environment);
    const store = await this.workspace.stateStore(environment);
    const env = (await store.getEnvironment(environment)).value;
    let snapshot = env.activeSnapshot ? await store.getSnapshot(environment, env.activeSnapshot) : undefined;
    if (!snapshot) {
      snapshot = snapshotOf(requireState(await this.workspace.config(), environment), {
        commit: 'working-tree',
        dirty: true,
        deploymentId: 'none',
        at: this.workspace.clock(),
      });
    }
    if (request.layer !== undefined) {
      const layers = snapshot.state.layers as Array<{ id: string; name: string }>;
      if (!layers.some((l) => l.name === request.layer || l.id === request.layer)) {
        throw new HonuaError('unknown-layer', `${environment} has no layer "${request.layer}"`, {
          hint: `Its layers: ${layers.map((l) => l.name).join(', ') || 'none'}.`,
        });
      }
    }
    const verifier = new Verifiers([new HealthCheckVerifier(), ...(this.workspace.verifiers ?? [])]);
    const checks = await verifier.verify({ environment, snapshot, database: await this.workspace.database(environment), layer: request.layer });
    return {
      passed: checks.every((c) => c.passed),
      at: this.workspace.clock().toISOString(),
      checks,
      ...(env.activeSnapshot ? { snapshot: env.activeSnapshot } : {}),
    };
  }

  async userList(): Promise<User[]> {
    return this.users().read();
  }

  async userAdd(request: UserAddRequest): Promise<{ user: User; token: string }> {
    return this.users().add(request, this.workspace.clock());
  }

  async userRemove(name: string): Promise<User> {
    return this.users().remove(name);
  }
}
