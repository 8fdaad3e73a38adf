import type { ErrorCode } from '../../errors/index.js';
import type { Message, ToolCall, TurnOutcome } from '../providers/provider.js';

/**
 * What the offline planner works with on each turn: the calls made since the person's last
 * message (`Done`, read back from the conversation) and what it decides next (`Step`: one tool
 * call, or the final answer with how the turn ended). Every flow is a function from the calls
 * done to the next step, so a turn can be rebuilt from the conversation at any point.
 */
export interface Done {
  name: string;
  args: Record<string, unknown>;
  ok: boolean;
  errorCode?: ErrorCode;
  /** The error as a person reads it (never the text written for a model). */
  error?: { code: string; message: string; hint?: string };
  content: string;
  data: Record<string, unknown>;
}

export type Step = { call: string; args: Record<string, unknown> } | { text: string; outcome: TurnOutcome };

export const unwrap = (s: unknown): string => (typeof s === 'string' ? s.replace(/<\/?untrusted[-_]data[^>]*>/g, '') : '');
export const finished = (text: string): Step => ({ text, outcome: 'done' });
export const failed = (text: string): Step => ({ text, outcome: 'failed' });
export const question = (text: string): Step => ({ text, outcome: 'needs-input' });
export const call = (name: string, args: Record<string, unknown> = {}): Step => ({ call: name, args });

/** The newest call of that tool this turn. */
export const lastOf = (done: readonly Done[], name: string): Done | undefined => [...done].reverse().find((d) => d.name === name);

/** A read tool's result in words, or what went wrong. */
export function report(r: Done, describe: (r: Done) => string, failure: string): Step {
  return r.ok ? finished(describe(r)) : failed(`${failure}: ${problem(r)}`);
}

/** A failed call as a person reads it: the message, and the hint on a line of its own. Never the model's text. */
export function problem(d: Done): string {
  if (d.error) return `${d.error.message}${d.error.hint ? `\n  ${d.error.hint}` : ''}`;
  return firstLine(d.content);
}

/** Nobody could be asked to confirm (a one-shot ask without a terminal), as opposed to a person who said no. */
export const nobodyToConfirm = (d: Done): boolean =>
  d.errorCode === 'not-confirmed' && /not interactive|nobody can be asked|cannot ask/.test(d.error?.message ?? '');

export function firstLine(text: string): string {
  const body = unwrap(text)
    .replace(/^The block below[^\n]*\n/m, '')
    .trim();
  return body
    .split('\n')
    .filter((l) => l.trim() && !/^Error \(/.test(l))
    .slice(0, 3)
    .join(' ')
    .trim();
}

/** The person's last message and the calls made since, with their results. */
export function lastExchange(messages: readonly Message[]): { user: string; done: Done[] } {
  let u = messages.length - 1;
  while (u >= 0 && messages[u]?.role !== 'user') u--;
  const user = u >= 0 ? (messages[u] as { content: string }).content : '';
  const calls = new Map<string, ToolCall>();
  const done: Done[] = [];
  for (const m of messages.slice(u + 1)) {
    if (m.role === 'assistant') for (const c of m.toolCalls ?? []) calls.set(c.id, c);
    if (m.role === 'tool') {
      done.push({
        name: m.name,
        args: calls.get(m.toolCallId)?.arguments ?? {},
        ok: !m.isError,
        ...(m.errorCode ? { errorCode: m.errorCode } : {}),
        ...(m.error ? { error: m.error } : {}),
        content: m.content,
        data: m.structured ?? {},
      });
    }
  }
  return { user, done };
}
