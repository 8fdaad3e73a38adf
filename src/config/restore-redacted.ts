import { isMap, isPair, isScalar, isSeq, parseAllDocuments, type Node } from 'yaml';
import { RedactedSecretError } from '../errors/index.js';
import { REDACTED } from './secret-text.js';

/**
 * The consultant reads config files with their secrets redacted. When it proposes an edited
 * copy of such a file, the placeholder must not be committed in place of the person's secret:
 * each value holding `«redacted»` is put back from the same place (same document, same key path)
 * of the file as it is at the base commit, text for text, so formatting and the rest of the
 * model's edit are kept. A placeholder with nothing to put back (a new key, a changed shape) is
 * refused: Honua never commits the placeholder and never guesses a secret. Pure.
 */

interface Located {
  path: string;
  range: [number, number];
  value: string;
}

/** Every scalar of every document, with its key path and its source range. */
function scalars(text: string): Located[] {
  const out: Located[] = [];
  const walk = (node: Node | null | undefined, path: string): void => {
    if (!node) return;
    if (isScalar(node)) {
      if (node.range && typeof node.value === 'string') out.push({ path, range: [node.range[0], node.range[1]], value: node.value });
      else if (node.range && node.value !== null && node.value !== undefined)
        out.push({ path, range: [node.range[0], node.range[1]], value: String(node.value) });
    } else if (isMap(node)) {
      for (const item of node.items) {
        if (!isPair(item)) continue;
        const key = isScalar(item.key) ? String(item.key.value) : String(item.key);
        walk(item.value as Node, `${path}.${key}`);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => walk(item as Node, `${path}[${i}]`));
    }
  };
  parseAllDocuments(text, { keepSourceTokens: false }).forEach((doc, i) => {
    if ('contents' in doc) walk(doc.contents as Node, `#${i}`);
  });
  return out;
}

const escapeRegex = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * `content` with every redacted value restored from `before` (the file at the base commit), or
 * a RedactedSecretError naming the first value that cannot be restored.
 */
export function restoreRedacted(file: string, content: string, before: string | undefined): string {
  if (!content.includes(REDACTED)) return content;
  const refuse = (where: string): never => {
    throw new RedactedSecretError(
      'redacted-secret',
      `${file}${where ? ` at ${where}` : ''} holds ${REDACTED}, the placeholder for a secret that was hidden from the consultant`,
      {
        hint: 'Honua puts a hidden secret back only where the file already has it, unchanged. Leave that value as it is in the file, or ask the person to edit it.',
        fault: 'model',
        data: { file, ...(where ? { path: where } : {}) },
      },
    );
  };
  if (before === undefined) refuse('');
  const old = new Map(scalars(before as string).map((s) => [s.path, s]));
  const fixes: Array<{ range: [number, number]; text: string }> = [];
  for (const s of scalars(content)) {
    if (!s.value.includes(REDACTED)) continue;
    const was = old.get(s.path);
    // The proposed value must be the old one with secrets hidden: every part around the placeholders matches, in order.
    const shape = new RegExp(`^${s.value.split(REDACTED).map(escapeRegex).join('[\\s\\S]+?')}$`);
    if (!was || !shape.test(was.value)) refuse(s.path.replace(/^#0\./, '').replace(/^#(\d+)\./, 'document $1: '));
    fixes.push({ range: s.range, text: (before as string).slice(was!.range[0], was!.range[1]) });
  }
  let out = content;
  for (const fix of fixes.sort((a, b) => b.range[0] - a.range[0])) out = out.slice(0, fix.range[0]) + fix.text + out.slice(fix.range[1]);
  if (out.includes(REDACTED)) refuse('');
  return out;
}
