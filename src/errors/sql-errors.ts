import { HonuaError } from './honua-error.js';

/** SQL that PostgreSQL's parser refuses; `offset` is where (0-based, in the text parsed). */
export class SqlSyntaxError extends HonuaError {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super('sql-syntax', message, { data: { offset } });
  }
}

/** SQL that is not one read-only SELECT, refused before it runs. */
export class UnsafeSqlError extends HonuaError {
  constructor(message: string, hint?: string) {
    super('unsafe-sql', message, { hint: hint ?? 'Only a single SELECT (or EXPLAIN of one) runs here.', fault: 'model' });
  }
}
