import { HonuaError } from './honua-error.js';

/** A problem as a command prints it (the configuration's Problem has this shape and more). */
export interface ProblemLike {
  code: string;
  severity: 'error' | 'warning';
  message: string;
  file?: string | undefined;
  line?: number | undefined;
  column?: number | undefined;
}

/** The configuration is invalid, so the command cannot go on; carries the problems (and the files' texts) to print. */
export class ConfigInvalidError<P extends ProblemLike = ProblemLike> extends HonuaError {
  constructor(
    message: string,
    readonly problems: P[],
    readonly texts: Map<string, string>,
  ) {
    super('config-invalid', message, {
      hint: 'Fix the errors above (honua validate shows them all), then run the command again.',
      data: { errors: problems.length },
    });
  }
}
