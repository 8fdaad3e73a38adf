import path from 'node:path';
import { hasCode } from '../errors/index.js';
import { findConfigRoot } from '../source/index.js';

/**
 * Which config repository a command works on: `--repo DIR` (it must be one), else the current
 * directory when it is inside one, else — only where a command's zero-config path asks for it
 * (honua-ai ask and chat) — the sample workspace, else none. A repository that exists but
 * cannot be read is an error, never a silent fall-back.
 */
export interface RepositoryChoice {
  dir: string | undefined;
  from: '--repo' | 'current directory' | 'workspace' | 'none';
}

export async function resolveRepository(options: {
  repo?: string | undefined;
  cwd: string;
  fallback?: (() => Promise<string>) | undefined;
}): Promise<RepositoryChoice> {
  if (options.repo !== undefined) return { dir: await findConfigRoot(path.resolve(options.cwd, options.repo)), from: '--repo' };
  try {
    return { dir: await findConfigRoot(options.cwd), from: 'current directory' };
  } catch (error) {
    if (!hasCode(error, 'repo-not-found')) throw error;
  }
  if (options.fallback) return { dir: await options.fallback(), from: 'workspace' };
  return { dir: undefined, from: 'none' };
}
