import type { ProgressEvent } from '../../db/index.js';
import type { Style } from '../io.js';

/** Lines for a migration runner's progress (honua migrate up/down, and the migrations of a deployment). */
export const migrationProgress =
  (write: (text: string) => void, style: Style, indent = '') =>
  (e: ProgressEvent): void => {
    if (e.type === 'migration-start')
      write(`${indent}${e.direction === 'up' ? 'Applying' : 'Reverting'} ${style.bold(e.migration)} (${e.steps} step${e.steps === 1 ? '' : 's'})\n`);
    else if (e.type === 'step')
      write(
        `${indent}  [${e.index}/${e.total}] ${e.step} ${style.green('✓')} ${style.dim(`(${Math.round(e.durationMs)} ms${e.transactional ? '' : ', outside a transaction'})`)}\n`,
      );
    else if (e.type === 'check') write(`${indent}  ${e.passed ? style.green('✓') : style.red('✗')} ${e.detail}\n`);
    else write(`${indent}  ${style.green('done')} ${style.dim(`(${Math.round(e.durationMs)} ms)`)}\n`);
  };
