export { createProgram, run } from './program.js';
export type { CommandResult } from './program.js';
export { EXIT } from './exit-codes.js';
export type { ExitCode } from './exit-codes.js';
export { processIo, Style, writeJson } from './io.js';
export type { Io } from './io.js';
