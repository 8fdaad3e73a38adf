import type { AgentEvents } from '../../ai/agent-loop.js';
import type { Style } from '../io.js';

/** One visible line per tool call while it runs and when it ends, on stderr (stdout is the answer). */
export function toolLines(write: (s: string) => void, style: Style): AgentEvents {
  return {
    toolStart: (call) => write(`${style.dim(`  → ${call.name} ${summarize(call.arguments)}`)}\n`),
    toolEnd: (call, result) => {
      const mark = result.status === 'ok' ? style.green('✓') : result.status === 'denied' || result.status === 'refused' || result.status === 'unknown-tool' ? style.yellow('⊘') : style.red('✗');
      write(`  ${mark} ${call.name}${result.status === 'ok' ? '' : ` ${result.status}: ${result.error?.message ?? ''}`} ${style.dim(`(${result.durationMs} ms)`)}\n`);
    },
    retry: (attempt, error, delay) => write(`${style.yellow(`  ↻ the model provider failed (${error.message}); retry ${attempt} in ${(delay / 1000).toFixed(1)} s`)}\n`),
  };
}

function summarize(args: Record<string, unknown>): string {
  const text = JSON.stringify(args);
  return text === '{}' ? '' : text.length > 100 ? `${text.slice(0, 97)}...` : text;
}
