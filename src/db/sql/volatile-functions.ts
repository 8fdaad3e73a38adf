/**
 * Functions whose value changes from row to row (PostgreSQL's VOLATILE ones that turn up as
 * column defaults). A column added with such a default makes PostgreSQL rewrite the whole
 * table; the generator refuses one and the linter warns about one. `now()` and its kin are not
 * here: they are fixed for a statement, so PostgreSQL adds such a column without a rewrite.
 */
export const VOLATILE_FUNCTIONS: ReadonlySet<string> = new Set([
  'random',
  'setseed',
  'clock_timestamp',
  'timeofday',
  'gen_random_uuid',
  'uuid_generate_v1',
  'uuid_generate_v1mc',
  'uuid_generate_v4',
  'nextval',
  'txid_current',
]);

/** Whether a (possibly schema-qualified) function name is one of them. */
export const isVolatileFunction = (name: string): boolean => VOLATILE_FUNCTIONS.has((name.split('.').at(-1) ?? '').toLowerCase());
