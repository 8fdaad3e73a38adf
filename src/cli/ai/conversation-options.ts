import type { Command } from 'commander';
import type { SessionMode } from '../../../guardrails/index.js';
import { addSessionOptions } from './session-options.js';

/** Flags of every command that may use a model: context, mode and audit log, provider, --yes. */
export const addProviderOptions = (cmd: Command, defaultMode: SessionMode | null = 'propose'): Command =>
  addSessionOptions(cmd, defaultMode ?? undefined)
    .option('--provider <name>', 'openai | anthropic | offline (default: from HONUA_AI_PROVIDER, the keys set, else offline)')
    .option('--model <model>', "model name (default: HONUA_AI_MODEL, else the provider's default)")
    .option('--base-url <url>', 'OpenAI-compatible endpoint (Ollama, vLLM, llama.cpp, LM Studio); implies --provider openai')
    .option('--yes', 'allow proposals (branch + commit, nothing deployed) without asking; never covers operate calls');

/** Flags shared by `chat` and `ask` (and `propose`, `honua ai`): the provider's, and the conversation's limits and resume. */
export const addConversationOptions = (cmd: Command, defaultMode: SessionMode | null = 'propose'): Command =>
  addProviderOptions(cmd, defaultMode)
    .option('--resume <id>', 'continue a saved conversation')
    .option('--max-steps <n>', 'stop after this many model steps in one turn', '16');
