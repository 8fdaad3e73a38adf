import type { DesiredState, EffectivePolicy, LoadedRepo } from '../config/index.js';
import type { BackupManifest, Database, LintFinding, RestoreResult } from '../db/index.js';
import type { SourceRef } from '../plan/index.js';
import type { DeployEvent } from './deploy-events.js';
import type { LockOwner } from './lock-owner.js';
import type { StateStore } from './state-store.js';
import type { Verifier } from './verifier.js';

/**
 * What the deployer works with, handed to it by the engine: the store, the configuration at a
 * commit, the databases, backups, the verifiers, a clock. The deployer reads no process state of
 * its own; tests give it an injected clock and failpoints.
 */
export interface CommitInfo {
  commit: string;
  time: string;
  author: { name: string; email: string };
}

export interface DeployWorkspace {
  store: StateStore;
  owner: LockOwner;
  clock(): Date;
  /** The configuration at a commit, or the working tree (ref undefined). */
  config(ref?: string): Promise<LoadedRepo>;
  /** A ref resolved to its commit, with its time and author; the working tree's HEAD for undefined. */
  commit(ref?: string): Promise<CommitInfo | undefined>;
  /** Whether the working tree has changes git does not have. */
  dirty(): Promise<boolean>;
  /** The policy at the change's base commit, when nothing is deployed (a change never judges itself). */
  basePolicy(environment: string, ref: string | undefined): Promise<{ policy: EffectivePolicy; from: SourceRef; note?: string } | undefined>;
  lint(state: DesiredState): Promise<LintFinding[]>;
  database(environment: string): Promise<Database>;
  backup(environment: string): Promise<BackupManifest & { dir: string }>;
  restoreBackup(environment: string, id: string | undefined): Promise<RestoreResult & { id: string }>;
  verifier: Verifier;
  /** Where incident reports are written. */
  incidentDir: string;
  leaseTtlMs: number;
  /** Test hook: a named point of the deployment (after-transition:Applying, after-step:migrate:003_x). */
  failpoint(name: string): void;
  events?: ((event: DeployEvent) => void) | undefined;
}
