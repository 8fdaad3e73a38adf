import type { Command } from 'commander';
import type { Io } from '../io.js';
import type { CommandResult } from '../program.js';
import { runAsk } from './ask.js';
import { addConversationOptions } from './conversation-options.js';
import type { ConsultantFlags } from './consultant-session.js';
import type { FlowHooks } from './flow-session.js';

/**
 * `honua-ai propose "<request>"` (seed 000): inspect, generate, validate, plan, branch, commit,
 * push — and open a pull request whose body is Honua's plan of the branch. Like `ask`, with every
 * proposal followed by `open_pull_request`.
 */
export function registerPropose(program: Command, io: Io, done: CommandResult, hooks?: FlowHooks): void {
  addConversationOptions(
    program
      .command('propose')
      .description('Make a change as a pull request: generate, validate, plan, branch, push, open the PR')
      .argument('<request...>', 'what you want, in words'),
  )
    .option('--json', 'print the tool calls and the final answer as JSON')
    .addHelpText(
      'after',
      `
The pull request goes to GitHub or GitHub Enterprise: the token from GITHUB_TOKEN (or GH_TOKEN),
the API from --github-api-url, GITHUB_API_URL, else the origin remote's host; the repository
from the origin remote, else --github-repo OWNER/NAME or GITHUB_REPOSITORY. Without a GitHub
remote or a token the branch is still pushed, and the answer says how to open the request (a
compare URL for GitHub, GitLab and Bitbucket remotes). Proposals ask before they are written
(--yes allows them in scripts); nothing is deployed.

Exit codes: as honua-ai ask (0 done, 1 failed, 2 usage, 3 stopped for you).

Examples:
  GITHUB_TOKEN=... honua-ai propose "add a layer for the street trees table"
  honua-ai propose --yes --github-repo city/gis-config "add a spatial index on bike lanes"`,
    )
    .action(async (words: string[], opts: ConsultantFlags & { json?: boolean }) =>
      runAsk(program, io, done, words, opts, { pullRequest: true, command: 'honua-ai propose', ...(hooks ? { hooks } : {}) }),
    );
}
