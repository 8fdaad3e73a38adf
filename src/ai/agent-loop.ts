import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import type { CallResult, ToolRunner } from '../../tools/index.js';
import { type GenerateResult, type Message, type Provider, ProviderError, type ToolCall, type ToolSpec, type TurnOutcome } from './providers/provider.js';

/**
 * The agent loop: the model proposes, the gate decides, the engine does. Each step asks the
 * provider for the next turn (streamed), runs the tool calls it asked for through the guarded
 * runner (unknown tools and refused calls come back to the model as error results and the loop
 * goes on), and stops when the model answers without calling a tool — or when a limit is hit
 * (steps, tool calls, tokens), the person cancels, or the provider keeps failing.
 */
export interface AgentLimits {
  maxSteps: number;
  maxToolCalls: number;
  maxTokens: number;
  /** Attempts per provider call for transient errors (rate limits, overload, resets). */
  retries: number;
  retryBaseMs: number;
}

export const DEFAULT_LIMITS: AgentLimits = { maxSteps: 16, maxToolCalls: 40, maxTokens: 400_000, retries: 4, retryBaseMs: 1_000 };

export interface AgentEvents {
  text?(delta: string): void;
  toolStart?(call: ToolCall): void;
  toolEnd?(call: ToolCall, result: CallResult): void;
  retry?(attempt: number, error: ProviderError, delayMs: number): void;
}

export interface ToolCallRecord {
  name: string;
  arguments: Record<string, unknown>;
  decision: CallResult['decision'];
  status: CallResult['status'];
  confirmedBy?: string;
  error?: CallResult['error'];
  durationMs: number;
}

export type StopReason = 'done' | 'step-limit' | 'tool-call-limit' | 'token-limit' | 'cancelled' | 'provider-error';

export interface TurnResult {
  text: string;
  stop: StopReason;
  /** How the turn ended for the person (see TurnOutcome); `cancelled` when they stopped it. */
  outcome: TurnOutcome | 'cancelled';
  /** Why it stopped early, in words, when it did. */
  message?: string;
  toolCalls: ToolCallRecord[];
  /** Complete messages this turn added to the conversation (to save in the transcript). */
  added: Message[];
  usage: { inputTokens: number; outputTokens: number };
}

export function toolSpecs(runner: ToolRunner): ToolSpec[] {
  return runner.available().map((t) => {
    const schema = z.toJSONSchema(t.input, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
    delete schema.$schema;
    return { name: t.name, description: `${t.title}. ${t.description}`, inputSchema: { ...schema, type: 'object' } };
  });
}

async function generateWithRetry(
  provider: Provider,
  request: Parameters<Provider['generate']>[0],
  onText: (t: string) => void,
  limits: AgentLimits,
  events: AgentEvents,
): Promise<GenerateResult> {
  for (let attempt = 1; ; attempt++) {
    let streamed = false;
    try {
      return await provider.generate(request, (e) => {
        if (e.type === 'text') {
          streamed = true;
          onText(e.text);
        }
      });
    } catch (error) {
      // Text already shown cannot be taken back, so a stream that failed halfway is not retried.
      if (!(error instanceof ProviderError) || !error.transient || attempt >= limits.retries || streamed || request.signal?.aborted) throw error;
      const delay = Math.min(limits.retryBaseMs * 2 ** (attempt - 1), 30_000) * (0.75 + Math.random() * 0.5);
      events.retry?.(attempt, error, Math.round(delay));
      await sleep(delay, undefined, request.signal ? { signal: request.signal } : {});
    }
  }
}

export async function runTurn(options: {
  provider: Provider;
  runner: ToolRunner;
  system: string;
  /** The conversation so far; the user's message is appended by the caller. */
  history: Message[];
  limits?: Partial<AgentLimits>;
  events?: AgentEvents;
  signal?: AbortSignal;
}): Promise<TurnResult> {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const events = options.events ?? {};
  const { provider, runner, signal } = options;
  const added: Message[] = [];
  const records: ToolCallRecord[] = [];
  const usage = { inputTokens: 0, outputTokens: 0 };
  let text = '';
  const stop = (reason: StopReason, message?: string, declared?: TurnOutcome): TurnResult => ({
    text,
    stop: reason,
    outcome: reason === 'cancelled' ? 'cancelled' : reason !== 'done' ? 'failed' : (declared ?? turnOutcome(records, text)),
    ...(message ? { message } : {}),
    toolCalls: records,
    added,
    usage,
  });

  for (let step = 1; ; step++) {
    if (signal?.aborted) return stop('cancelled', 'cancelled');
    if (step > limits.maxSteps)
      return stop('step-limit', `stopped after ${limits.maxSteps} steps without a final answer (the step limit); nothing more was run`);
    let result: GenerateResult;
    let streamed = '';
    try {
      result = await generateWithRetry(
        provider,
        // What goes to the provider goes through the session's redactor, the conversation included.
        {
          system: runner.redactor.text(options.system),
          messages: runner.redactor.value([...options.history, ...added]),
          tools: toolSpecs(runner),
          ...(signal ? { signal } : {}),
        },
        (delta) => {
          streamed += delta;
          text += delta;
          events.text?.(delta);
        },
        limits,
        events,
      );
    } catch (error) {
      if (signal?.aborted) return stop('cancelled', 'cancelled');
      const message = error instanceof Error ? error.message : String(error);
      return stop('provider-error', `the model provider failed: ${message}`);
    }
    // A provider that does not stream still answers: its text counts (and is shown) once.
    if (!streamed && result.text) {
      text += result.text;
      events.text?.(result.text);
    }
    usage.inputTokens += result.usage.inputTokens;
    usage.outputTokens += result.usage.outputTokens;
    if (result.toolCalls.length === 0) {
      added.push({ role: 'assistant', content: result.text });
      return stop('done', undefined, result.outcome);
    }
    const toolMessages: Message[] = [];
    for (const call of result.toolCalls) {
      if (records.length >= limits.maxToolCalls) {
        toolMessages.push({
          role: 'tool',
          toolCallId: call.id,
          name: call.name,
          content: 'Error: the tool-call limit of this turn was reached; this call was not run.',
          isError: true,
          errorCode: 'tool-call-limit',
        });
        continue;
      }
      events.toolStart?.(call);
      const outcome: CallResult = call.argumentsError
        ? {
            status: 'invalid-arguments',
            tool: call.name,
            decision: 'deny',
            text: `Error: the arguments were not valid JSON (${call.argumentsError}); nothing was run.`,
            error: { code: 'invalid-arguments', message: call.argumentsError },
            durationMs: 0,
          }
        : await runner.call(call.name, call.arguments, signal);
      events.toolEnd?.(call, outcome);
      records.push({
        name: call.name,
        arguments: runner.redactor.value(call.arguments),
        decision: outcome.decision,
        status: outcome.status,
        ...(outcome.confirmedBy ? { confirmedBy: outcome.confirmedBy } : {}),
        ...(outcome.error ? { error: outcome.error } : {}),
        durationMs: outcome.durationMs,
      });
      toolMessages.push({
        role: 'tool',
        toolCallId: call.id,
        name: call.name,
        content: outcome.text,
        ...(outcome.status !== 'ok'
          ? { isError: true, errorCode: outcome.error?.code ?? 'internal-error', error: outcome.error ?? { code: 'internal-error', message: outcome.status } }
          : {}),
        ...(outcome.structured ? { structured: outcome.structured } : {}),
      });
    }
    // The assistant turn and all its results are added together: a conversation never ends on a dangling call.
    added.push({ role: 'assistant', content: result.text, toolCalls: result.toolCalls }, ...toolMessages);
    if (signal?.aborted) return stop('cancelled', 'cancelled');
    if (records.length >= limits.maxToolCalls) return stop('tool-call-limit', `stopped after ${limits.maxToolCalls} tool calls (the tool-call limit)`);
    if (usage.inputTokens + usage.outputTokens > limits.maxTokens)
      return stop('token-limit', `stopped after ${usage.inputTokens + usage.outputTokens} tokens (the limit is ${limits.maxTokens})`);
    if (result.text) text += '\n';
  }
}

/**
 * How a model's turn ended, judged from what happened (a provider that knows says so itself):
 * a proposal or operation nobody confirmed, or a final answer that is a question, stopped for
 * the person; a turn whose last call failed, with nothing done after it, failed; anything else
 * did what was asked.
 */
export function turnOutcome(calls: readonly ToolCallRecord[], text: string): TurnOutcome {
  const lastOk = calls.map((c) => c.status).lastIndexOf('ok');
  const after = calls.slice(lastOk + 1);
  if (after.some((c) => c.status === 'refused')) return 'needs-input';
  const last =
    text
      .trim()
      .split('\n')
      .filter((l) => l.trim())
      .at(-1) ?? '';
  if (/\?\s*$/.test(last)) return 'needs-input';
  if (after.length > 0) return 'failed';
  return 'done';
}
