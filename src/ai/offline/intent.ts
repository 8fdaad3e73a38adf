/**
 * What a request to the offline planner asks for. The parser (parseIntent) turns free text into
 * one of these without a model; the planner then resolves the table phrase against the inspected
 * schema and calls tools. `table` is the phrase as the user wrote it ("the bike lanes table" →
 * "bike lanes"), not yet matched to a real table.
 */
export type Intent =
  /** `serviceHint`: a word that may name the service without saying "service" ("in planning"); the planner checks it against the repository. */
  | { kind: 'add-layer'; table?: string; service?: string; serviceHint?: string; environments?: string[] }
  | { kind: 'add-spatial-index'; table?: string; column?: string }
  /** `schema` when the request names one ("what's in the transit schema?"); otherwise the whole database. */
  | { kind: 'describe-database'; schema?: string }
  | { kind: 'describe-table'; table: string }
  | { kind: 'validate'; environment?: string }
  | { kind: 'diff'; from?: string; to?: string }
  | { kind: 'plan'; environment?: string }
  | { kind: 'list-environments' }
  | { kind: 'help' }
  | { kind: 'unknown'; reason?: string };

export type IntentKind = Intent['kind'];
