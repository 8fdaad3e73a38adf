/**
 * What a secret looks like, in one place: the names of keys and columns that hold secrets, and
 * the shapes of secrets inside text (a password in a connection URL or a libpq conninfo, a
 * `password: ...` line of YAML, a bearer token, provider and forge keys). The validator uses the
 * names to flag literal secrets, the diff to hide their values, and the guardrails' redactor
 * (with the exact secrets a session knows) on every string that leaves Honua. Pure.
 */
export const REDACTED = '«redacted»';

/** Single words that make a key a secret's name. */
const SECRET_WORDS = new Set([
  'password',
  'passwd',
  'pwd',
  'pass',
  'passphrase',
  'secret',
  'token',
  'apikey',
  'credential',
  'credentials',
  'auth',
  'authorization',
  'dsn',
  'conninfo',
  'cookie',
  'privatekey',
  'secretkey',
  'accesskey',
  'sessionkey',
  'clientsecret',
  'connectionstring',
  'databaseurl',
]);
/** Pairs of adjacent words that do (api_key, private-key, secretKey, connection_string, ...). */
const SECRET_PAIRS = new Set([
  'api key',
  'private key',
  'secret key',
  'access key',
  'session key',
  'signing key',
  'encryption key',
  'client secret',
  'connection string',
  'conn string',
  'database url',
  'db url',
  'jdbc url',
]);

const words = (key: string): string[] =>
  key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0);

/**
 * Whether a key or column name names a secret: `password`, `db_password`, `password_hash`,
 * `api_token`, `apiKey`, `secret_key`, `client_secret`, `DATABASE_URL`, ... but not `tokens_used`,
 * `primaryKey` or `keywords`.
 */
export function isSecretName(key: string): boolean {
  const w = words(key);
  if (w.length === 0) return false;
  if (SECRET_WORDS.has(w.join(''))) return true;
  for (let i = 0; i < w.length; i++) {
    if (SECRET_WORDS.has(w[i] as string)) return true;
    if (i + 1 < w.length && SECRET_PAIRS.has(`${w[i]} ${w[i + 1]}`)) return true;
  }
  return false;
}

const PATTERNS: Array<[RegExp, string]> = [
  // scheme://user:password@host → scheme://user:«redacted»@host (the password may itself hold "@": the last one before the host wins)
  [/\b([a-z][a-z0-9+.-]*:\/\/[^\s/:@'"]*):[^\s'"/?#]*@/gi, `$1:${REDACTED}@`],
  // ?password=... / &password=... in URLs
  [/([?&](?:password|pass|pwd|token|api_key|apikey|key|secret|access_token|sslpassword)=)[^&\s'"#]*/gi, `$1${REDACTED}`],
  // libpq keyword conninfo: password=secret or password='sec ret'
  [/\b((?:ssl)?password\s*=\s*)(?:'(?:[^'\\]|\\.)*'|[^\s'"]+)/gi, `$1${REDACTED}`],
  // environment-file style: PG_PASSWORD=..., export API_TOKEN=...
  [/\b([A-Z0-9_]*(?:PASSWORD|SECRET|TOKEN|API_KEY|APIKEY|PRIVATE_KEY)\s*=\s*)(?!«)(?:"[^"]*"|'[^']*'|\S+)/g, `$1${REDACTED}`],
  // Authorization: Bearer xxx / Basic xxx
  [/\b(bearer\s+)[A-Za-z0-9._~+/-]{8,}=*/gi, `$1${REDACTED}`],
  [/\b(authorization\s*:\s*basic\s+)[A-Za-z0-9+/]{8,}=*/gi, `$1${REDACTED}`],
  // provider and forge tokens
  [/\bsk-(?:ant-)?[A-Za-z0-9_-]{16,}/g, REDACTED],
  [/\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{20,}/g, REDACTED],
  [/\bgithub_pat_[A-Za-z0-9_]{20,}/g, REDACTED],
  [/\bglpat-[A-Za-z0-9_-]{20,}/g, REDACTED],
  [/\bxox[abprs]-[A-Za-z0-9-]{10,}/g, REDACTED],
  [/\bAKIA[0-9A-Z]{16}\b/g, REDACTED],
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g, REDACTED],
];

/** A `key: value` line of YAML (or a JSON member on its own line): indent and list dashes, key, colon, value. */
const YAML_LINE = /^(\s*(?:-\s+)*)("(?:[^"\\]|\\.)+"|'(?:[^']|'')+'|[A-Za-z0-9_.$-]+)(\s*:)([ \t]+)(\S.*)?$/;
/** A JSON member anywhere in a line: "key": "value". */
const JSON_MEMBER = /"((?:[^"\\]|\\.){1,128})"(\s*:\s*)"((?:[^"\\]|\\.)*)"/g;
/** A member inside a YAML flow mapping: {key: value, ...}. */
const FLOW_MEMBER = /([{,]\s*)("[^"]*"|'[^']*'|[A-Za-z0-9_.$-]+)(\s*:\s*)("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^,}\]\s][^,}\]]*)/g;

const unquote = (key: string): string => (key.startsWith('"') || key.startsWith("'") ? key.slice(1, -1) : key);
const indentOf = (line: string): number => /^\s*/.exec(line)?.[0].length ?? 0;

/**
 * Values of secret-named keys in YAML or JSON text (a config file as it is read, a message that
 * quotes one): `password: hunter2` → `password: «redacted»`, block scalars included. A value that
 * only says where a secret lives (`password: {fromEnv: PG_PASSWORD}`) is kept.
 */
export function redactSecretValues(text: string, found?: (value: string) => void): string {
  if (!/[:=]/.test(text)) return text;
  const lines = text.split('\n');
  let blockIndent = -1;
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i] as string;
    if (blockIndent >= 0) {
      if (line.trim() === '' || indentOf(line) > blockIndent) {
        if (line.trim() !== '') lines[i] = `${' '.repeat(indentOf(line))}${REDACTED}`;
        continue;
      }
      blockIndent = -1;
    }
    const m = YAML_LINE.exec(line);
    if (m && isSecretName(unquote(m[2] as string)) && m[5] !== undefined) {
      const [, lead, key, colon, space, value] = m as unknown as [string, string, string, string, string, string];
      const tag = /^((?:[!&][^\s]*\s+)*)(.*)$/.exec(value) as RegExpExecArray;
      const rest = tag[2] as string;
      if (/^[|>]/.test(rest)) {
        blockIndent = indentOf(line) + (lead.includes('-') ? lead.length - indentOf(line) : 0);
      } else if (!/^[{[*#]/.test(rest) && !/^(?:null|~)\s*(?:#.*)?$/.test(rest) && !rest.startsWith(REDACTED)) {
        // A quoted value keeps its quotes and whatever follows it (a comma, a comment); a plain one keeps a trailing comment.
        const quoted = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*')(.*)$/.exec(rest);
        const comment = /\s#.*$/.exec(rest);
        const tail = quoted ? (quoted[2] as string) : comment ? comment[0] : '';
        const q = quoted ? (quoted[1] as string)[0] : '';
        // An HTTP authorization keeps its scheme: `Authorization: Bearer «redacted»`.
        const scheme = quoted ? '' : (/^(?:bearer|basic|token|digest)\s+/i.exec(rest)?.[0] ?? '');
        found?.(
          unquote(
            quoted
              ? (quoted[1] as string)
              : rest
                  .slice(scheme.length)
                  .replace(/\s+#.*$/, '')
                  .trim(),
          ),
        );
        line = `${lead}${key}${colon}${space}${tag[1]}${scheme}${q}${REDACTED}${q}${tail}`;
      }
    }
    if (line.includes('{')) {
      line = line.replace(FLOW_MEMBER, (all, open: string, key: string, colon: string, value: string) => {
        if (!isSecretName(unquote(key)) || value.startsWith('{') || value.startsWith(REDACTED)) return all;
        const v = value.trim();
        found?.(unquote(v));
        const q = v.startsWith('"') || v.startsWith("'") ? v[0] : '';
        return `${open}${key}${colon}${q}${REDACTED}${q}`;
      });
    }
    if (line.includes('"')) {
      line = line.replace(JSON_MEMBER, (all, key: string, colon: string, value: string) => {
        if (!isSecretName(key) || value === REDACTED) return all;
        found?.(value);
        return `"${key}"${colon}"${REDACTED}"`;
      });
    }
    lines[i] = line;
  }
  return lines.join('\n');
}

/** Every shape of secret this module knows, removed from a piece of text; `found` hears each secret value taken out of a key. */
export function redactSecretText(text: string, found?: (value: string) => void): string {
  let out = redactSecretValues(text, found);
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  return out;
}
