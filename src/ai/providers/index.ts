/** The model providers behind the agent loop's one narrow interface (provider.ts), and how one is chosen (settings.ts). */
export * from './provider.js';
export { OpenAiProvider, toOpenAiMessages, toOpenAiTool } from './openai.js';
export { PLACEHOLDER_API_KEY } from './wire.js';
export type { OpenAiProviderOptions } from './openai.js';
export { AnthropicProvider, DEFAULT_ANTHROPIC_MAX_TOKENS, toAnthropicMessages, toAnthropicTool } from './anthropic.js';
export type { AnthropicProviderOptions } from './anthropic.js';
export {
  resolveProviderSettings,
  loadAiConfigFile,
  PROVIDER_KINDS,
  DEFAULT_MODELS,
  DEFAULT_OPENAI_MODEL,
  DEFAULT_ANTHROPIC_MODEL,
  OFFLINE_MODEL,
} from './settings.js';
export type { ProviderKind, ProviderFlags, AiConfigFile, ProviderSettings, ResolveProviderSettingsInput } from './settings.js';
