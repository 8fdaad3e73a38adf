import inquirer from 'inquirer';
import type { Command } from 'commander';
import type { Confirmer, SessionMode } from '../../../guardrails/index.js';
import type { FlowContext, FlowOutcome, FlowPrompter, FlowResult } from '../../ai/index.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { type Io, Style, writeJson } from '../io.js';
import type { CommandResult } from '../program.js';
import { addProviderOptions } from './conversation-options.js';
import { type ConsultantFlags, type ConsultantSession, openConsultant } from './consultant-session.js';

/**
 * What the guided commands (`review`, `promote`, `schedule`, `rollback`, `migrate plan`, `dr`)
 * share: a consultant session in the mode the command needs (a person may pass a lower one), a
 * flow context whose prompts are inquirer's select and input on a terminal — and, in a script,
 * the answers given as flags (a question without one stops the flow with exit 3 and the flag to
 * pass) — the runner's confirmations (operate calls every time, never --yes), and one way to end:
 * the output, or with --json the flow's facts, and the exit code of its outcome.
 */
export interface FlowHooks {
  /** Tests: who answers confirmations and questions, instead of a terminal. */
  confirmer?: Confirmer;
  prompter?: FlowPrompter;
  /** Tests: the fetch GitHub calls use. */
  githubFetch?: typeof fetch;
}

export interface FlowFlags extends ConsultantFlags {
  json?: boolean;
  server?: string;
  githubApiUrl?: string;
  githubRepo?: string;
}

export const addFlowOptions = (cmd: Command): Command => addProviderOptions(cmd, null).option('--json', "print the flow's facts as JSON");

export function flowExit(outcome: FlowOutcome): ExitCode {
  return outcome === 'done' ? EXIT.ok : outcome === 'failed' ? EXIT.failed : EXIT.blocked;
}

export function terminalPrompter(interactive: boolean): FlowPrompter {
  return {
    async select(question, choices) {
      if (!interactive) return undefined;
      const prompt = inquirer.createPromptModule({ input: process.stdin, output: process.stderr });
      const { value } = await prompt<{ value: unknown }>([
        {
          type: 'select',
          name: 'value',
          message: question,
          choices: choices.map((c) => ({ name: c.name, value: c.value, ...(c.description ? { description: c.description } : {}) })),
        },
      ]);
      return value as never;
    },
    async input(question, fallback) {
      if (!interactive) return fallback;
      const prompt = inquirer.createPromptModule({ input: process.stdin, output: process.stderr });
      const { value } = await prompt<{ value: string }>([{ type: 'input', name: 'value', message: question, default: fallback }]);
      return value.trim() || fallback;
    },
  };
}

export async function runFlow<T>(
  io: Io,
  program: Command,
  done: CommandResult,
  flags: FlowFlags,
  options: { mode: SessionMode; hooks?: FlowHooks | undefined },
  flow: (ctx: FlowContext, session: ConsultantSession) => Promise<FlowResult<T>>,
): Promise<void> {
  const style = Style.detect(io, 'stderr', program.opts().color === false ? false : undefined);
  const log = (line: string) => void io.stderr.write(`${style.dim(line)}\n`);
  const interactive = Boolean(process.stdin.isTTY && io.stderr.isTTY) && !flags.json;
  const session = await openConsultant(
    io,
    { ...flags, mode: flags.mode ?? options.mode },
    {
      via: 'ask',
      interactive,
      log,
      ...(options.hooks?.confirmer ? { confirmer: options.hooks.confirmer } : {}),
      ...(options.hooks?.githubFetch ? { githubFetch: options.hooks.githubFetch } : {}),
    },
  );
  const redact = (t: string) => session.runner.redactor.text(t);
  const say = flags.json ? (t: string) => void io.stderr.write(`${redact(t)}\n`) : (t: string) => void io.stdout.write(`${redact(t)}\n`);
  try {
    if (!flags.json)
      log(
        `honua-ai · ${session.runner.mode} mode · repository ${session.engine.workspace.repoDir ?? '(none)'}${session.settings.provider === 'offline' ? '' : ` · explained by ${session.settings.provider} ${session.settings.model}`}`,
      );
    const ctx: FlowContext = {
      runner: session.runner,
      engine: session.engine,
      say,
      note: log,
      prompter: options.hooks?.prompter ?? terminalPrompter(interactive),
      ...(session.settings.provider !== 'offline' ? { explainer: session.provider } : {}),
    };
    const result = await flow(ctx, session);
    if (flags.json) writeJson(io, session.runner.redactor.value({ outcome: result.outcome, ...result.data, toolCalls: result.calls }));
    done.code = flowExit(result.outcome);
  } finally {
    await session.close();
  }
}
