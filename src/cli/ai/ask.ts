import type { Command } from 'commander';
import { runTurn, type TurnOutcome } from '../../ai/index.js';
import { UsageError } from '../../errors/index.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { type Io, Style, writeJson } from '../io.js';
import type { CommandResult } from '../program.js';
import { addConversationOptions } from './conversation-options.js';
import { type ConsultantFlags, openConsultant } from './consultant-session.js';
import { redactedWriter } from './redacted-writer.js';
import { toolLines } from './tool-lines.js';
import type { FlowHooks } from './flow-session.js';

/**
 * What `honua-ai ask` exits with: 0 when it did what was asked (or answered), 1 when the request
 * failed (an unknown table, a layer that exists, a refused or failed proposal, a limit), 3 when it
 * stopped for a person (a question only they can answer, a confirmation nobody could give), 130
 * when the person cancelled it (Ctrl-C).
 */
export function outcomeExit(outcome: TurnOutcome | 'cancelled'): ExitCode {
  return outcome === 'done' ? EXIT.ok : outcome === 'needs-input' ? EXIT.blocked : outcome === 'cancelled' ? EXIT.cancelled : EXIT.failed;
}

/**
 * `honua-ai ask "<request>"`: one request, one answer, for scripts. The answer streams to
 * stdout, a line per tool call to stderr; --json prints the tool calls (name, arguments, the
 * gate's decision, the outcome) and the answer instead. Ctrl-C stops it cleanly: a running
 * tool finishes or is cancelled, and nothing is left half-written.
 */
export function registerAsk(program: Command, io: Io, done: CommandResult, hooks?: FlowHooks): void {
  addConversationOptions(
    program
      .command('ask')
      .description('Ask the consultant one thing (non-interactive unless a terminal is attached)')
      .argument('<request...>', 'what you want, in words'),
  )
    .option('--json', 'print the tool calls and the final answer as JSON')
    .addHelpText(
      'after',
      `
With no configuration at all it works on the embedded sample city and a workspace copy of the
sample config repository ($HONUA_HOME/workspace/honua-config, with a local origin remote).

Exit codes: 0 done (or answered), 1 the request failed, 2 usage error, 3 stopped for you (a
question to answer or a proposal to confirm: the answer ends with the command to run), 130
cancelled. With --json the outcome is the "outcome" field (done, failed, needs-input, cancelled).

Examples:
  honua-ai ask --yes "add a layer for the transit routes table"
  honua-ai ask "what's in the database?"
  honua-ai ask --json "plan production" | jq .toolCalls
  OPENAI_API_KEY=... honua-ai ask "which layers have no spatial index, and fix one"`,
    )
    .action(async (words: string[], opts: ConsultantFlags & { json?: boolean }) => runAsk(program, io, done, words, opts, { ...(hooks ? { hooks } : {}) }));
}

/** One request to the consultant, answered (ask, propose, and `honua ai`). */
export async function runAsk(
  program: Command,
  io: Io,
  done: CommandResult,
  words: string[],
  opts: ConsultantFlags & { json?: boolean },
  options: { pullRequest?: boolean; command?: string; hooks?: FlowHooks } = {},
): Promise<void> {
  const request = words.join(' ').trim();
  if (!request)
    throw new UsageError('empty-request', 'tell the consultant what you want', {
      hint: `${options.command ?? 'honua-ai ask'} "add a layer for the parks table"`,
    });
  const maxSteps = Number(opts.maxSteps ?? 16);
  if (!Number.isInteger(maxSteps) || maxSteps < 1) throw new UsageError('bad-number', `--max-steps "${opts.maxSteps}" is not a positive whole number`);
  const style = Style.detect(io, 'stderr', program.opts().color === false ? false : undefined);
  const log = (line: string) => void io.stderr.write(`${style.dim(line)}\n`);
  const interactive = Boolean(process.stdin.isTTY && io.stderr.isTTY) && !opts.json;
  const session = await openConsultant(io, opts, {
    via: 'ask',
    interactive,
    log,
    ...(options.pullRequest ? { pullRequest: true } : {}),
    ...(options.hooks?.confirmer ? { confirmer: options.hooks.confirmer } : {}),
    ...(options.hooks?.githubFetch ? { githubFetch: options.hooks.githubFetch } : {}),
  });
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(EXIT.failed);
    io.stderr.write('\nCancelling (Ctrl-C again to quit at once)...\n');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  try {
    if (!opts.json)
      log(
        `honua-ai ${session.settings.provider === 'offline' ? 'offline planner' : `${session.settings.provider} ${session.settings.model}`} · ${session.runner.mode} mode · repository ${session.engine.workspace.repoDir ?? '(none)'}`,
      );
    const user = { role: 'user' as const, content: request };
    session.transcript.append([user]);
    const answer = redactedWriter((t) => void io.stdout.write(t), session.runner.redactor);
    const result = await runTurn({
      provider: session.provider,
      runner: session.runner,
      system: session.system(),
      history: [...session.history, user],
      limits: { maxSteps },
      events: opts.json
        ? {}
        : { ...toolLines((s) => void io.stderr.write(s), style, session.runner.redactor, session.surface.kind), text: (t) => answer.write(t) },
      signal: controller.signal,
    });
    answer.flush();
    session.transcript.append(result.added);
    if (opts.json) {
      // Everything in the JSON goes out through the redactor: the answer and messages included.
      writeJson(
        io,
        session.runner.redactor.value({
          session: session.transcript.id,
          provider: session.settings.provider,
          model: session.settings.model,
          mode: session.runner.mode,
          outcome: result.outcome,
          toolCalls: result.toolCalls,
          answer: result.text,
          stop: result.stop,
          ...(result.message ? { message: result.message } : {}),
          usage: result.usage,
          transcript: session.transcript.file,
        }),
      );
    } else {
      if (result.text && !result.text.endsWith('\n')) io.stdout.write('\n');
      if (result.stop !== 'done') io.stderr.write(`${style.yellow('stopped')}: ${session.runner.redactor.text(result.message ?? '')}\n`);
      log(`session ${session.transcript.id} (continue with: honua-ai chat --resume ${session.transcript.id})`);
    }
    done.code = outcomeExit(result.outcome);
  } finally {
    process.off('SIGINT', onSigint);
    await session.close();
  }
}
