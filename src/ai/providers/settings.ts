import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { HonuaError } from '../../errors/index.js';

/**
 * Which model the assistant talks to, decided in one place from the command line, the
 * environment and the AI config file. Pure: the environment and the file's contents are passed in.
 *
 * Precedence, for each setting: flag > environment (HONUA_AI_PROVIDER, HONUA_AI_MODEL,
 * HONUA_AI_BASE_URL) > config file > inference > default.
 *
 * Inference, when nothing names the provider:
 * - a base URL (from any layer) means an OpenAI-compatible server (Ollama, vLLM, llama.cpp, LM Studio);
 * - else OPENAI_API_KEY means openai, ANTHROPIC_API_KEY means anthropic; with both, openai wins
 *   (set HONUA_AI_PROVIDER=anthropic to choose the other);
 * - else the offline planner, which needs no model at all.
 *
 * The file's model, base URL and apiKeyEnv apply only when the file names no provider or the same
 * provider as was chosen: a model written for Anthropic is no use to OpenAI.
 *
 * The key: the variable the file's apiKeyEnv names (and only that one, so a missing variable is
 * reported rather than another account's key used), else OPENAI_API_KEY / ANTHROPIC_API_KEY.
 * Its value is returned in `apiKey` and nowhere else: never in `source` or an error message.
 */

export type ProviderKind = 'openai' | 'anthropic' | 'offline';

export const PROVIDER_KINDS: readonly ProviderKind[] = ['openai', 'anthropic', 'offline'];

/** Small, fast and good at tool calls; override with --model or HONUA_AI_MODEL. */
export const DEFAULT_OPENAI_MODEL = 'gpt-5-mini';
export const DEFAULT_ANTHROPIC_MODEL = 'claude-sonnet-4-5';
export const OFFLINE_MODEL = 'offline-planner';

export const DEFAULT_MODELS: Readonly<Record<ProviderKind, string>> = {
  openai: DEFAULT_OPENAI_MODEL,
  anthropic: DEFAULT_ANTHROPIC_MODEL,
  offline: OFFLINE_MODEL,
};

export interface ProviderFlags {
  provider?: string;
  model?: string;
  baseUrl?: string;
}

export interface AiConfigFile {
  provider?: ProviderKind;
  model?: string;
  baseUrl?: string;
  /** The name of the environment variable that holds the key (never the key itself). */
  apiKeyEnv?: string;
}

export interface ProviderSettings {
  provider: ProviderKind;
  model: string;
  baseUrl?: string;
  apiKey?: string;
  /** Where the provider choice came from, for `honua ai status` and logs: 'flag --provider', 'OPENAI_API_KEY', ... */
  source: string;
}

export interface ResolveProviderSettingsInput {
  flags: ProviderFlags;
  env: NodeJS.ProcessEnv;
  file?: AiConfigFile;
}

export function resolveProviderSettings({ flags, env, file }: ResolveProviderSettingsInput): ProviderSettings {
  const value = (text: string | undefined) => (text?.trim() ? text.trim() : undefined);
  const openaiKey = value(env.OPENAI_API_KEY);
  const anthropicKey = value(env.ANTHROPIC_API_KEY);

  const explicit =
    pick(flags.provider, 'flag --provider') ??
    pick(env.HONUA_AI_PROVIDER, 'HONUA_AI_PROVIDER') ??
    (file?.provider ? { kind: file.provider, source: 'config file' } : undefined);
  const explicitBaseUrl = value(flags.baseUrl) ?? value(env.HONUA_AI_BASE_URL);

  let provider: ProviderKind;
  let source: string;
  if (explicit) {
    ({ kind: provider, source } = explicit);
  } else if (explicitBaseUrl || value(file?.baseUrl)) {
    provider = 'openai';
    source = value(flags.baseUrl) ? 'flag --base-url' : value(env.HONUA_AI_BASE_URL) ? 'HONUA_AI_BASE_URL' : 'config file';
  } else if (openaiKey) {
    provider = 'openai';
    source = 'OPENAI_API_KEY';
  } else if (anthropicKey) {
    provider = 'anthropic';
    source = 'ANTHROPIC_API_KEY';
  } else {
    provider = 'offline';
    source = 'default: no key configured';
  }

  if (provider === 'offline') return { provider, model: OFFLINE_MODEL, source };

  const fileApplies = file !== undefined && (file.provider === undefined || file.provider === provider);
  const model = value(flags.model) ?? value(env.HONUA_AI_MODEL) ?? (fileApplies ? value(file.model) : undefined) ?? DEFAULT_MODELS[provider];
  const baseUrl = explicitBaseUrl ?? (fileApplies ? value(file.baseUrl) : undefined);

  const keyEnv = fileApplies && file.apiKeyEnv ? file.apiKeyEnv : provider === 'openai' ? 'OPENAI_API_KEY' : 'ANTHROPIC_API_KEY';
  const apiKey = value(env[keyEnv]);

  if (!apiKey && !baseUrl) {
    const local =
      provider === 'openai'
        ? '; or, for a local OpenAI-compatible server (Ollama, vLLM, llama.cpp, LM Studio), pass --base-url <url> or set HONUA_AI_BASE_URL'
        : '';
    throw new HonuaError('provider-not-configured', `the ${provider} provider (chosen by ${source}) has no API key: ${keyEnv} is not set`, {
      hint: `Set ${keyEnv}${local}; or choose another provider with --provider.`,
      data: { provider, keyVariable: keyEnv },
    });
  }

  return { provider, model, ...(baseUrl ? { baseUrl } : {}), ...(apiKey ? { apiKey } : {}), source };
}

function pick(raw: string | undefined, source: string): { kind: ProviderKind; source: string } | undefined {
  const text = raw?.trim().toLowerCase();
  if (!text) return undefined;
  if (!(PROVIDER_KINDS as readonly string[]).includes(text)) {
    throw new HonuaError('provider-unknown', `${source} names an unknown provider "${raw?.trim()}"`, {
      hint: `Use one of: ${PROVIDER_KINDS.join(', ')}. Local servers (Ollama, vLLM, llama.cpp, LM Studio) are openai with --base-url.`,
    });
  }
  return { kind: text as ProviderKind, source };
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const aiConfigFileSchema = z.strictObject({
  provider: z.enum(['openai', 'anthropic', 'offline']).optional(),
  model: z.string().trim().min(1).optional(),
  baseUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  apiKeyEnv: z.string().regex(ENV_NAME, 'must be the name of an environment variable, like MY_OPENAI_KEY').optional(),
});

/**
 * Reads the AI config file (YAML with provider, model, baseUrl, apiKeyEnv). A missing file is
 * undefined; an empty one is {}; anything else that is not exactly that shape is a HonuaError
 * naming the file and what is wrong. A key written into the file is refused (without echoing it).
 */
export function loadAiConfigFile(path: string): AiConfigFile | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new HonuaError('ai-config-unreadable', `cannot read the AI config file ${path}: ${(error as Error).message}`, { cause: error, fault: 'system' });
  }
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (error) {
    throw new HonuaError('ai-config-invalid', `the AI config file ${path} is not valid YAML: ${(error as Error).message}`, { cause: error });
  }
  if (raw === null || raw === undefined) return {};
  if (typeof raw === 'object' && !Array.isArray(raw) && ('apiKey' in raw || 'api_key' in raw)) {
    throw new HonuaError('ai-config-invalid', `the AI config file ${path} contains an API key`, {
      hint: 'Keep keys out of files that may be committed: remove it, put the key in an environment variable, and name that variable with apiKeyEnv.',
    });
  }
  const parsed = aiConfigFileSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(top level)'}: ${issue.message}`);
    throw new HonuaError('ai-config-invalid', `the AI config file ${path} is invalid: ${problems.join('; ')}`, {
      hint: 'It may set provider (openai, anthropic or offline), model, baseUrl and apiKeyEnv, and nothing else.',
      data: { problems },
    });
  }
  const { provider, model, baseUrl, apiKeyEnv } = parsed.data;
  return { ...(provider ? { provider } : {}), ...(model ? { model } : {}), ...(baseUrl ? { baseUrl } : {}), ...(apiKeyEnv ? { apiKeyEnv } : {}) };
}
