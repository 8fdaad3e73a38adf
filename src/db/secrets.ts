import { readFileSync } from 'node:fs';
import { HonuaError } from '../errors/index.js';

/** A secret as written in a DataSource: a reference ({fromEnv}, {fromFile}) or, discouraged, a literal. */
export type SecretInput = string | { fromEnv?: string | undefined; fromFile?: string | undefined };

/**
 * Reads a secret at run time. A missing variable or file is the user's to fix, and the error
 * names it (never its value).
 */
export function resolveSecret(secret: SecretInput, what: string, env: NodeJS.ProcessEnv = process.env): string {
  if (typeof secret === 'string') return secret;
  if (secret.fromEnv !== undefined) {
    const value = env[secret.fromEnv];
    if (value === undefined || value === '') {
      throw new HonuaError('secret-missing', `${what} comes from the environment variable ${secret.fromEnv}, which is not set`, {
        hint: `Set ${secret.fromEnv} (e.g. export ${secret.fromEnv}=...) or pass --database-url.`,
        data: { variable: secret.fromEnv },
      });
    }
    return value;
  }
  if (secret.fromFile !== undefined) {
    try {
      return readFileSync(secret.fromFile, 'utf8').trim();
    } catch (cause) {
      throw new HonuaError('secret-missing', `${what} comes from the file ${secret.fromFile}, which cannot be read`, {
        cause,
        data: { file: secret.fromFile },
      });
    }
  }
  throw new HonuaError('secret-missing', `${what} names no source`);
}
