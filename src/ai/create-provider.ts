import { OfflinePlanner } from './offline/planner.js';
import type { PlannerSurface } from './offline/surface.js';
import { AnthropicProvider } from './providers/anthropic.js';
import { OpenAiProvider } from './providers/openai.js';
import type { Provider } from './providers/provider.js';
import type { ProviderSettings } from './providers/settings.js';

/** The provider the settings name: OpenAI (or a compatible endpoint), Anthropic, else the offline planner on `surface`. */
export function createProvider(settings: ProviderSettings, surface: PlannerSurface = { kind: 'chat' }): Provider {
  if (settings.provider === 'openai')
    return new OpenAiProvider({
      model: settings.model,
      ...(settings.apiKey ? { apiKey: settings.apiKey } : {}),
      ...(settings.baseUrl ? { baseURL: settings.baseUrl } : {}),
    });
  if (settings.provider === 'anthropic')
    return new AnthropicProvider({
      model: settings.model,
      ...(settings.apiKey ? { apiKey: settings.apiKey } : {}),
      ...(settings.baseUrl ? { baseURL: settings.baseUrl } : {}),
    });
  return new OfflinePlanner(surface);
}
