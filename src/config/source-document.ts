import type { SourceDescription } from '../source/index.js';
import type { Problem } from './problem.js';

/** A file of the config repository, as read. */
export interface SourceFile {
  /** Repository-relative path with forward slashes. */
  path: string;
  text: string;
}

/** Which part of the repository a document lives in, which decides what it may be and where it applies. */
export type Area = 'environment' | 'common' | 'migrations' | 'policies' | 'gitops';

/** One YAML/JSON document of a file, parsed but not yet checked. */
export interface SourceDocument {
  file: SourceFile;
  /** Position of the document in a multi-document file (0-based). */
  index: number;
  /** How many documents the file holds. */
  docsInFile: number;
  /** The parsed value (plain JSON-like data). */
  value: unknown;
  area: Area;
  /** The environment folder name as written (`dev`), for documents under environments/<folder>/. */
  folder?: string;
  /** The canonical environment of that folder (`development`). */
  environment?: string;
}

/** A config repository read from a directory or a commit: every document, plus what failed to parse. */
export interface LoadedRepo {
  source: SourceDescription;
  documents: SourceDocument[];
  /** Text of every configuration file read (YAML, JSON, SQL), for code frames in messages. */
  texts: Map<string, string>;
  /** Every file under the config folders (for existence checks of referenced files). */
  paths: Set<string>;
  /** Text of the SQL files under migrations/. */
  sqlFiles: Map<string, string>;
  /** Canonical environment name → folder name. */
  environments: Map<string, string>;
  /** Problems found while reading: syntax errors, duplicate environment folders. */
  problems: Problem[];
}
