import type { ConsultantFlags } from './consultant-session.js';

/**
 * The `honua-ai ask` command that runs a request again with this run's options, plus `extra`
 * flags (`--yes`, `--mode propose`): what a one-shot answer ends with when it needs something
 * only the person can give. Quoted for a POSIX shell.
 */
export const shellQuote = (s: string): string => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

export function rerunCommand(flags: ConsultantFlags & { json?: boolean }, request: string, extra: readonly string[] = []): string {
  const has = (flag: string): boolean => extra.includes(flag);
  const out = ['honua-ai', 'ask', ...extra];
  if (flags.yes && !has('--yes')) out.push('--yes');
  if (flags.json) out.push('--json');
  if (flags.mode !== undefined && flags.mode !== 'propose' && !has('--mode')) out.push('--mode', flags.mode);
  if (flags.repo !== undefined) out.push('--repo', flags.repo);
  if (flags.environment !== undefined && flags.environment !== 'development') out.push('-e', flags.environment);
  if (flags.databaseUrl !== undefined) out.push('--database-url', flags.databaseUrl);
  if (flags.datasource !== undefined) out.push('--datasource', flags.datasource);
  if (flags.dbRole !== undefined) out.push('--db-role', flags.dbRole);
  if (flags.provider !== undefined) out.push('--provider', flags.provider);
  if (flags.model !== undefined) out.push('--model', flags.model);
  if (flags.baseUrl !== undefined) out.push('--base-url', flags.baseUrl);
  return [...out.map(shellQuote), shellQuote(request)].join(' ');
}
