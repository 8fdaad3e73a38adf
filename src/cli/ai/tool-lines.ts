import { type Redactor, printable } from '../../../guardrails/index.js';
import type { CallResult } from '../../../tools/index.js';
import type { AgentEvents } from '../../ai/index.js';
import type { Style } from '../io.js';

/**
 * One visible line per tool call while it runs and when it ends, on stderr (stdout is the
 * answer). What the model sent is redacted and shown with control characters escaped: a tool
 * name or argument cannot move the cursor or forge a line of its own.
 */
export function toolLines(write: (s: string) => void, style: Style, redactor: Redactor, surface: 'ask' | 'chat' = 'chat'): AgentEvents {
  const safe = (text: string): string => printable(redactor.text(text));
  // What the person sees of a call that did not run: what happened and what they can do here, not the words meant for the model.
  const why = (result: CallResult): string => {
    if (result.status === 'denied')
      return `not allowed in ${/read-only/.test(result.error?.message ?? '') ? 'read-only' : 'this'} mode (${surface === 'chat' ? '/mode propose' : '--mode propose'} allows it)`;
    if (result.status === 'unknown-tool') return safe(result.error?.message ?? 'no such tool');
    return `${safe(result.error?.message ?? '')}${result.error?.hint ? ` (${safe(result.error.hint)})` : ''}`;
  };
  return {
    toolStart: (call) => write(`${style.dim(`  → ${safe(call.name)} ${safe(summarize(redactor.value(call.arguments)))}`)}\n`),
    toolEnd: (call, result) => {
      // A proposal that already exists, unchanged, is not a failure: it is there.
      if (result.error?.code === 'proposal-exists')
        return void write(
          `  ${style.green('=')} ${safe(call.name)} already proposed: ${safe(result.error.message)} ${style.dim(`(${result.durationMs} ms)`)}\n`,
        );
      const mark =
        result.status === 'ok'
          ? style.green('✓')
          : result.status === 'denied' || result.status === 'refused' || result.status === 'unknown-tool'
            ? style.yellow('⊘')
            : style.red('✗');
      write(`  ${mark} ${safe(call.name)}${result.status === 'ok' ? '' : ` ${result.status}: ${why(result)}`} ${style.dim(`(${result.durationMs} ms)`)}\n`);
    },
    retry: (attempt, error, delay) =>
      write(`${style.yellow(`  ↻ the model provider failed (${error.message}); retry ${attempt} in ${(delay / 1000).toFixed(1)} s`)}\n`),
  };
}

function summarize(args: Record<string, unknown>): string {
  const text = JSON.stringify(args);
  return text === '{}' ? '' : text.length > 100 ? `${text.slice(0, 97)}...` : text;
}
