import type { GenerateRequest, GenerateResult, Provider } from '../src/ai/providers/provider.js';

/**
 * A model that follows a script: each call returns the next entry (tool calls or text; a
 * function entry runs first, e.g. to throw), and every request it was sent is recorded, so a
 * test can check what a provider would have received.
 */
export class ScriptedModel implements Provider {
  readonly name = 'scripted';
  readonly model = 'script';
  readonly seen: GenerateRequest[] = [];
  constructor(private readonly steps: Array<Partial<GenerateResult> | (() => never)>) {}
  async generate(request: GenerateRequest): Promise<GenerateResult> {
    this.seen.push(structuredClone({ ...request, signal: undefined }));
    const step = this.steps.shift() ?? { text: 'done' };
    if (typeof step === 'function') step();
    const s = step as Partial<GenerateResult>;
    return {
      text: s.text ?? '',
      toolCalls: s.toolCalls ?? [],
      stopReason: s.toolCalls?.length ? 'tool-calls' : 'end',
      usage: s.usage ?? { inputTokens: 10, outputTokens: 5 },
    };
  }
}

/** A tool call as a model makes it. */
export const call = (name: string, args: Record<string, unknown> = {}, id = name) => ({ id, name, arguments: args });
