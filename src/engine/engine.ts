import type { ValidationReport } from '../config/validate.js';
import type { Problem } from '../config/problem.js';
import type { Inspection, TableInfo } from '../db/inspection-format.js';
import type { LayerMismatch } from '../db/layer-match.js';
import type { LintFinding } from '../db/lint/linter.js';
import type { GeneratedLayer } from '../generate/layer.js';
import type { ColumnSpec, GeneratedMigration } from '../generate/migration.js';
import type { DiffReport } from '../plan/formats.js';
import type { Plan } from '../plan/plan.js';
import type { PreparedProposal, ProposalResult } from '../source/proposal-branch.js';
import type { ConsultantContext } from './context.js';

/**
 * What the consultant's tools may ask of Honua. Tools call this and nothing else: never the
 * database, git or the file system directly. LocalEngine implements it in process; a remote
 * engine (the admin API) can implement it later without touching a tool.
 */
export interface EnvironmentInfo {
  name: string;
  folder: string;
  valid: boolean;
  dataSources: Array<{ name: string; type: string }>;
  services: string[];
  layers: string[];
  migrations: string[];
  /** autoApprove false: every deployment needs a human approval. */
  policy: { autoApprove: boolean; approvers: string[]; window: boolean };
}

export interface FileValidation {
  /** No errors in the files concerned. */
  valid: boolean;
  /** The whole repository validates. */
  repositoryValid: boolean;
  /** Problems in the files concerned. */
  problems: Problem[];
  /** Errors elsewhere in the repository (already there before). */
  otherErrors: number;
}

export interface GenerateLayerRequest {
  table: string;
  schema?: string;
  service?: string;
  environments?: string[];
  name?: string;
  title?: string;
  geometryColumn?: string;
  idField?: string;
  srid?: number;
  itemLimit?: number;
  createdBy?: string;
}

export interface GenerateMigrationRequest {
  kind: 'spatial-index' | 'add-column' | 'add-table';
  table: string;
  schema?: string;
  column?: string;
  type?: string;
  nullable?: boolean;
  default?: string;
  geometryType?: string;
  srid?: number;
  columns?: ColumnSpec[];
  comment?: string;
  /** add-table: also generate the layer for the new table, in this service. */
  service?: string;
  environments?: string[];
  author?: string;
}

export interface ProposalRequest {
  branch: string;
  files: Array<{ path: string; content: string }>;
  message: string;
  author: { name: string; email: string };
  push?: boolean;
}

export interface Engine {
  readonly context: ConsultantContext;
  close(): Promise<void>;
  environments(): Promise<EnvironmentInfo[]>;
  inspect(options?: { schema?: string; table?: string; exact?: boolean }): Promise<Inspection>;
  databaseDescription(): Promise<string>;
  findTable(name: string, schema?: string): Promise<TableInfo>;
  /** A table and a few sample rows, read only when that runs no unsafe code; `sampleNotes` says what was left out. */
  describeTable(name: string, schema: string | undefined, sampleRows: number): Promise<{ table: TableInfo; sample: Array<Record<string, unknown>>; sampleNotes: string[] }>;
  validate(environments?: string[]): Promise<ValidationReport>;
  diff(request: { environment?: string; from?: string; to?: string; fromEnvironment?: string; toEnvironment?: string; ref?: string }): Promise<DiffReport>;
  plan(request: { environment?: string; ref?: string; against?: string }): Promise<Plan>;
  lintMigration(name: string): Promise<{ migration: string; file: string; findings: LintFinding[] }>;
  readFile(file: string, ref?: string): Promise<{ path: string; content: string }>;
  listFiles(): Promise<string[]>;
  validateWith(files: ReadonlyArray<{ path: string; content: string }>, environments?: string[]): Promise<FileValidation>;
  generateLayer(request: GenerateLayerRequest): Promise<GeneratedLayer & { validation: FileValidation; mismatches: LayerMismatch[] }>;
  generateMigration(request: GenerateMigrationRequest): Promise<GeneratedMigration & { validation: FileValidation; lint: LintFinding[]; layer?: GeneratedLayer }>;
  /** Checks, restores hidden secrets, counts and validates a proposal; writes nothing. */
  prepareProposal(request: ProposalRequest): Promise<PreparedProposal & { validation: FileValidation }>;
  /** Makes exactly the prepared proposal (branch, commit, push), or nothing. */
  commitProposal(prepared: PreparedProposal & { validation: FileValidation }): Promise<ProposalResult & { validation: FileValidation }>;
  writeProposal(request: ProposalRequest): Promise<ProposalResult & { validation: FileValidation }>;
}
