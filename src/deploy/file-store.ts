import { type FSWatcher, watch as fsWatch } from 'node:fs';
import { mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { canonicalEnvironment } from '../config/index.js';
import { HonuaError } from '../errors/index.js';
import { readJsonFile, withDirectoryMutex, writeFileAtomic } from './atomic-file.js';
import { type DeploymentRecord, DeploymentRecordSchema } from './deployment-record.js';
import { emptyEnvironmentState, type EnvironmentState, EnvironmentStateSchema } from './environment-state.js';
import { describeOwner, type LockOwner, ownerIsGone } from './lock-owner.js';
import { type Snapshot, SnapshotSchema } from './snapshot.js';
import type { AcquireOptions, Lease, StateStore, Versioned } from './state-store.js';

/**
 * The file state store (default `$HONUA_HOME/state`, or a ServerConfig's `stateStore: {type:
 * file, path}`), one folder per environment:
 *
 *   <env>/environment.json          {revision, value: honua.environment-state/v1}
 *   <env>/deployments/<id>.json     {revision, value: honua.deployment/v1}
 *   <env>/snapshots/<id>.json       honua.snapshot/v1
 *   <env>/lease.json                who may change the environment, until when, with which token
 *
 * Every file is written whole (temporary file, fsync, rename); every read-compare-write holds
 * the environment folder's mutex; every write checks the writer's lease token, so a process
 * that lost its lease cannot overwrite a newer state. It survives `kill -9` at any instant.
 */
interface Stored<T> {
  revision: number;
  value: T;
}

interface LeaseFile {
  owner: LockOwner;
  token: number;
  expiresAt: string;
  released?: boolean;
}

const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export class FileStateStore implements StateStore {
  readonly kind = 'file' as const;
  readonly description: string;

  constructor(readonly root: string) {
    this.description = `file store ${root}`;
  }

  private envDir(environment: string): string {
    const env = canonicalEnvironment(environment);
    if (!SAFE_NAME.test(env)) throw new HonuaError('bad-path', `"${environment}" is not an environment name the state store can hold`);
    return path.join(this.root, env);
  }

  private file(environment: string, ...parts: string[]): string {
    for (const p of parts) if (!SAFE_NAME.test(p.replace(/\.json$/, ''))) throw new HonuaError('bad-path', `"${p}" is not a name the state store can hold`);
    return path.join(this.envDir(environment), ...parts);
  }

  // ---------------------------------------------------------------------------------------------
  // Leases

  async acquire(environment: string, owner: LockOwner, options: AcquireOptions): Promise<Lease> {
    const now = options.now ?? (() => new Date());
    const deadline = Date.now() + (options.waitMs ?? 0);
    for (;;) {
      const got = await withDirectoryMutex(this.envDir(environment), async () => {
        const current = await readJsonFile<LeaseFile>(this.file(environment, 'lease.json'));
        const free = !current || current.released || new Date(current.expiresAt) <= now() || ownerIsGone(current.owner) || sameProcess(current.owner, owner);
        if (!free) return { busy: current };
        const lease: LeaseFile = { owner, token: (current?.token ?? 0) + 1, expiresAt: new Date(now().getTime() + options.ttlMs).toISOString() };
        await writeFileAtomic(this.file(environment, 'lease.json'), JSON.stringify(lease, null, 2));
        return { lease };
      });
      if ('lease' in got && got.lease) return this.lease(environment, got.lease, options.ttlMs, now);
      const busy = (got as { busy: LeaseFile }).busy;
      if (Date.now() >= deadline) throw busyError(environment, busy.owner, busy.expiresAt);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  private lease(environment: string, held: LeaseFile, ttlMs: number, now: () => Date): Lease {
    let expiresAt = new Date(held.expiresAt);
    const change = async (update: (l: LeaseFile) => LeaseFile | undefined): Promise<void> =>
      withDirectoryMutex(this.envDir(environment), async () => {
        const current = await readJsonFile<LeaseFile>(this.file(environment, 'lease.json'));
        if (!current || current.token !== held.token || current.released) throw leaseLost(environment, held.token, current);
        const next = update(current);
        if (next) await writeFileAtomic(this.file(environment, 'lease.json'), JSON.stringify(next, null, 2));
      });
    return {
      environment,
      owner: held.owner,
      token: held.token,
      get expiresAt() {
        return expiresAt;
      },
      renew: async () => {
        const next = new Date(now().getTime() + ttlMs);
        await change((l) => ({ ...l, expiresAt: next.toISOString() }));
        expiresAt = next;
      },
      release: async () => {
        await change((l) => ({ ...l, released: true })).catch(() => undefined);
      },
    };
  }

  async holder(environment: string): Promise<{ owner: LockOwner; expiresAt: string } | undefined> {
    const current = await readJsonFile<LeaseFile>(this.file(environment, 'lease.json'));
    if (!current || current.released || new Date(current.expiresAt) <= new Date() || ownerIsGone(current.owner)) return undefined;
    return { owner: current.owner, expiresAt: current.expiresAt };
  }

  /** Runs a write under the folder's mutex after checking the writer still holds its lease. */
  private fenced<T>(lease: Lease, fn: () => Promise<T>): Promise<T> {
    return withDirectoryMutex(this.envDir(lease.environment), async () => {
      const current = await readJsonFile<LeaseFile>(this.file(lease.environment, 'lease.json'));
      if (!current || current.token !== lease.token || current.released) throw leaseLost(lease.environment, lease.token, current);
      return fn();
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Deployments

  async getDeployment(id: string): Promise<Versioned<DeploymentRecord> | undefined> {
    for (const env of await this.environments()) {
      const stored = await readJsonFile<Stored<unknown>>(this.file(env, 'deployments', `${id}.json`));
      if (stored) return { revision: stored.revision, value: DeploymentRecordSchema.parse(stored.value) };
    }
    return undefined;
  }

  async listDeployments(environment: string, limit = 50): Promise<DeploymentRecord[]> {
    const dir = this.file(environment, 'deployments');
    const names = await readdir(dir).catch(() => [] as string[]);
    const records: DeploymentRecord[] = [];
    for (const name of names.filter((n) => n.endsWith('.json'))) {
      const stored = await readJsonFile<Stored<unknown>>(path.join(dir, name));
      if (stored) records.push(DeploymentRecordSchema.parse(stored.value));
    }
    return records.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id)).slice(0, limit);
  }

  async saveDeployment(lease: Lease, record: DeploymentRecord, expected: number): Promise<number> {
    if (canonicalEnvironment(record.environment) !== canonicalEnvironment(lease.environment))
      throw new HonuaError('internal-error', `a ${lease.environment} lease cannot write a ${record.environment} deployment`);
    const file = this.file(record.environment, 'deployments', `${record.id}.json`);
    return this.fenced(lease, () => this.compareAndSet(file, record, expected, `deployment ${record.id}`));
  }

  // ---------------------------------------------------------------------------------------------
  // Environments and snapshots

  async getEnvironment(environment: string): Promise<Versioned<EnvironmentState>> {
    const stored = await readJsonFile<Stored<unknown>>(this.file(environment, 'environment.json'));
    if (!stored) return { revision: 0, value: emptyEnvironmentState(canonicalEnvironment(environment)) };
    return { revision: stored.revision, value: EnvironmentStateSchema.parse(stored.value) };
  }

  async saveEnvironment(lease: Lease, state: EnvironmentState, expected: number): Promise<number> {
    return this.fenced(lease, () =>
      this.compareAndSet(this.file(lease.environment, 'environment.json'), state, expected, `the ${lease.environment} environment state`),
    );
  }

  async environments(): Promise<string[]> {
    const entries = await readdir(this.root, { withFileTypes: true }).catch(() => []);
    return entries
      .filter((e) => e.isDirectory() && SAFE_NAME.test(e.name))
      .map((e) => e.name)
      .sort();
  }

  /** fs.watch on the environment's folder (created if missing): environment.json is replaced by a rename on every save. */
  async watch(environment: string, onChange: () => void): Promise<() => Promise<void>> {
    const dir = this.envDir(environment);
    await mkdir(dir, { recursive: true });
    let watcher: FSWatcher | undefined;
    try {
      watcher = fsWatch(dir, { persistent: false }, (_event, name) => {
        if (name === null || String(name).startsWith('environment.json')) onChange();
      });
      watcher.on('error', () => undefined);
    } catch {
      // a file system without notifications: the caller's polling covers it
    }
    return async () => watcher?.close();
  }

  async getSnapshot(environment: string, id: string): Promise<Snapshot | undefined> {
    const stored = await readJsonFile<unknown>(this.file(environment, 'snapshots', `${id}.json`));
    return stored === undefined ? undefined : SnapshotSchema.parse(stored);
  }

  async saveSnapshot(lease: Lease, snapshot: Snapshot): Promise<void> {
    const file = this.file(snapshot.environment, 'snapshots', `${snapshot.id}.json`);
    await this.fenced(lease, async () => {
      if ((await readJsonFile<unknown>(file)) !== undefined) return;
      await writeFileAtomic(file, JSON.stringify(snapshot));
    });
  }

  private async compareAndSet(file: string, value: unknown, expected: number, what: string): Promise<number> {
    const current = await readJsonFile<Stored<unknown>>(file);
    const revision = current?.revision ?? 0;
    if (revision !== expected) throw staleRevision(what, expected, revision);
    await writeFileAtomic(file, JSON.stringify({ revision: revision + 1, value }, null, 1));
    return revision + 1;
  }

  async close(): Promise<void> {
    // Nothing held open.
  }
}

const sameProcess = (a: LockOwner, b: LockOwner): boolean => a.host === b.host && a.pid === b.pid;

export function busyError(environment: string, owner: LockOwner, expiresAt: string): HonuaError {
  return new HonuaError('environment-busy', `${environment} is being changed by ${describeOwner(owner)}`, {
    hint: `Wait for it to finish (honua status ${environment}), or pass --wait. Its lease expires at ${expiresAt} unless renewed.`,
    data: { environment, holder: owner, expiresAt },
  });
}

export function leaseLost(environment: string, token: number, current: { token: number; owner: LockOwner; released?: boolean } | undefined): HonuaError {
  return new HonuaError(
    'lease-lost',
    `this process no longer holds the ${environment} lease (token ${token})${current && !current.released ? `; ${describeOwner(current.owner)} holds it now` : ''}`,
    {
      hint: 'Another process took over after this one stalled past its lease; nothing was written.',
      data: { environment, token, ...(current ? { current: current.token } : {}) },
    },
  );
}

export function staleRevision(what: string, expected: number, actual: number): HonuaError {
  return new HonuaError('stale-revision', `${what} changed while this process worked on it (revision ${actual}, expected ${expected})`, {
    hint: 'Read it again and retry; nothing was written.',
    data: { expected, actual },
  });
}
