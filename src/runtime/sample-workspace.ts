import { existsSync } from 'node:fs';
import { cp, mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { simpleGit } from 'simple-git';
import { installationPath } from '../config/index.js';

/**
 * The zero-config repository: with no config repository around, `honua-ai ask` and `chat` work
 * on a workspace copy of samples/honua-config at <home>/workspace/honua-config — a real git
 * repository whose `origin` is a bare repository beside it, so proposals are branches pushed to
 * a remote exactly as they would be to GitHub. Created on first use (built aside, then moved
 * into place). Only the commands whose README path asks for it use it.
 */
const AUTHOR = ['-c', 'user.name=Honua', '-c', 'user.email=honua@localhost', '-c', 'commit.gpgsign=false'];

export async function ensureSampleWorkspace(home: string, log?: (line: string) => void): Promise<string> {
  const root = path.join(home, 'workspace');
  const repo = path.join(root, 'honua-config');
  if (existsSync(path.join(repo, '.git'))) return repo;
  log?.(`Creating the sample workspace at ${repo} (a git repository with a local remote)...`);
  await mkdir(root, { recursive: true });
  const staging = path.join(root, `.honua-config-${process.pid}`);
  const bare = path.join(root, 'honua-config.git');
  await rm(staging, { recursive: true, force: true });
  await cp(installationPath('samples', 'honua-config'), staging, { recursive: true });
  const git = simpleGit({ baseDir: staging });
  await git.raw(['init', '--quiet', '--initial-branch=main']);
  await git.add(['-A']);
  await git.raw([...AUTHOR, 'commit', '--quiet', '--no-verify', '-m', 'Sample city configuration (from samples/honua-config)']);
  if (!existsSync(bare)) await simpleGit({ baseDir: root }).raw(['init', '--quiet', '--bare', '--initial-branch=main', bare]);
  await git.addRemote('origin', bare);
  await git.raw(['push', '--quiet', '-u', 'origin', 'main']);
  await git.raw(['remote', 'set-head', 'origin', 'main']);
  if (existsSync(repo)) await rm(repo, { recursive: true, force: true });
  await rename(staging, repo);
  return repo;
}
