import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { HonuaError } from '../errors/index.js';

/**
 * Where this installation of Honua is: the folder of its package.json (the repository in
 * development, where code runs from src/ under tests and from dist/src/ when built; the package
 * folder when installed). The sample configuration, the sample data, the prompts and the
 * prebuilt embedded database are found from here, once, the same way for everyone.
 */
let root: string | undefined;

export function packageRoot(): string {
  if (root !== undefined) return root;
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (!existsSync(file)) continue;
    try {
      if ((JSON.parse(readFileSync(file, 'utf8')) as { name?: string }).name === 'honua') return (root = dir);
    } catch {
      // a package.json that does not parse is not ours; keep looking upwards
    }
  }
  throw new HonuaError('package-root-missing', 'cannot find the honua package that this code belongs to', { hint: 'Reinstall Honua (npm ci).' });
}

/** The package version (package.json). */
export const packageVersion = (): string => {
  try {
    return (JSON.parse(readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { version?: string }).version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
};

/** A file or folder of the installation (samples/honua-config, prompts/consultant.md, ...); an error when it is missing. */
export function installationPath(...parts: string[]): string {
  const file = path.join(packageRoot(), ...parts);
  if (!existsSync(file))
    throw new HonuaError('sample-missing', `${parts.join('/')} is missing from the installation at ${packageRoot()}`, { hint: 'Reinstall Honua (npm ci).' });
  return file;
}
