import type { ProgressEvent } from '../db/index.js';
import type { CheckResult } from './deployment-record.js';
import type { DeploymentState } from './deployment-state.js';

/** What a deployment reports while it runs, for progress lines (the CLI) and live views. */
export type DeployEvent =
  | { type: 'transition'; id: string; from: DeploymentState | null; to: DeploymentState; reason: string; at: string }
  | { type: 'step'; id: string; key: string; detail: string; durationMs: number; skipped?: boolean }
  | { type: 'migration'; id: string; event: ProgressEvent }
  | { type: 'check'; id: string; result: CheckResult }
  | { type: 'note'; id: string; message: string };
