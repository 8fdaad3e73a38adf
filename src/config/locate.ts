import { isMap, isScalar, isSeq, LineCounter, type Node, parseAllDocuments } from 'yaml';
import type { Position } from './problem.js';
import type { SourceFile } from './source-document.js';

/**
 * Finds the line and column of a value inside a document. Documents are loaded with a fast
 * parser that keeps no positions; when a problem needs a position, the file is parsed once more
 * with the `yaml` library (which keeps a range for every node) and cached.
 */
export type PathSegment = string | number;

interface Located {
  docs: Array<{ contents: Node | null }>;
  lines: LineCounter;
}

const cache = new WeakMap<SourceFile, Located>();

function parsed(file: SourceFile): Located {
  let hit = cache.get(file);
  if (!hit) {
    const lines = new LineCounter();
    const docs = parseAllDocuments(file.text, { lineCounter: lines, uniqueKeys: false });
    hit = { docs: Array.isArray(docs) ? docs.map((d) => ({ contents: d.contents as Node | null })) : [], lines };
    cache.set(file, hit);
  }
  return hit;
}

const keyMatches = (key: unknown, segment: PathSegment): boolean => (isScalar(key) ? String(key.value) === String(segment) : String(key) === String(segment));

/**
 * The position of `path` in document `index` of `file`; with `key`, the position of the last
 * segment's key rather than its value (where an unknown field is written). When the path does
 * not exist (a missing field), the position of the deepest part that does.
 */
export function locate(file: SourceFile, index: number, path: readonly PathSegment[], options: { key?: boolean } = {}): Position {
  const { docs, lines } = parsed(file);
  let node: Node | null | undefined = docs[index]?.contents;
  let offset = node?.range?.[0] ?? offsetOfDocument(file.text, index);
  for (let i = 0; i < path.length && node; i++) {
    const segment = path[i] as PathSegment;
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => keyMatches(p.key, segment));
      if (!pair) break;
      const keyNode = pair.key as Node | null;
      const valueNode = pair.value as Node | null;
      if (last && options.key && keyNode?.range) {
        offset = keyNode.range[0];
        break;
      }
      node = valueNode ?? keyNode;
      offset = node?.range?.[0] ?? keyNode?.range?.[0] ?? offset;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment] as Node | undefined;
      if (!item) break;
      node = item;
      offset = item.range?.[0] ?? offset;
    } else {
      break;
    }
  }
  const pos = lines.linePos(offset);
  return { line: pos.line, column: pos.col };
}

/** Whether `path` exists in the document (used to pick between an overlay and its base). */
export function hasPath(value: unknown, path: readonly PathSegment[]): boolean {
  let cur: unknown = value;
  for (const segment of path) {
    if (cur === null || typeof cur !== 'object') return false;
    if (!Object.prototype.hasOwnProperty.call(cur, segment)) return false;
    cur = (cur as Record<string, unknown>)[segment as string];
  }
  return true;
}

/** Offset of the n-th document of a stream, when the document is empty and has no node. */
function offsetOfDocument(text: string, index: number): number {
  if (index === 0) return 0;
  let seen = 0;
  const re = /^---/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m.index === 0) continue;
    if (++seen === index) return m.index;
  }
  return 0;
}

/** Formats a path like `spec.fields[2].type`. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(segment)) out += out ? `.${segment}` : segment;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}
