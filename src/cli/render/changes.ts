import type { BreakingChange, FieldChange, ResourceChange } from '../../plan/index.js';
import type { Style } from '../io.js';

/** Resource and field changes, as `+ Layer planning::parcels` lines with indented field changes. */
export function formatValue(v: unknown, max = 80): string {
  const s = typeof v === 'string' ? (/^[\w:./@+-]+$/.test(v) ? v : JSON.stringify(v)) : JSON.stringify(v);
  if (s === undefined) return 'undefined';
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

export function renderFieldChange(f: FieldChange, style: Style): string {
  switch (f.op) {
    case 'add':
      return `${style.green('+')} ${f.path}: ${style.green(formatValue(f.after))}`;
    case 'remove':
      return `${style.red('-')} ${f.path}: ${style.red(formatValue(f.before))}`;
    case 'reorder':
      return `${style.yellow('↕')} ${f.path}: order ${formatValue(f.before)} → ${formatValue(f.after)}`;
    case 'modify':
      return `${style.yellow('~')} ${f.path}: ${style.red(formatValue(f.before))} → ${style.green(formatValue(f.after))}`;
  }
}

const SIGN = { add: '+', remove: '-', modify: '~' } as const;
const WORD = { add: '(new)', remove: '(removed)', modify: '(modified)' } as const;

export function renderChanges(changes: readonly ResourceChange[], style: Style, indent = '  '): string[] {
  const out: string[] = [];
  for (const c of changes) {
    const color = c.action === 'add' ? style.green : c.action === 'remove' ? style.red : style.yellow;
    out.push(`${indent}${color(SIGN[c.action])} ${c.kind} ${style.bold(c.name)} ${style.dim(`${WORD[c.action]}${c.file ? ` ${c.file}` : ''}`)}`);
    for (const f of c.fields) out.push(`${indent}    ${renderFieldChange(f, style)}`);
  }
  return out;
}

export function renderBreaking(list: readonly BreakingChange[], style: Style, indent = '  '): string[] {
  return list.map((b) => `${indent}${style.red('✗')} ${style.red(`[${b.code}]`)} ${b.message}`);
}
