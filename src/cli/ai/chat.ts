import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { parseMode } from '../../../guardrails/index.js';
import { runTurn } from '../../ai/index.js';
import { UsageError } from '../../errors/index.js';
import { EXIT } from '../exit-codes.js';
import { type Io, Style } from '../io.js';
import type { CommandResult } from '../program.js';
import { addConversationOptions } from './conversation-options.js';
import { type ConsultantFlags, openConsultant } from './consultant-session.js';
import { redactedWriter } from './redacted-writer.js';
import { toolLines } from './tool-lines.js';

const HELP = `Commands:
  /help            this help
  /mode [MODE]     show or change the mode: read-only | propose | operate
  /history         what was said so far in this session
  /exit            leave (Ctrl-D works too)
Anything else is a request to the consultant. Ctrl-C cancels the running request.`;

/**
 * `honua-ai chat`: an interactive session. Answers stream as they arrive, each tool call shows a
 * line while it runs, propose and operate calls ask before they run, and the conversation is
 * saved as a transcript that --resume continues.
 */
export function registerChat(program: Command, io: Io, done: CommandResult, input: NodeJS.ReadableStream = process.stdin): void {
  addConversationOptions(program.command('chat').description('Talk with the consultant in the terminal'))
    .addHelpText('after', `\n${HELP}\n\nExamples:\n  honua-ai chat\n  honua-ai chat --repo ~/honua-config --mode read-only\n  honua-ai chat --resume 3f9a2c1b`)
    .action(async (opts: ConsultantFlags) => {
      const maxSteps = Number(opts.maxSteps ?? 16);
      if (!Number.isInteger(maxSteps) || maxSteps < 1) throw new UsageError('bad-number', `--max-steps "${opts.maxSteps}" is not a positive whole number`);
      const style = Style.detect(io, 'stderr', program.opts().color === false ? false : undefined);
      const log = (line: string) => void io.stderr.write(`${style.dim(line)}\n`);
      const session = await openConsultant(io, opts, { via: 'chat', interactive: Boolean((input as { isTTY?: boolean }).isTTY), log });
      const inputHistory: string[] = session.history
        .filter((m) => m.role === 'user')
        .map((m) => m.content)
        .reverse();
      io.stderr.write(
        `${style.bold('Honua consultant')} · ${session.settings.provider === 'offline' ? 'offline planner (no model configured)' : `${session.settings.provider} ${session.settings.model}`} · ${session.runner.mode} mode\n` +
          `${style.dim(`repository ${session.engine.workspace.repoDir ?? '(none)'} · database: ${session.engine.workspace.describeDatabase()} · /help for commands`)}\n`,
      );
      if (session.history.length > 0) log(`resumed session ${session.transcript.id} (${session.history.length} messages)`);
      const piped = (input as { isTTY?: boolean }).isTTY ? undefined : createInterface({ input, terminal: false })[Symbol.asyncIterator]();
      try {
        for (;;) {
          let line: string;
          if (piped) {
            // Piped input: one reader for the whole session, so lines sent at once are all read.
            io.stderr.write(`${style.cyan('you')}> `);
            const next = await piped.next();
            if (next.done) break;
            line = next.value.trim();
            io.stderr.write(`${line}\n`);
          } else {
            // A terminal: a fresh line reader per prompt, so a confirmation prompt can own the terminal while a request runs.
            const rl = createInterface({ input, output: io.stderr as NodeJS.WritableStream, history: inputHistory, terminal: true });
            const closed = new Promise<undefined>((resolve) => rl.once('close', () => resolve(undefined)));
            const answer = await Promise.race([rl.question(`${style.cyan('you')}> `).catch(() => undefined), closed]);
            rl.close();
            if (answer === undefined) break; // Ctrl-D / end of input
            line = answer.trim();
          }
          if (!line) continue;
          if (line === '/exit' || line === '/quit') break;
          if (line === '/help') {
            io.stderr.write(`${HELP}\n`);
            continue;
          }
          if (line.startsWith('/mode')) {
            const wanted = line.slice(5).trim();
            if (wanted) {
              const mode = parseMode(wanted);
              if (!mode) io.stderr.write(`unknown mode "${wanted}": use read-only, propose or operate\n`);
              // The engine's access is fixed when the session starts: operate calls need an operator engine.
              else if (mode === 'operate' && session.engine.access !== 'operator')
                io.stderr.write(
                  'operate mode needs a session started in it (its engine may request deployments): leave and run honua-ai chat --mode operate\n',
                );
              else session.runner.mode = mode;
            }
            io.stderr.write(`mode: ${session.runner.mode}\n`);
            continue;
          }
          if (line === '/history') {
            for (const m of session.history)
              if (m.role === 'user' || (m.role === 'assistant' && m.content))
                io.stderr.write(`${m.role === 'user' ? style.cyan('you') : style.green('honua')}: ${session.runner.redactor.text(m.content)}\n`);
            continue;
          }
          if (line.startsWith('/')) {
            io.stderr.write(`unknown command ${line.split(' ')[0]}; /help lists them\n`);
            continue;
          }
          const controller = new AbortController();
          const onSigint = () => controller.abort();
          process.on('SIGINT', onSigint);
          const user = { role: 'user' as const, content: line };
          session.transcript.append([user]);
          session.history.push(user);
          io.stdout.write(`${style.green('honua')}> `);
          const answer = redactedWriter((t) => void io.stdout.write(t), session.runner.redactor);
          const result = await runTurn({
            provider: session.provider,
            runner: session.runner,
            system: session.system(),
            history: session.history,
            limits: { maxSteps },
            events: { ...toolLines((s) => void io.stderr.write(s), style, session.runner.redactor, 'chat'), text: (t) => answer.write(t) },
            signal: controller.signal,
          }).finally(() => process.off('SIGINT', onSigint));
          answer.flush();
          session.transcript.append(result.added);
          session.history.push(...result.added);
          io.stdout.write('\n');
          if (result.stop !== 'done') io.stderr.write(`${style.yellow('stopped')}: ${session.runner.redactor.text(result.message ?? '')}\n`);
        }
        log(`session ${session.transcript.id} saved (resume with: honua-ai chat --resume ${session.transcript.id})`);
        done.code = EXIT.ok;
      } finally {
        await session.close();
      }
    });
}
