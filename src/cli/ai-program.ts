import { Command } from 'commander';
import { registerAsk } from './ai/ask.js';
import { registerChat } from './ai/chat.js';
import { registerGenerate } from './ai/generate.js';
import { registerMcp } from './ai/mcp.js';
import { registerDr } from './ai/dr.js';
import type { FlowHooks } from './ai/flow-session.js';
import { registerMigratePlan } from './ai/migrate-plan.js';
import { registerPromote } from './ai/promote.js';
import { registerPropose } from './ai/propose.js';
import { registerReview } from './ai/review.js';
import { registerRollback } from './ai/rollback.js';
import { registerSchedule } from './ai/schedule.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import type { Io } from './io.js';
import { type CommandResult, packageVersion, parseAndReport } from './program.js';

/**
 * The `honua-ai` program: the consultant. Every command finds its repository, environment and
 * database the same way (--repo, --environment, --database-url; see engine/context.ts).
 */
export interface AiRunOptions {
  /** Resolves when the process should stop serving (SIGINT/SIGTERM, stdin closed); tests pass their own. */
  waitForExit?: (close: () => Promise<void>) => Promise<void>;
  /** Tests: who confirms and answers in the guided commands. */
  hooks?: FlowHooks;
}

const untilSignal = async (close: () => Promise<void>): Promise<void> => {
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    process.stdin.once('end', stop);
    process.stdin.once('close', stop);
  });
  await close();
};

export function createAiProgram(io: Io, done: CommandResult, options: AiRunOptions = {}): Command {
  const program = new Command('honua-ai')
    .description(
      "Honua's consultant: inspects PostGIS, writes layer and migration YAML, opens pull requests, reviews plans, drives promotions, rollbacks and recoveries — through guarded tools that never approve anything",
    )
    .version(packageVersion(), '-V, --version')
    .option('--no-color', 'plain output without colors (also: NO_COLOR=1)')
    .showSuggestionAfterError(false)
    .showHelpAfterError("Run 'honua-ai --help' to see the commands and their options.")
    .configureOutput({ writeOut: (s) => void io.stdout.write(s), writeErr: (s) => void io.stderr.write(s) })
    .exitOverride();
  registerChat(program, io, done);
  registerAsk(program, io, done, options.hooks);
  registerGenerate(program, io, done);
  registerMcp(program, io, done, options.waitForExit ?? untilSignal);
  registerPropose(program, io, done, options.hooks);
  registerReview(program, io, done, options.hooks);
  registerPromote(program, io, done, options.hooks);
  registerSchedule(program, io, done, options.hooks);
  registerRollback(program, io, done, options.hooks);
  registerMigratePlan(program, io, done, options.hooks);
  registerDr(program, io, done, options.hooks);
  const all = (c: Command): Command[] => [c, ...c.commands.flatMap(all)];
  for (const cmd of all(program).slice(1)) cmd.exitOverride().configureOutput(program.configureOutput());
  return program;
}

export async function runAi(argv: readonly string[], io: Io, options: AiRunOptions = {}): Promise<ExitCode> {
  const done: CommandResult = { code: EXIT.ok };
  return parseAndReport(createAiProgram(io, done, options), argv, io, done);
}
