import { parseAllDocuments } from 'yaml';
import type { PreparedFile, PreparedProposal } from '../src/source/index.js';
import type { ToolPreview } from './define-tool.js';

/**
 * What a person is shown before a proposal is committed, computed by Honua from the prepared
 * proposal — never taken from the model's words: the branch and its base, each file with its
 * status and the lines it adds and removes, the SQL every migration will run, whether deployment
 * policy is touched (said first and loudly), where it is pushed. The commit message is the
 * model's text and is shown quoted on one line.
 */
const MAX_SQL_LINES = 40;

const isPolicyPath = (p: string): boolean => p.startsWith('policies/') || p.startsWith('.gitops/');
const declaresPolicy = (content: string): boolean => /^kind:\s*["']?DeploymentPolicy["']?\s*$/m.test(content);

/** The SQL a migration file will run, step by step (up, then down), as lines. */
function migrationSql(file: PreparedFile): string[] {
  if (file.path.endsWith('.sql')) return file.content.split('\n').filter((l, i, all) => l.trim() !== '' || i < all.length - 1);
  const out: string[] = [];
  for (const doc of parseAllDocuments(file.content)) {
    if (!('toJS' in doc)) continue;
    const value = doc.toJS() as { kind?: string; spec?: Record<string, unknown> } | null;
    if (value?.kind !== 'Migration' || !value.spec) continue;
    for (const phase of ['up', 'down'] as const) {
      const steps = Array.isArray(value.spec[phase]) ? (value.spec[phase] as Array<Record<string, unknown>>) : [];
      for (const [i, step] of steps.entries()) {
        out.push(`${phase} ${i + 1}${typeof step.name === 'string' ? ` (${step.name})` : ''}:`);
        if (typeof step.content === 'string')
          out.push(
            ...step.content
              .trimEnd()
              .split('\n')
              .map((l) => `  ${l}`),
          );
        else if (typeof step.file === 'string') out.push(`  (the SQL in ${step.file})`);
      }
    }
  }
  return out;
}

export function proposalPreview(p: PreparedProposal & { validation: { problems: Array<{ severity: string }> } }): ToolPreview {
  const short = p.base.commit.slice(0, 7);
  const changed = p.files.filter((f) => f.status !== 'unchanged');
  const warnings: string[] = [];
  const policies = changed.filter((f) => isPolicyPath(f.path) || declaresPolicy(f.content)).map((f) => f.path);
  if (policies.length > 0) {
    warnings.push(
      `CHANGES DEPLOYMENT POLICY: ${policies.join(', ')}. This can change who must approve deployments, when they may run and what they may break. ` +
        'Deployments are still judged by the policy already in place; this one takes effect only once it is itself deployed.',
    );
  }
  const migrations = changed.filter((f) => f.path.startsWith('migrations/'));
  if (migrations.length > 0) warnings.push(`CHANGES THE DATABASE when deployed: ${migrations.map((f) => f.path).join(', ')} (the SQL is below).`);
  if (p.origin !== undefined) warnings.push('Pushes the new branch to the origin remote.');

  const details: string[] = [];
  for (const f of p.files) {
    const mark = f.status === 'new' ? '+' : f.status === 'modified' ? '~' : '=';
    details.push(`${mark} ${f.path} (${f.status}, +${f.added} −${f.removed} lines)`);
  }
  for (const f of migrations) {
    const sql = migrationSql(f);
    if (sql.length === 0) continue;
    details.push(`SQL in ${f.path}:`);
    details.push(...sql.slice(0, MAX_SQL_LINES).map((l) => `│ ${l}`));
    if (sql.length > MAX_SQL_LINES) details.push(`│ … ${sql.length - MAX_SQL_LINES} more lines (read the file on the branch)`);
  }
  const warningsFound = p.validation.problems.filter((x) => x.severity === 'warning').length;
  details.push(`Validated against ${short}: no errors${warningsFound > 0 ? `, ${warningsFound} warning(s)` : ''}.`);
  if (p.workingTreeDirty) details.push('Uncommitted changes in the working tree are not part of it.');

  return {
    summary: `Create the new branch ${p.branch} from ${p.base.branch ?? 'HEAD'} at ${short}, with one commit of ${changed.length} file(s)${p.origin !== undefined ? ', and push it to origin' : ''}. Nothing is deployed or merged.`,
    details,
    warnings,
    quoted: [{ label: 'Commit message (written by the model)', text: p.message }],
    state: p,
  };
}
