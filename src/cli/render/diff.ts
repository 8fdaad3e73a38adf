import type { DiffReport, SourceRef } from '../../plan/index.js';
import type { Style } from '../io.js';
import { renderBreaking, renderChanges } from './changes.js';

export const describeRef = (r: SourceRef): string => {
  switch (r.type) {
    case 'empty':
      return 'nothing deployed';
    case 'environment':
      return `${r.environment}${r.ref ? ` at ${r.ref}${r.commit ? ` (${r.commit.slice(0, 7)})` : ''}` : ''}`;
    case 'git':
      return `${r.ref} (${r.commit?.slice(0, 7)})`;
    case 'directory':
      return `${r.root} (working tree)`;
  }
};

export function renderDiff(d: DiffReport, style: Style): string {
  const out: string[] = [];
  if (d.mode === 'environments') {
    out.push(style.bold(`Promotion view: what ${d.to.environment} would receive from ${d.from.environment}`));
  } else {
    out.push(style.bold(`Changes to ${d.environment}: ${describeRef(d.from)} → ${describeRef(d.to)}`));
  }
  out.push('─'.repeat(45));
  const s = d.summary;
  if (d.changes.length === 0) out.push('Resources: no differences');
  else {
    out.push(`Resources: ${s.added} new, ${s.modified} modified, ${s.removed} removed${s.unchanged ? `, ${s.unchanged} unchanged` : ''}`);
    out.push(...renderChanges(d.changes, style));
  }
  const m = d.migrations;
  if (m.added.length + m.removed.length + m.modified.length > 0) {
    out.push('', 'Migrations:');
    for (const x of m.added) out.push(`  ${style.green('+')} ${x} ${style.dim('(new)')}`);
    for (const x of m.modified) out.push(`  ${style.yellow('~')} ${x} ${style.dim('(modified)')}`);
    for (const x of m.removed) out.push(`  ${style.red('-')} ${x} ${style.dim('(removed)')}`);
  }
  if (d.environmentSpecific.length > 0) {
    out.push('', style.dim('Environment-specific differences (datasources, server config; not promoted):'));
    out.push(...renderChanges(d.environmentSpecific, style).map((l) => style.dim(l)));
  }
  out.push('');
  if (d.breakingChanges.length === 0) out.push(`${style.green('✓')} No breaking changes`);
  else {
    out.push(style.red(`Breaking changes (${d.breakingChanges.length}):`));
    out.push(...renderBreaking(d.breakingChanges, style));
  }
  return out.join('\n');
}
