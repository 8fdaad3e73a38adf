import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { HonuaError } from '../errors/index.js';
import { ownerIsGone } from './lock-owner.js';

/**
 * Files that survive `kill -9` at any instant: a write goes to a temporary file, is flushed to
 * disk, and renamed over the old one (a rename is atomic), then the folder is flushed, so a
 * reader sees the old content or the new, never a torn one.
 */
export async function writeFileAtomic(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  const handle = await open(tmp, 'w', 0o600);
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, file);
  const dir = await open(path.dirname(file), 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}

export async function readJsonFile<T>(file: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new HonuaError('state-store-failed', `cannot read ${file}: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * A mutual exclusion between processes over one folder, for the store's read-compare-write: a
 * directory made with mkdir (atomic), holding its owner. A mutex left by a process that died is
 * removed by the next one (same host: the process is gone; else after `staleMs`).
 */
export async function withDirectoryMutex<T>(dir: string, fn: () => Promise<T>, options: { waitMs?: number; staleMs?: number } = {}): Promise<T> {
  const mutex = path.join(dir, '.mutex');
  const ownerFile = path.join(mutex, 'owner.json');
  const deadline = Date.now() + (options.waitMs ?? 15_000);
  const staleMs = options.staleMs ?? 30_000;
  await mkdir(dir, { recursive: true });
  for (let attempt = 0; ; attempt++) {
    try {
      await mkdir(mutex);
      await writeOwner(ownerFile);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST')
        throw new HonuaError('state-store-failed', `cannot lock ${dir}: ${(error as Error).message}`, { cause: error });
      if (await isStale(mutex, ownerFile, staleMs)) {
        await rm(mutex, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline)
        throw new HonuaError('state-store-failed', `the state store at ${dir} stayed locked for ${options.waitMs ?? 15_000} ms`, {
          hint: `If no Honua process is running, remove ${mutex}.`,
        });
      await new Promise((r) => setTimeout(r, Math.min(5 + attempt * 2, 50)));
    }
  }
  try {
    return await fn();
  } finally {
    await rm(mutex, { recursive: true, force: true });
  }
}

async function writeOwner(file: string): Promise<void> {
  const handle = await open(file, 'w');
  try {
    await handle.writeFile(JSON.stringify({ host: os.hostname(), pid: process.pid, label: 'state store', at: Date.now() }));
  } finally {
    await handle.close();
  }
}

async function isStale(mutex: string, ownerFile: string, staleMs: number): Promise<boolean> {
  // The owner file may be read between its creation and its write (empty, or half written): that is a mutex
  // being taken, not a broken one — parsed inside the catch, so it is never an error.
  const owner = await readFile(ownerFile, 'utf8')
    .then((t) => JSON.parse(t) as { host: string; pid: number; label: string; at: number })
    .catch(() => undefined);
  if (owner) return ownerIsGone(owner) || Date.now() - owner.at > staleMs;
  // Made but not yet owned: a process died between the two, or is between them now.
  const made = await stat(mutex).then(
    (s) => s.mtimeMs,
    () => Date.now(),
  );
  return Date.now() - made > 1_000;
}
