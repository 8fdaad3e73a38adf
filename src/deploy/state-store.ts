import type { DeploymentRecord } from './deployment-record.js';
import type { EnvironmentState } from './environment-state.js';
import type { LockOwner } from './lock-owner.js';
import type { Snapshot } from './snapshot.js';

/**
 * Where deployments live: per environment, the deployment records (each with its append-only
 * transition log), the snapshots, and the environment's state (active snapshot, quarantined
 * commits). Two stores implement it — files (`$HONUA_HOME/state`, one machine) and PostgreSQL
 * (several replicas) — and one contract test suite runs against both.
 *
 * Every write is a compare-and-set on a revision, and fenced by the environment's lease: a
 * process that lost its lease (it stalled past the expiry and another took over) cannot write
 * over the newer state, whatever revision it read.
 */
export interface Versioned<T> {
  value: T;
  /** 0 for something never written. */
  revision: number;
}

/** The right to change an environment, held by one process at a time. */
export interface Lease {
  readonly environment: string;
  readonly owner: LockOwner;
  /** Grows with every acquisition: a write carrying an older token is refused. */
  readonly token: number;
  readonly expiresAt: Date;
  /** Extends the lease (the holder calls this while it works); fails when it was lost. */
  renew(): Promise<void>;
  release(): Promise<void>;
}

export interface AcquireOptions {
  /** How long the lease lasts without renewal. */
  ttlMs: number;
  /** How long to wait for a holder to finish (0: fail at once, naming the holder). */
  waitMs?: number;
  now?: () => Date;
}

export interface StateStore {
  readonly kind: 'file' | 'postgres';
  /** Where it is, for messages (no secrets). */
  readonly description: string;
  acquire(environment: string, owner: LockOwner, options: AcquireOptions): Promise<Lease>;
  /** The current holder of an environment's lease, if any (expired ones are not holders). */
  holder(environment: string): Promise<{ owner: LockOwner; expiresAt: string } | undefined>;

  getDeployment(id: string): Promise<Versioned<DeploymentRecord> | undefined>;
  /** An environment's deployments, newest first. */
  listDeployments(environment: string, limit?: number): Promise<DeploymentRecord[]>;
  /** Writes a record if its stored revision is `expected` (0: it must not exist); returns the new revision. */
  saveDeployment(lease: Lease, record: DeploymentRecord, expected: number): Promise<number>;

  getEnvironment(environment: string): Promise<Versioned<EnvironmentState>>;
  saveEnvironment(lease: Lease, state: EnvironmentState, expected: number): Promise<number>;
  /** The environments the store has state for. */
  environments(): Promise<string[]>;

  getSnapshot(environment: string, id: string): Promise<Snapshot | undefined>;
  /** Snapshots are immutable: writing one that exists with the same id is a no-op. */
  saveSnapshot(lease: Lease, snapshot: Snapshot): Promise<void>;

  /**
   * Calls `onChange` soon after an environment's state may have changed in another process (the
   * file store: fs.watch on its folder; PostgreSQL: LISTEN/NOTIFY). Notifications can be lost or
   * spurious: callers re-read the state, and poll as well. Returns the function that stops it.
   */
  watch?(environment: string, onChange: () => void): Promise<() => Promise<void>>;

  close(): Promise<void>;
}
