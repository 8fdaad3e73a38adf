import { loadAll, YAMLException } from 'js-yaml';
import { parseAllDocuments } from 'yaml';
import type { ConfigSource } from '../source/index.js';
import { canonicalEnvironment, COMMON_ENVIRONMENT } from './environment.js';
import { type Problem, problem } from './problem.js';
import type { Area, LoadedRepo, SourceDocument, SourceFile } from './source-document.js';

const CONFIG_FILE = /\.(ya?ml|json)$/i;

/** Which area a repository path belongs to, and for environment files, the folder. */
export function classifyPath(path: string): { area: Area; folder?: string } | undefined {
  const parts = path.split('/');
  const top = parts[0];
  if (top === 'environments') {
    const folder = parts[1];
    if (folder === undefined || parts.length < 3) return undefined;
    return folder.toLowerCase() === COMMON_ENVIRONMENT ? { area: 'common' } : { area: 'environment', folder };
  }
  if (top === 'migrations') return { area: 'migrations' };
  if (top === 'policies') return { area: 'policies' };
  if (top === '.gitops') return { area: 'gitops' };
  return undefined;
}

/**
 * Parsed documents by file content. Two commits of a repository share almost all their files
 * (a plan reads both; the controller re-reads every commit), so each distinct text is parsed
 * once. Parsed values are never mutated. Bounded, so a long-running server does not grow.
 */
const parsedTexts = new Map<string, unknown[]>();
const CACHE_LIMIT = 50_000;
/** Forgets every parsed file (benchmarks measure first runs with it). */
export const clearParseCache = (): void => parsedTexts.clear();

function remember(text: string, values: unknown[]): void {
  if (parsedTexts.size >= CACHE_LIMIT) parsedTexts.clear();
  parsedTexts.set(text, values);
}

/**
 * Parses the documents of one file. YAML is parsed with js-yaml (about ten times faster than the
 * `yaml` library, which matters for repositories with thousands of layers); when that fails, the
 * `yaml` library re-reads the file so every syntax error is reported with its position and the
 * file's other documents are still checked.
 */
export function parseFile(file: SourceFile): { values: unknown[]; problems: Problem[] } {
  const hit = parsedTexts.get(file.text);
  if (hit) return { values: hit, problems: [] };
  try {
    const values = loadAll(file.text, { filename: file.path });
    remember(file.text, values);
    return { values, problems: [] };
  } catch (error) {
    if (!(error instanceof YAMLException)) throw error;
    const problems: Problem[] = [];
    const values: unknown[] = [];
    const docs = parseAllDocuments(file.text, { prettyErrors: true });
    for (const doc of Array.isArray(docs) ? docs : []) {
      if (doc.errors.length === 0) {
        values.push(doc.toJS());
        continue;
      }
      values.push(undefined);
      for (const e of doc.errors) {
        const pos = e.linePos?.[0];
        problems.push(
          problem({
            code: 'yaml-syntax',
            message: (e.message.split('\n')[0] ?? e.message).replace(/ at line \d+, column \d+:?$/, ''),
            file: file.path,
            ...(pos ? { position: { line: pos.line, column: pos.col } } : {}),
          }),
        );
      }
    }
    if (problems.length === 0) {
      // The two parsers disagree (rare edge cases); report js-yaml's error rather than nothing.
      const mark = error.mark;
      problems.push(
        problem({
          code: 'yaml-syntax',
          message: error.reason,
          file: file.path,
          ...(mark ? { position: { line: mark.line + 1, column: mark.column + 1 } } : {}),
        }),
      );
      return { values: [], problems };
    }
    return { values, problems };
  }
}

/** Reads every configuration file of a source and parses its documents. */
export async function loadRepo(source: ConfigSource): Promise<LoadedRepo> {
  const listed = await source.listFiles();
  const wanted = listed.filter((p) => classifyPath(p) !== undefined && (CONFIG_FILE.test(p) || (p.startsWith('migrations/') && p.endsWith('.sql'))));
  const texts = await source.readFiles(wanted);

  const documents: SourceDocument[] = [];
  const problems: Problem[] = [];
  const sqlFiles = new Map<string, string>();
  const environments = new Map<string, string>();
  const folderOf = new Map<string, string>();

  for (const path of wanted) {
    const text = texts.get(path);
    if (text === undefined) continue;
    const where = classifyPath(path);
    if (!where) continue;
    if (where.folder !== undefined) {
      const canonical = canonicalEnvironment(where.folder);
      const existing = environments.get(canonical);
      if (existing !== undefined && existing !== where.folder) {
        const key = `${canonical}\u0000${where.folder}`;
        if (!folderOf.has(key)) {
          folderOf.set(key, path);
          problems.push(
            problem({
              code: 'duplicate-environment',
              message: `environments/${where.folder} and environments/${existing} are the same environment (${canonical})`,
              file: path,
              position: { line: 1, column: 1 },
            }),
          );
        }
        continue;
      }
      environments.set(canonical, where.folder);
    }
    if (path.endsWith('.sql')) {
      sqlFiles.set(path, text);
      continue;
    }
    const file: SourceFile = { path, text };
    const parsed = /\.json$/i.test(path) ? parseJson(file) : parseFile(file);
    problems.push(...parsed.problems);
    parsed.values.forEach((value, index) => {
      if (value === undefined || value === null) return;
      const doc: SourceDocument = { file, index, docsInFile: parsed.values.length, value, area: where.area };
      if (where.folder !== undefined) {
        doc.folder = where.folder;
        doc.environment = canonicalEnvironment(where.folder);
      }
      documents.push(doc);
    });
  }
  for (const link of (await source.links?.()) ?? []) {
    problems.push(problem({ code: 'symlink-ignored', message: `${link} is a symbolic link (or submodule); it was not followed`, file: link }));
  }
  return { source: source.description, documents, texts, paths: new Set(listed), sqlFiles, environments, problems };
}

/** JSON files: one document each, parsed strictly; errors positioned from JSON.parse's report. */
function parseJson(file: SourceFile): { values: unknown[]; problems: Problem[] } {
  try {
    return { values: [JSON.parse(file.text)], problems: [] };
  } catch (error) {
    const message = (error as Error).message;
    let position = { line: 1, column: 1 };
    const lc = /\(line (\d+) column (\d+)\)/.exec(message);
    const at = /at position (\d+)/.exec(message);
    const offset = lc ? undefined : at ? Number(at[1]) : jsonErrorOffset(file.text);
    if (lc) position = { line: Number(lc[1]), column: Number(lc[2]) };
    else if (offset !== undefined) {
      const lines = file.text.slice(0, offset).split('\n');
      position = { line: lines.length, column: (lines.at(-1)?.length ?? 0) + 1 };
    }
    const text = message
      .replace(/\s*\(line \d+ column \d+\)/, '')
      .replace(/ in JSON at position \d+/, '')
      .replace(/, (\.\.\.)?"[\s\S]*" is not valid JSON$/, '');
    return { values: [], problems: [problem({ code: 'yaml-syntax', message: `invalid JSON: ${text}`, file: file.path, position })] };
  }
}

/**
 * Where JSON.parse gave up, when its message does not say: the longest prefix of the text that
 * is still valid-but-incomplete JSON ends where the error is (binary search, O(n log n)).
 */
function jsonErrorOffset(text: string): number | undefined {
  const incomplete = (n: number): boolean => {
    try {
      JSON.parse(text.slice(0, n));
      return true;
    } catch (e) {
      // Incomplete, not wrong: the parser ran out of text (V8 says so, or names the last position).
      const m = (e as Error).message;
      const at = /at position (\d+)/.exec(m);
      return /Unexpected end of JSON input/.test(m) || (at !== null && Number(at[1]) >= n);
    }
  };
  let lo = 0;
  let hi = text.length;
  if (!incomplete(lo)) return undefined;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (incomplete(mid)) lo = mid;
    else hi = mid - 1;
  }
  let offset = lo;
  while (offset < text.length && /\s/.test(text[offset] ?? '')) offset++;
  return offset;
}
