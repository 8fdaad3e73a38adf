export interface RunOptions {
  environment?: string;
  deploymentId?: string;
  appliedBy?: string;
  /** Apply up to and including this migration (id or name); revert down to but excluding it. */
  to?: string;
  /** How long to wait for another runner's lock (default 0: fail at once, saying who holds it). */
  lockWaitMs?: number;
  lockTimeoutMs?: number;
  statementTimeoutMs?: number;
  onProgress?: (event: ProgressEvent) => void;
}

export type ProgressEvent =
  | { type: 'migration-start'; migration: string; direction: 'up' | 'down'; steps: number }
  | { type: 'step'; migration: string; step: string; index: number; total: number; durationMs: number; transactional: boolean }
  | { type: 'check'; migration: string; name: string; passed: boolean; detail: string }
  | { type: 'migration-done'; migration: string; direction: 'up' | 'down'; durationMs: number };
