import { formatPath, hasPath, locate, type PathSegment } from './locate.js';
import { type Problem, problem, type ProblemInput } from './problem.js';
import type { SourceDocument } from './source-document.js';

/** Where in a document a problem is: the value at `path`, its key, or (for a missing field) its parent's key. */
export type PlaceMode = 'value' | 'key' | 'parent';

export interface Place {
  doc: SourceDocument;
  path: PathSegment[];
  mode?: PlaceMode;
}

/**
 * A resource assembled from a common document and an environment document: positions come from
 * the environment document when it wrote the path, otherwise from the common one.
 */
export interface Layered {
  base?: SourceDocument;
  overlay?: SourceDocument;
}

export function placeIn(layered: Layered, path: PathSegment[], mode: PlaceMode = 'value'): Place {
  const probe = mode === 'parent' ? path.slice(0, -1) : path;
  const doc =
    layered.overlay && (!layered.base || hasPath(layered.overlay.value, probe)) ? layered.overlay : (layered.base ?? (layered.overlay as SourceDocument));
  return { doc, path, mode };
}

/** Builds a problem positioned at a place. */
export function problemAt(place: Place, input: Omit<ProblemInput, 'file' | 'position' | 'path'>): Problem {
  const mode = place.mode ?? 'value';
  const target = mode === 'parent' ? place.path.slice(0, -1) : place.path;
  const position = locate(place.doc.file, place.doc.index, target, { key: mode !== 'value' });
  return problem({ ...input, file: place.doc.file.path, position, path: formatPath(place.path) });
}

/** A related location (the other duplicate, the rest of a cycle) for a problem's `related` list. */
export function relatedAt(place: Place, message: string): NonNullable<Problem['related']>[number] {
  const position = locate(place.doc.file, place.doc.index, place.path, { key: place.mode === 'key' });
  return { message, file: place.doc.file.path, line: position.line, column: position.column };
}
