import type { Problem, ValidationReport } from '../../config/index.js';
import type { Style } from '../io.js';

/**
 * Problems the way a compiler prints them: `file:line:column: error[code] message`, the source
 * line with a caret under the column, the hint, and related places.
 */
export function renderProblem(p: Problem, style: Style, texts: ReadonlyMap<string, string>): string {
  const where = p.file ? `${p.file}${p.line ? `:${p.line}:${p.column ?? 1}` : ''}` : '<repository>';
  const sev = p.severity === 'error' ? style.red(style.bold('error')) : style.yellow(style.bold('warning'));
  const env = p.environment ? style.dim(` [${p.environment}]`) : '';
  const lines = [`${style.bold(where)}: ${sev}${style.dim(`[${p.code}]`)} ${p.message}${env}`];
  const text = p.file ? texts.get(p.file) : undefined;
  if (text !== undefined && p.line !== undefined) {
    const src = text.split('\n')[p.line - 1];
    if (src !== undefined) {
      const gutter = String(p.line).length;
      const caret = ' '.repeat(Math.max(0, (p.column ?? 1) - 1)) + '^';
      lines.push(style.dim(`${' '.repeat(gutter + 1)}|`));
      lines.push(`${style.dim(`${p.line} |`)} ${src.replace(/\t/g, ' ')}`);
      lines.push(`${style.dim(`${' '.repeat(gutter + 1)}|`)} ${p.severity === 'error' ? style.red(caret) : style.yellow(caret)}`);
    }
  }
  if (p.hint) lines.push(`  ${style.cyan('hint')}: ${p.hint}`);
  for (const r of p.related ?? []) {
    lines.push(`  ${style.dim('note')}: ${r.message}${r.file ? ` (${r.file}${r.line ? `:${r.line}:${r.column ?? 1}` : ''})` : ''}`);
  }
  return lines.join('\n');
}

export function renderProblems(problems: readonly Problem[], style: Style, texts: ReadonlyMap<string, string>): string {
  return problems.map((p) => renderProblem(p, style, texts)).join('\n\n');
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

export function renderValidation(report: ValidationReport, style: Style, texts: ReadonlyMap<string, string>, strict: boolean): string {
  const out: string[] = [];
  if (report.problems.length > 0) out.push(renderProblems(report.problems, style, texts), '');
  const failed = report.errors > 0 || (strict && report.warnings > 0);
  const mark = failed ? style.red('✗') : style.green('✓');
  const counts = [
    report.errors > 0 ? style.red(plural(report.errors, 'error')) : '',
    report.warnings > 0 ? style.yellow(plural(report.warnings, 'warning')) : '',
  ]
    .filter(Boolean)
    .join(', ');
  const where = report.source.type === 'git' ? `${report.source.ref} (${report.source.shortCommit})` : report.source.root;
  out.push(
    `${mark} ${style.bold(where)}: ${failed ? 'invalid' : 'valid'}${counts ? ` — ${counts}` : ''}${strict && report.warnings > 0 && report.errors === 0 ? ' (--strict)' : ''}`,
  );
  const width = Math.max(0, ...report.environments.map((e) => e.name.length));
  for (const e of report.environments) {
    const c = e.counts;
    const detail = `${plural(c.layers, 'layer')} · ${plural(c.services, 'service')} · ${plural(c.dataSources, 'datasource')} · ${plural(c.migrations, 'migration')}`;
    const status = e.errors > 0 ? style.red(`✗ ${plural(e.errors, 'error')}`) : !e.valid ? style.red('✗ repository errors') : style.green('✓');
    out.push(`  ${e.name.padEnd(width)}  ${status}  ${style.dim(detail)}${e.warnings > 0 ? style.yellow(` · ${plural(e.warnings, 'warning')}`) : ''}`);
  }
  if (report.environments.length === 0) out.push(style.dim('  no environments (add folders under environments/)'));
  return out.join('\n');
}
