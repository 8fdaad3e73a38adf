import { isNear, packageVersion } from '../config/index.js';
import { Command, CommanderError } from 'commander';
import { Redactor } from '../../guardrails/index.js';
import { ConfigInvalidError, HonuaError, isHonuaError } from '../errors/index.js';
import { runAsk } from './ai/ask.js';
import { addConversationOptions } from './ai/conversation-options.js';
import type { ConsultantFlags } from './ai/consultant-session.js';
import { registerBackup } from './commands/backup.js';
import { registerDb } from './commands/db.js';
import { registerDeploy } from './commands/deploy.js';
import { registerDeployments } from './commands/deployments.js';
import { registerRollback } from './commands/rollback.js';
import { registerConformance } from './commands/conformance.js';
import { registerServe } from './commands/serve.js';
import { registerStatus } from './commands/status.js';
import { registerTest } from './commands/test.js';
import { registerUser } from './commands/user.js';
import { registerDiff } from './commands/diff.js';
import { registerMigrate } from './commands/migrate.js';
import { registerPlan } from './commands/plan.js';
import { registerPolicyCheck } from './commands/policy-check.js';
import { registerSchema } from './commands/schema.js';
import { registerValidate } from './commands/validate.js';
import { debugEnabled } from './debug.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { type Io, Style } from './io.js';
import { renderProblems } from './render/problems.js';

/** Set by a command's action: the exit code of the run. */
export interface CommandResult {
  code: ExitCode;
}

export { packageVersion };
const VERSION = packageVersion();

export function createProgram(io: Io, done: CommandResult): Command {
  const program = new Command('honua')
    .description("Honua: a geospatial server's configuration, run from git — validate, plan, deploy, approve, roll back")
    .version(VERSION, '-V, --version')
    .option('--no-color', 'plain output without colors (also: NO_COLOR=1)')
    .showSuggestionAfterError(false)
    .showHelpAfterError("Run 'honua --help' to see the commands and their options.")
    .configureOutput({
      writeOut: (s) => void io.stdout.write(s),
      writeErr: (s) => void io.stderr.write(s),
    })
    .exitOverride();
  registerValidate(program, io, done);
  registerDiff(program, io, done);
  registerPlan(program, io, done);
  registerPolicyCheck(program, io, done);
  registerSchema(program, io, done);
  registerDb(program, io, done);
  registerMigrate(program, io, done);
  registerBackup(program, io, done);
  registerDeploy(program, io, done);
  registerStatus(program, io, done);
  registerDeployments(program, io, done);
  registerRollback(program, io, done);
  registerTest(program, io, done);
  registerUser(program, io, done);
  registerServe(program, io, done);
  registerConformance(program, io, done);
  // `honua ai "<request>"` (seeds 001, 002): the consultant's `honua-ai ask`, under the main command.
  addConversationOptions(program.command('ai').description('Ask the consultant (the same as honua-ai ask)').argument('<request...>', 'what you want, in words'))
    .option('--json', 'print the tool calls and the final answer as JSON')
    .addHelpText('after', '\nExamples:\n  honua ai "add a layer for the transit routes table"\n  honua ai --mode read-only "what failed in production?"')
    .action(async (words: string[], opts: ConsultantFlags & { json?: boolean }) => runAsk(program, io, done, words, opts, { command: 'honua ai' }));
  const all = (c: Command): Command[] => [c, ...c.commands.flatMap(all)];
  for (const cmd of all(program).slice(1)) cmd.exitOverride().configureOutput(program.configureOutput());
  return program;
}

function wantsJson(argv: readonly string[]): boolean {
  return argv.includes('--json');
}

/**
 * Runs `honua` with arguments (without the node and script names) and returns the exit code.
 * User mistakes print a message and a hint, never a stack trace; only a bug (an error that is
 * not a HonuaError) prints one, and HONUA_DEBUG=1 shows the stack of any error.
 */
export async function run(argv: readonly string[], io: Io): Promise<ExitCode> {
  const done: CommandResult = { code: EXIT.ok };
  return parseAndReport(createProgram(io, done), argv, io, done);
}

/** Parses and runs a program (honua or honua-ai); turns help, usage errors and failures into exit codes. */
export async function parseAndReport(program: Command, argv: readonly string[], io: Io, done: CommandResult): Promise<ExitCode> {
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return done.code;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return EXIT.ok;
      if (error.code === 'commander.unknownCommand') {
        // Planned commands are hidden, so commander does not suggest them: a typo of one still gets its name.
        const typed = /'([^']+)'/.exec(error.message)?.[1] ?? '';
        const near = program.commands.map((c) => c.name()).filter((n) => n !== 'help' && isNear(typed, n));
        if (near.length > 0) io.stderr.write(`Did you mean ${near.map((n) => `'${program.name()} ${n}'`).join(' or ')}?\n`);
      }
      return EXIT.usage;
    }
    return reportError(error, io, wantsJson(argv), argv.includes('--no-color'));
  }
}

export function reportError(error: unknown, io: Io, json: boolean, noColor: boolean): ExitCode {
  const style = Style.detect(io, 'stderr', noColor ? false : undefined);
  // An error can quote what it failed on (a connection string, a file's line): secrets never leave with it.
  const redactor = new Redactor();
  redactor.addFromEnv(io.env);
  const { stdout, stderr } = io;
  io = { ...io, stdout: { write: (t: string) => stdout.write(redactor.text(t)) }, stderr: { write: (t: string) => stderr.write(redactor.text(t)) } };
  const debug = debugEnabled(io.env);
  // The catalogue says which exit code an error ends a command with (usage errors 2, failures 1).
  const code = isHonuaError(error) ? (error.exitCode as ExitCode) : EXIT.failed;
  if (isHonuaError(error)) {
    if (json) {
      const body: Record<string, unknown> = { error: error.toJSON() };
      if (error instanceof ConfigInvalidError) body.problems = error.problems;
      io.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
    }
    if (error instanceof ConfigInvalidError && !json) io.stderr.write(`${renderProblems(error.problems, style, error.texts)}\n\n`);
    io.stderr.write(`${style.red(style.bold('error'))}: ${error.message}\n`);
    if (error.hint) io.stderr.write(`  ${style.cyan('hint')}: ${error.hint}\n`);
    if (debug) io.stderr.write(`${error.stack}\n`);
    return code;
  }
  const wrapped = new HonuaError('internal-error', `unexpected error: ${(error as Error)?.message ?? String(error)}`, { fault: 'system', cause: error });
  if (json) io.stdout.write(`${JSON.stringify({ error: wrapped.toJSON() }, null, 2)}\n`);
  io.stderr.write(
    `${style.red(style.bold('internal error'))}: ${wrapped.message}\nThis is a bug in Honua; please report it with the command you ran.\n${(error as Error)?.stack ?? ''}\n`,
  );
  return EXIT.failed;
}
