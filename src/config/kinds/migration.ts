import { createHash } from 'node:crypto';
import path from 'node:path/posix';
import { z } from 'zod';
import { canonicalEnvironment } from '../environment.js';
import { parseDuration } from '../duration.js';
import { type Check, CheckSchema, normalizeCheck, type Precondition, PreconditionSchema } from './check.js';
import { Duration, envelope, type Origin } from './common.js';

/**
 * Migration: an ordered, reversible change to the database (and optionally to layer metadata).
 * Both shapes of the seeds are accepted: seed 000's (`up: [{type: sql, file}]`, `validation: [...]`)
 * and seed 004's (named inline steps, `preConditions`, `validation: {post-up, post-down}`, `rollback`).
 */
const MigrationId = z.union([z.string().regex(/^[A-Za-z0-9][\w.-]*$/, 'an id uses letters, digits, _, - and .'), z.number().int().min(0)]);

const SqlStep = z
  .strictObject({
    type: z.literal('sql'),
    name: z.string().optional(),
    file: z.string().optional().meta({ description: 'SQL file, relative to the migration file.' }),
    content: z.string().optional(),
    transactional: z.boolean().optional().meta({ description: 'false for statements that cannot run in a transaction (CREATE INDEX CONCURRENTLY).' }),
  })
  .refine((s) => (s.file === undefined) !== (s.content === undefined), {
    message: 'a sql step has exactly one of file and content',
    params: { code: 'missing-field' },
  });

const MetadataStep = z
  .strictObject({
    type: z.literal('metadata'),
    name: z.string().optional(),
    action: z.enum(['add', 'remove', 'update']),
    resource: z.string().optional().meta({ description: 'Resource file relative to the environment folder (layers/parcels.yaml).' }),
    path: z.string().optional().meta({ description: 'File relative to the repository root; may use {{env}}.' }),
    changes: z.record(z.string(), z.unknown()).optional().meta({ description: 'Dotted paths and their new values (for update).' }),
  })
  .superRefine((s, ctx) => {
    if (s.resource === undefined && s.path === undefined) {
      ctx.addIssue({ code: 'custom', message: 'a metadata step names its resource or path', params: { code: 'missing-field' } });
    }
    if (s.action === 'update' && s.changes === undefined) {
      ctx.addIssue({ code: 'custom', message: 'an update step lists its changes', params: { code: 'missing-field' }, path: ['changes'] });
    }
  });

const StepSchema = z.discriminatedUnion('type', [SqlStep, MetadataStep]);

const PhasedValidation = z.strictObject({
  'post-up': z.array(CheckSchema).optional(),
  'post-down': z.array(CheckSchema).optional(),
  postUp: z.array(CheckSchema).optional(),
  postDown: z.array(CheckSchema).optional(),
});

export const ROLLBACK_TRIGGERS = ['validation-failure', 'health-check-failure', 'migration-error', 'ogc-failure', 'timeout'] as const;

export const MigrationSchema = z.strictObject({
  ...envelope('Migration'),
  metadata: z.strictObject({
    id: MigrationId,
    name: z.string().optional().meta({ description: 'Full name used by dependencies; defaults to the file name without extension.' }),
    description: z.string().min(1),
    author: z.string().optional(),
    created: z.string().optional(),
    environments: z.array(z.string()).optional().meta({ description: 'Environments the migration runs in (default: all).' }),
    labels: z.record(z.string(), z.string()).optional(),
  }),
  spec: z.strictObject({
    dependencies: z.array(MigrationId).optional(),
    preConditions: z.array(PreconditionSchema).optional(),
    up: z.array(StepSchema).min(1),
    down: z.array(StepSchema).optional(),
    validation: z.union([z.array(CheckSchema), PhasedValidation]).optional(),
    rollback: z
      .strictObject({
        automatic: z.boolean().optional(),
        triggers: z.array(z.enum(ROLLBACK_TRIGGERS)).optional(),
        timeout: Duration.optional(),
      })
      .optional(),
    transactional: z.boolean().optional(),
    lockTimeout: Duration.optional(),
    statementTimeout: Duration.optional(),
  }),
});
export type WrittenMigration = z.infer<typeof MigrationSchema>;

export type MigrationStep =
  | { type: 'sql'; name: string; sql: string; file?: string; transactional?: boolean }
  | { type: 'metadata'; name: string; action: 'add' | 'remove' | 'update'; resource?: string; path?: string; changes?: Record<string, unknown> };

export interface Migration {
  kind: 'Migration';
  /** The id as written, e.g. "003". */
  id: string;
  /** The full name, e.g. "003_optimize_bike_lanes". */
  name: string;
  description: string;
  author?: string;
  /** Canonical environment names; undefined means every environment. */
  environments?: string[];
  /** As written (ids or full names); the graph resolves them. */
  dependencies: string[];
  preconditions: Precondition[];
  up: MigrationStep[];
  down: MigrationStep[];
  postUp: Check[];
  postDown: Check[];
  rollback: { automatic: boolean; triggers: string[]; timeoutMs?: number };
  /**
   * sha256 over the migration as written (before {{env}} expansion), SQL files included: the
   * same in every environment, and different as soon as anything that runs changes.
   */
  checksum: string;
  transactional?: boolean;
  lockTimeoutMs?: number;
  statementTimeoutMs?: number;
  origin: Origin;
}

/** The written id as a string, using the file's numeric prefix when YAML turned `002` into 2. */
export function migrationIdText(id: string | number, file: string): string {
  if (typeof id === 'string') return id;
  const prefix = /^(\d+)/.exec(path.basename(file))?.[1];
  return prefix !== undefined && Number(prefix) === id ? prefix : String(id);
}

export function migrationName(doc: WrittenMigration, file: string, docsInFile: number): string {
  if (doc.metadata.name !== undefined) return doc.metadata.name;
  const stem = path.basename(file).replace(/\.(ya?ml|json)$/i, '');
  return docsInFile === 1 ? stem : migrationIdText(doc.metadata.id, file);
}

/** `sqlFiles` maps repository-relative paths to their text; missing files are reported by validation. */
export function normalizeMigration(doc: WrittenMigration, origin: Origin, docsInFile: number, sqlFiles: ReadonlyMap<string, string>): Migration {
  const dir = path.dirname(origin.file);
  const step = (s: z.infer<typeof StepSchema>, i: number): MigrationStep => {
    if (s.type === 'sql') {
      const file = s.file === undefined ? undefined : path.join(dir, s.file);
      const out: MigrationStep = {
        type: 'sql',
        name: s.name ?? (s.file ? `Run ${s.file}` : `SQL step ${i + 1}`),
        sql: file ? (sqlFiles.get(file) ?? '') : (s.content ?? ''),
      };
      if (file !== undefined) out.file = file;
      if (s.transactional !== undefined) out.transactional = s.transactional;
      return out;
    }
    const out: MigrationStep = { type: 'metadata', name: s.name ?? `${s.action} ${s.resource ?? s.path}`, action: s.action };
    if (s.resource !== undefined) out.resource = s.resource;
    if (s.path !== undefined) out.path = s.path;
    if (s.changes !== undefined) out.changes = s.changes;
    return out;
  };
  const v = doc.spec.validation;
  const postUp = v === undefined ? [] : Array.isArray(v) ? v : [...(v['post-up'] ?? []), ...(v.postUp ?? [])];
  const postDown = v === undefined || Array.isArray(v) ? [] : [...(v['post-down'] ?? []), ...(v.postDown ?? [])];
  const file = origin.file;
  const m: Migration = {
    kind: 'Migration',
    id: migrationIdText(doc.metadata.id, file),
    name: migrationName(doc, file, docsInFile),
    description: doc.metadata.description,
    // A number (YAML reads `002` as 2) is matched numerically against ids by the graph.
    dependencies: (doc.spec.dependencies ?? []).map((d) => String(d)),
    preconditions: doc.spec.preConditions ?? [],
    up: doc.spec.up.map(step),
    down: (doc.spec.down ?? []).map(step),
    postUp: postUp.map(normalizeCheck),
    postDown: postDown.map(normalizeCheck),
    rollback: {
      automatic: doc.spec.rollback?.automatic ?? true,
      triggers: doc.spec.rollback?.triggers ?? ['validation-failure', 'migration-error'],
    },
    checksum: '',
    origin,
  };
  if (doc.metadata.author !== undefined) m.author = doc.metadata.author;
  if (doc.metadata.environments !== undefined) m.environments = doc.metadata.environments.map(canonicalEnvironment);
  if (doc.spec.rollback?.timeout !== undefined) m.rollback.timeoutMs = parseDuration(doc.spec.rollback.timeout) ?? 0;
  if (doc.spec.transactional !== undefined) m.transactional = doc.spec.transactional;
  if (doc.spec.lockTimeout !== undefined) m.lockTimeoutMs = parseDuration(doc.spec.lockTimeout) ?? 0;
  if (doc.spec.statementTimeout !== undefined) m.statementTimeoutMs = parseDuration(doc.spec.statementTimeout) ?? 0;
  const { origin: _origin, checksum: _checksum, ...content } = m;
  m.checksum = createHash('sha256').update(canonicalJson(content)).digest('hex');
  return m;
}

/** JSON with object keys sorted, so equal content always gives equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Whether a migration runs in an environment. */
export const migrationRunsIn = (m: Migration, environment: string): boolean =>
  m.environments === undefined || m.environments.includes(canonicalEnvironment(environment));
