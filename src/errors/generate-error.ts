import { HonuaError } from './honua-error.js';

/** A generator cannot produce what was asked (unknown column, unsafe type, already done, ...); the message says why. */
export class GenerateError extends HonuaError {}

/** A proposed file holds the placeholder of a secret that cannot be put back. */
export class RedactedSecretError extends HonuaError {}
