import { isSecretName, REDACTED, redactSecretText } from '../src/config/index.js';

/**
 * Secrets never reach a model, a tool result, a message or a log. `Redactor` removes:
 *   - passwords in connection strings (postgres://user:secret@host, key=value conninfo, ?password=)
 *   - values of keys that name secrets (password, secret, token, apiKey, password_hash, ...),
 *     in structured values and in YAML or JSON text (`password: hunter2` in a config file)
 *   - well-known token shapes (OpenAI/Anthropic keys, GitHub tokens, bearer tokens, AWS key ids)
 *   - every exact secret value the session knows about (the resolved database password, API keys
 *     from the environment), wherever it appears.
 * Redaction works on any JSON-like value and returns a copy; the input is not changed. What
 * counts as a secret is defined once, in src/config/secret-text.ts.
 */
export { REDACTED };

export class Redactor {
  private readonly known: string[] = [];

  /** Secrets the session holds (at least 4 characters, so "a" does not blank every a). */
  addSecret(value: string | undefined | null): void {
    if (typeof value !== 'string' || value.length < 4 || this.known.includes(value)) return;
    this.known.push(value);
    this.known.sort((a, b) => b.length - a.length);
  }

  /** Secrets named by the usual environment variables. */
  addFromEnv(env: NodeJS.ProcessEnv): void {
    for (const [name, value] of Object.entries(env)) {
      if (/(?:PASSWORD|SECRET|TOKEN|API_KEY|APIKEY|PRIVATE_KEY)$/i.test(name) || name === 'PGPASSWORD' || /DATABASE_URL$/.test(name)) {
        this.addSecret(value);
        // A URL's password alone, so it is found wherever it appears on its own.
        if (value && /:\/\//.test(value)) {
          try {
            this.addSecret(decodeURIComponent(new URL(value).password));
          } catch {
            // not a parseable URL; the whole value is already known
          }
        }
      }
    }
  }

  /**
   * A secret value met under a secret-named key (in a config file the consultant read, in a
   * structured result) is learned, so the session also hides it where it turns up on its own
   * later (a model quoting it in prose). Only values of 8 characters or more are learned, so
   * `auth: true` does not blank every "true".
   */
  private learn = (value: string): void => {
    if (value.length >= 8 && !value.includes(REDACTED) && !/^\$\{?[A-Za-z_]\w*\}?$/.test(value)) this.addSecret(value);
  };

  text(value: string): string {
    let out = value;
    for (const secret of this.known) out = out.split(secret).join(REDACTED);
    return redactSecretText(out, this.learn);
  }

  value<T>(value: T): T {
    return this.walk(value, 0) as T;
  }

  private walk(value: unknown, depth: number): unknown {
    if (typeof value === 'string') return this.text(value);
    if (value === null || typeof value !== 'object' || depth > 64) return value;
    if (Array.isArray(value)) return value.map((v) => this.walk(v, depth + 1));
    if (value instanceof Date) return value;
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      // A secret-named key with a plain value is blanked; one with a structured value ({fromEnv: X}) only names where a secret lives.
      const secret = isSecretName(key) && (typeof v === 'string' || typeof v === 'number') && String(v).length > 0;
      if (secret) this.learn(String(v));
      out[key] = secret ? REDACTED : this.walk(v, depth + 1);
    }
    return out;
  }
}
