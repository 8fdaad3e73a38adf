import { HonuaError } from '../errors/index.js';

/** A generator cannot produce what was asked (unknown column, unsafe type, ...); the message says why. */
export class GenerateError extends HonuaError {}
