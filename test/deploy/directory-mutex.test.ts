import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { withDirectoryMutex } from '../../src/deploy/atomic-file.js';

/**
 * The file store's mutex, at the moment another process has made it but not yet written its owner
 * (an empty owner file): that is a mutex being taken — waited for, and taken over once it is
 * clearly abandoned — never a JSON error (two `honua deploy` at once once failed with
 * "Unexpected end of JSON input").
 */
describe('the directory mutex', () => {
  it('waits for a mutex whose owner file is still empty, and says so in its own words when it times out', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'honua-mutex-'));
    await mkdir(path.join(dir, '.mutex'));
    await writeFile(path.join(dir, '.mutex', 'owner.json'), '');
    await expect(withDirectoryMutex(dir, async () => 'ran', { waitMs: 200 })).rejects.toMatchObject({ code: 'state-store-failed' });
  });

  it('takes over a mutex left half-made for over a second', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'honua-mutex-'));
    await mkdir(path.join(dir, '.mutex'));
    await writeFile(path.join(dir, '.mutex', 'owner.json'), '{"host":');
    await expect(withDirectoryMutex(dir, async () => 'ran', { waitMs: 5000 })).resolves.toBe('ran');
  });
});
