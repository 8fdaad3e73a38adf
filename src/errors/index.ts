export { HonuaError, UsageError, isHonuaError } from './honua-error.js';
export type { Fault, HonuaErrorOptions } from './honua-error.js';
