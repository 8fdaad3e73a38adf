import { closeSync, constants, lstatSync, mkdirSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';
import { ProposalError, proposalPath } from './proposal-branch.js';

/**
 * Writes a generated file into a config repository's working tree (`honua-ai generate --write`)
 * without ever writing through a symbolic link: the path must be a config path, no folder on
 * the way may be a link (folders are created where missing), and the file is opened with
 * O_NOFOLLOW, so a link in its place is refused rather than followed.
 */
export function writeConfigFile(root: string, file: string, content: string): string {
  const rel = proposalPath(file);
  const parts = rel.split('/');
  for (let i = 1; i < parts.length; i++) {
    const folder = path.join(root, ...parts.slice(0, i));
    let stat;
    try {
      stat = lstatSync(folder);
    } catch {
      mkdirSync(folder);
      continue;
    }
    if (stat.isSymbolicLink())
      throw new ProposalError('symlink-in-path', `${parts.slice(0, i).join('/')} is a symbolic link; Honua does not write through links`, {
        hint: 'Replace the link with a real folder, or write the file yourself.',
      });
    if (!stat.isDirectory()) throw new ProposalError('bad-proposal-path', `${parts.slice(0, i).join('/')} is a file, not a folder`);
  }
  let fd: number;
  try {
    fd = openSync(path.join(root, rel), constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW, 0o644);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP')
      throw new ProposalError('symlink-in-path', `${rel} is a symbolic link; Honua does not write through links`, {
        hint: 'Remove the link first if you want the generated file there.',
      });
    throw error;
  }
  try {
    writeSync(fd, content);
  } finally {
    closeSync(fd);
  }
  return rel;
}
