import path from 'node:path';
import { buildEnvironment } from '../config/build-environment.js';
import type { DesiredState } from '../config/desired-state.js';
import { canonicalEnvironment } from '../config/environment.js';
import { normalizeLayer } from '../config/kinds/layer.js';
import { loadRepo } from '../config/load.js';
import { indexRepo } from '../config/repo-index.js';
import { sortProblems, type Problem } from '../config/problem.js';
import type { LoadedRepo } from '../config/source-document.js';
import { selectEnvironments, validateRepo, type ValidationReport } from '../config/validate.js';
import { loadConfig, requireState } from '../cli/workspace.js';
import type { Database } from '../db/database.js';
import { findTable } from '../db/find-table.js';
import { inspectDatabase } from '../db/inspect.js';
import type { Inspection, TableInfo } from '../db/inspection-format.js';
import { matchLayerToTable, type LayerMismatch } from '../db/layer-match.js';
import { lintAll, lintProblems } from '../db/lint/lint-repo.js';
import { type LintFinding, lintMigration } from '../db/lint/linter.js';
import { HonuaError } from '../errors/index.js';
import { generateLayer, GenerateError, type GeneratedLayer } from '../generate/layer.js';
import { addColumnMigration, addTableMigration, type ColumnSpec, type GeneratedMigration, type NewTableSpec, spatialIndexMigration } from '../generate/migration.js';
import { diffCommits, diffEnvironments } from '../plan/diff-report.js';
import type { DiffReport } from '../plan/formats.js';
import { createPlan, type Plan } from '../plan/plan.js';
import { DirectorySource } from '../source/directory-source.js';
import { OverlaySource } from '../source/overlay-source.js';
import { openSource } from '../source/open-source.js';
import { commitProposal, type PreparedProposal, prepareProposal, type ProposalResult } from '../source/proposal-branch.js';
import { GitRepository } from '../source/git-repository.js';
import { GitSource } from '../source/git-source.js';
import { restoreRedacted } from '../config/restore-redacted.js';
import { sameConfigContent } from '../config/same-content.js';
import { connectionPrivileges, privilegeWarnings } from '../db/connection-privileges.js';
import { readOnlyDatabase } from '../db/read-only-database.js';
import { sampleRows } from '../db/sample-rows.js';
import { loadParser } from '../db/sql/parse.js';
import { basePolicy } from './base-policy.js';
import { columnIn, type MigrationObject, migrationObjects, spatialIndexIn, tableIn } from '../generate/migration-objects.js';
import { buildMigrationGraph } from '../plan/migration-graph.js';
import { currentState, readHistory } from '../db/migrate/history.js';
import type { ConsultantContext } from './context.js';
import type { Engine, EnvironmentInfo, FileValidation, GenerateLayerRequest, GenerateMigrationRequest, ProposalRequest } from './engine.js';

/**
 * The engine in this process: the configuration from the repository on disk (or a commit of
 * it), the database the context names (opened on first use, read-only queries only), git for
 * proposals. The consultant's tools call this and nothing below it.
 */
export class LocalEngine implements Engine {
  private db: Promise<Database> | undefined;
  private inspection: Promise<Inspection> | undefined;

  constructor(
    readonly context: ConsultantContext,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async close(): Promise<void> {
    const db = this.db;
    this.db = undefined;
    this.inspection = undefined;
    if (db) await (await db).close();
  }

  /**
   * The database as the consultant may use it: every statement in a READ ONLY transaction that
   * is rolled back, under the least-privilege role when one is configured.
   */
  private database(): Promise<Database> {
    this.db ??= this.context.openDatabase().then((db) => readOnlyDatabase(db, { role: this.context.dbRole }));
    this.db.catch(() => (this.db = undefined));
    return this.db;
  }

  /**
   * What a person starting a session should know about the connection: a superuser (or a member
   * of the roles that reach the server's files) can do through a function what no read-only
   * transaction stops. Empty for the embedded database and for least-privilege roles; a
   * connection that fails is reported here too, so a session does not start silently broken.
   */
  async connectionWarnings(): Promise<string[]> {
    try {
      const db = await this.database();
      if (db.kind !== 'postgres') return [];
      return privilegeWarnings(await connectionPrivileges(db, this.context.dbRole), db.description, this.context.dbRole);
    } catch (error) {
      return [`cannot check the database connection (${this.context.databaseFrom}): ${error instanceof Error ? error.message : String(error)}`];
    }
  }

  requireRepo(): string {
    if (this.context.repoDir === undefined) {
      throw new HonuaError('no-config-repo', 'there is no Honua config repository here', {
        hint: 'Pass --repo DIR (a folder with environments/, migrations/ or policies/), or run from inside one.',
      });
    }
    return this.context.repoDir;
  }

  private load(ref?: string): Promise<LoadedRepo> {
    return loadConfig(this.requireRepo(), ref);
  }

  async environments(): Promise<EnvironmentInfo[]> {
    const repo = await this.load();
    return selectEnvironments(repo).map((name) => {
      const { state, problems } = buildEnvironment(repo, name);
      return {
        name,
        folder: state.folder,
        valid: !problems.some((p) => p.severity === 'error'),
        dataSources: state.dataSources.map((d) => ({ name: d.name, type: d.type })),
        services: state.services.map((s) => s.name),
        layers: state.layers.map((l) => l.id),
        migrations: state.migrations.map((m) => m.name),
        policy: { autoApprove: state.policy.autoApprove, approvers: state.policy.approvers, window: state.policy.window !== undefined },
      };
    });
  }

  async inspect(options: { schema?: string; table?: string; exact?: boolean } = {}): Promise<Inspection> {
    const db = await this.database();
    if (options.schema === undefined && options.table === undefined && !options.exact) {
      this.inspection ??= inspectDatabase(db);
      return this.inspection;
    }
    return inspectDatabase(db, { ...(options.schema ? { schema: options.schema } : {}), ...(options.table ? { table: options.table } : {}), exactCounts: options.exact ?? false });
  }

  databaseDescription(): Promise<string> {
    return this.database().then((db) => db.description);
  }

  /** One table by name (schema-qualified or not); a clear error with candidates when it is not found or ambiguous. */
  async findTable(name: string, schema?: string): Promise<TableInfo> {
    try {
      return findTable((await this.inspect()).tables, name, schema);
    } catch (error) {
      // For the consultant, a name that does not exist is the model's mistake to correct.
      if (error instanceof HonuaError) throw new HonuaError(error.code, error.message, { ...(error.hint ? { hint: error.hint.replace('honua db inspect lists', 'list_tables shows') } : {}), data: { ...error.data, database: await this.databaseDescription() }, fault: 'model' });
      throw error;
    }
  }

  async describeTable(name: string, schema: string | undefined, sampleRowCount: number): Promise<{ table: TableInfo; sample: Array<Record<string, unknown>>; sampleNotes: string[] }> {
    const table = await this.findTable(name, schema);
    if (sampleRowCount <= 0) return { table, sample: [], sampleNotes: [] };
    const sample = await sampleRows(await this.database(), table, Math.min(sampleRowCount, 20), { role: this.context.dbRole, timeoutMs: 5_000 });
    return { table, sample: sample.rows, sampleNotes: sample.notes };
  }

  async validate(environments?: string[]): Promise<ValidationReport> {
    const repo = await this.load();
    return validateWithLint(repo, environments);
  }

  async diff(request: { environment?: string; from?: string; to?: string; fromEnvironment?: string; toEnvironment?: string; ref?: string }): Promise<DiffReport> {
    if (request.fromEnvironment !== undefined || request.toEnvironment !== undefined) {
      if (request.fromEnvironment === undefined || request.toEnvironment === undefined) throw new HonuaError('missing-argument', 'comparing environments needs both fromEnvironment and toEnvironment', { fault: 'model' });
      const repo = await this.load(request.ref);
      return diffEnvironments(requireState(repo, request.fromEnvironment), requireState(repo, request.toEnvironment));
    }
    const environment = request.environment ?? this.context.environment;
    if (request.from === undefined) throw new HonuaError('missing-argument', 'comparing commits needs `from` (a commit, branch or tag)', { hint: 'e.g. from: HEAD~1', fault: 'model' });
    const [before, after] = await Promise.all([this.load(request.from), this.load(request.to)]);
    return diffCommits(requireState(before, environment), requireState(after, environment));
  }

  async plan(request: { environment?: string; ref?: string; against?: string }): Promise<Plan> {
    const environment = request.environment ?? this.context.environment;
    const [desiredRepo, baselineRepo] = await Promise.all([this.load(request.ref), request.against === undefined ? undefined : this.load(request.against)]);
    const desired = requireState(desiredRepo, environment);
    const baseline = baselineRepo ? requireState(baselineRepo, environment) : null;
    // Nothing deployed to compare with: the change is judged by its base's policy, never by its own.
    const base = baseline ? undefined : await basePolicy(this.requireRepo(), environment, request.ref);
    return createPlan({ desired, baseline, ...(base ? { basePolicy: base } : {}), lintFindings: await lintAll(desired.migrations), context: { now: this.clock() } });
  }

  async lintMigration(name: string): Promise<{ migration: string; file: string; findings: LintFinding[] }> {
    const repo = await this.load();
    const all = indexRepo(repo).migrations;
    const hit = all.find((m) => m.migration.name === name || m.migration.id === name || m.doc.file.path === name || m.doc.file.path === `migrations/${name}`);
    if (!hit) {
      throw new HonuaError('unknown-migration', `no migration "${name}"`, { hint: `Known: ${all.map((m) => m.migration.name).join(', ') || 'none'}.`, fault: 'model' });
    }
    const known = (await this.inspect().catch(() => undefined))?.tables.flatMap((t) => t.geometryColumns.map((g) => ({ table: t.name, column: g.column, type: g.type, srid: g.srid }))) ?? [];
    return { migration: hit.migration.name, file: hit.doc.file.path, findings: await lintMigration(hit.migration, known) };
  }

  async readFile(file: string, ref?: string): Promise<{ path: string; content: string }> {
    const root = this.requireRepo();
    const rel = path.posix.normalize(file.replace(/\\/g, '/')).replace(/^\.\//, '');
    if (rel.startsWith('..') || path.isAbsolute(rel) || rel.split('/').includes('.git')) {
      throw new HonuaError('bad-path', `"${file}" is outside the config repository`, { hint: 'Use a path relative to the repository root.', fault: 'model' });
    }
    if (ref !== undefined) {
      const source = await openSource({ repo: root, ref });
      const text = (await source.readFiles([rel])).get(rel);
      if (text === undefined) throw new HonuaError('file-not-found', `${rel} does not exist at ${ref}`, { fault: 'model' });
      return { path: rel, content: text };
    }
    // Only regular files inside the repository: links are listed by nobody and read through by nothing.
    const source = new DirectorySource(root);
    const listed = await source.listFiles();
    const text = listed.includes(rel) ? (await source.readFiles([rel])).get(rel) : undefined;
    if (text === undefined) {
      const link = (await source.links()).includes(rel) ? ' (it is a symbolic link, which Honua never follows)' : '';
      throw new HonuaError('file-not-found', `${rel} is not a file of the config repository${link}`, { hint: `Files are under environments/, migrations/, policies/ and .gitops/ (${listed.length} files).`, fault: 'model' });
    }
    return { path: rel, content: text };
  }

  async listFiles(): Promise<string[]> {
    return new DirectorySource(this.requireRepo()).listFiles();
  }

  /** Validates the repository as it would be with `files` written, reporting the problems in those files. */
  async validateWith(files: ReadonlyArray<{ path: string; content: string }>, environments?: string[]): Promise<FileValidation> {
    return fileValidation(await this.loadWith(files), files, environments);
  }

  /** The repository as it would be with `files` written (nothing is written). */
  private async loadWith(files: ReadonlyArray<{ path: string; content: string }>): Promise<LoadedRepo> {
    return loadRepo(new OverlaySource(new DirectorySource(this.requireRepo()), new Map(files.map((f) => [f.path, f.content]))));
  }

  private async states(environments: string[] | undefined): Promise<DesiredState[]> {
    const repo = await this.load();
    return selectEnvironments(repo, environments).map((env) => buildEnvironment(repo, env).state);
  }

  async generateLayer(request: GenerateLayerRequest): Promise<GeneratedLayer & { validation: FileValidation; mismatches: LayerMismatch[] }> {
    const table = await this.findTable(request.table, request.schema);
    const states = await this.states(request.environments);
    const service = request.service ?? chooseService(states, table);
    for (const s of states) {
      if (!s.services.some((x) => x.name === service)) {
        throw new GenerateError('unknown-service', `${s.environment} has no service "${service}"`, { hint: `Its services: ${s.services.map((x) => x.name).join(', ') || 'none'}.`, fault: 'model' });
      }
    }
    const generated = generateLayer(table, {
      service,
      targets: states.map((s) => ({ environment: s.environment, folder: s.folder })),
      ...pick(request, ['name', 'title', 'geometryColumn', 'idField', 'srid', 'itemLimit', 'createdBy']),
      now: this.clock(),
    });
    for (const s of states) {
      const same = s.layers.find((l) => l.name === generated.name && l.service === service);
      if (same) {
        throw new GenerateError('layer-exists', `${s.environment} already has the layer ${same.id}, in ${same.origin.file}`, {
          hint: `To change it, edit ${same.origin.file}. To publish ${table.schema}.${table.name} as a second layer, give it another name (name / --name, e.g. ${generated.name}-2).`,
          data: { layer: same.id, file: same.origin.file, environment: s.environment, suggestedName: `${generated.name}-2` },
          fault: 'user',
        });
      }
      const publishing = s.layers.find((l) => l.storage.table === table.name && (l.storage.schema ?? 'public') === table.schema);
      if (publishing && !request.name) {
        throw new GenerateError('table-already-published', `${table.schema}.${table.name} is already published in ${s.environment} as ${publishing.id}, in ${publishing.origin.file}`, {
          hint: `To change that layer, edit ${publishing.origin.file}. For a second layer on the same table, give it its own name (name / --name, e.g. ${generated.name}-2).`,
          data: { layer: publishing.id, file: publishing.origin.file, environment: s.environment, suggestedName: `${generated.name}-2` },
          fault: 'user',
        });
      }
    }
    const validation = await this.validateWith(generated.files, request.environments);
    const mismatches = matchLayerToTable(normalizeLayer(generated.layer, { file: generated.files[0]?.path ?? '', environment: states[0]?.environment } as never), table);
    return { ...generated, validation, mismatches };
  }

  async generateMigration(request: GenerateMigrationRequest): Promise<GeneratedMigration & { validation: FileValidation; lint: LintFinding[]; layer?: GeneratedLayer }> {
    // The generators check types, defaults and their own SQL with PostgreSQL's parser.
    await loadParser();
    const repo = await this.load();
    const migrations = indexRepo(repo).migrations.map((m) => m.migration);
    const existing = migrations.map((m) => ({ id: m.id, name: m.name }));
    // What the repository's migrations already create, pending or applied: never proposed twice.
    const objects = migrationObjects(buildMigrationGraph(migrations).order);
    const already = async (found: MigrationObject | undefined, what: string): Promise<void> => {
      if (!found) return;
      const state = await this.migrationState(found.migration);
      throw new GenerateError('already-in-migration', `migration ${found.migration} already ${what}; it is ${state} in ${this.context.environment}`, {
        hint:
          state === 'applied'
            ? 'Nothing to generate: the database has it once that migration is deployed everywhere (honua migrate status shows where it is applied).'
            : `Nothing to generate: deploy that migration (honua plan -e ${this.context.environment} lists it as pending), or edit it if it needs changing.`,
        data: { migration: found.migration, state, environment: this.context.environment },
        fault: 'user',
      });
    };
    const base = { existing, now: this.clock(), ...(request.author ? { author: request.author } : {}), ...(request.environments ? { environments: request.environments.map(canonicalEnvironment) } : {}) };
    let generated: GeneratedMigration;
    let layer: GeneratedLayer | undefined;
    if (request.kind === 'spatial-index') {
      const table = await this.findTable(request.table, request.schema);
      const column = request.column ?? table.geometryColumns[0]?.column;
      if (column) await already(spatialIndexIn(objects, table.schema, table.name, column), `adds a spatial index on ${table.schema}.${table.name}.${column}`);
      generated = spatialIndexMigration(table, { ...base, ...(request.column ? { column: request.column } : {}) });
    } else if (request.kind === 'add-column') {
      if (!request.column || !request.type) throw new GenerateError('missing-argument', 'add-column needs the column name and its SQL type', { hint: 'e.g. column: inspected_on, type: date', fault: 'model' });
      const column: ColumnSpec = { name: request.column, type: request.type, ...(request.nullable !== undefined ? { nullable: request.nullable } : {}), ...(request.default !== undefined ? { default: request.default } : {}) };
      const table = await this.findTable(request.table, request.schema);
      await already(columnIn(objects, table.schema, table.name, request.column), `adds the column ${table.schema}.${table.name}.${request.column}`);
      generated = addColumnMigration(table, column, base);
    } else {
      const tables = (await this.inspect()).tables;
      const schema = request.schema ?? (request.table.includes('.') ? request.table.split('.')[0] : undefined);
      const name = request.table.includes('.') ? (request.table.split('.')[1] as string) : request.table;
      await already(tableIn(objects, schema ?? 'public', name), `creates the table ${schema ?? 'public'}.${name}`);
      const spec = { ...(schema ? { schema } : {}), name, geometryType: request.geometryType ?? 'Geometry', srid: request.srid ?? 4326, columns: request.columns ?? [], ...(request.comment ? { comment: request.comment } : {}) };
      generated = addTableMigration(spec, tables, base);
      if (request.service !== undefined) {
        // The layer for the new table, generated from the table as the migration will create it.
        const states = await this.states(request.environments);
        layer = generateLayer(plannedTable(spec), {
          service: request.service,
          targets: states.map((s) => ({ environment: s.environment, folder: s.folder })),
          now: this.clock(),
          ...(request.author ? { createdBy: request.author } : {}),
        });
      }
    }
    const files = [...generated.files, ...(layer?.files ?? [])];
    const withFiles = await this.loadWith(files);
    const migration = indexRepo(withFiles).migrations.find((m) => m.migration.name === generated.name)?.migration ?? failNoMigration(generated.name);
    const [lint, validation] = await Promise.all([lintMigration(migration), fileValidation(withFiles, files, request.environments)]);
    return { ...generated, validation, lint, ...(layer ? { layer } : {}) };
  }

  /** Whether a migration is applied in the session's database: 'applied', 'pending', or 'not known to be applied' when the history cannot be read. */
  private async migrationState(name: string): Promise<string> {
    try {
      const rows = await readHistory(await this.database());
      return currentState(rows).get(name)?.applied ? 'applied' : 'pending';
    } catch {
      return 'not known to be applied';
    }
  }

  /**
   * Everything about a proposal that can be known before it is made, with nothing written: the
   * branch name and paths checked, secrets the consultant could not see put back, what each file
   * replaces and the lines changed, and the files validated against the base commit.
   */
  async prepareProposal(request: ProposalRequest): Promise<PreparedProposal & { validation: FileValidation }> {
    const root = this.requireRepo();
    const prepared = await prepareProposal({
      configRoot: root,
      branch: request.branch,
      files: request.files,
      message: request.message,
      author: request.author,
      pushToOrigin: request.push ?? true,
      transform: restoreRedacted,
      sameContent: sameConfigContent,
    });
    const base = new GitSource(new GitRepository(root), prepared.base.commit, prepared.base.commit);
    const validation = await fileValidation(await loadRepo(new OverlaySource(base, new Map(prepared.files.map((f) => [f.path, f.content])))), prepared.files);
    if (!validation.valid) {
      const errors = validation.problems.filter((p) => p.severity === 'error');
      const first = errors[0];
      throw new HonuaError('proposal-invalid', `the proposed files do not validate (${errors.length} error(s)); nothing was committed`, {
        hint: first ? `${first.file}:${first.line ?? 1}: ${first.message}` : undefined,
        data: { problems: validation.problems },
        fault: 'model',
      });
    }
    return { ...prepared, validation };
  }

  /** Makes the prepared proposal (exactly what was prepared, or nothing). */
  async commitProposal(prepared: PreparedProposal & { validation: FileValidation }): Promise<ProposalResult & { validation: FileValidation }> {
    return { ...(await commitProposal(prepared)), validation: prepared.validation };
  }

  async writeProposal(request: ProposalRequest): Promise<ProposalResult & { validation: FileValidation }> {
    return this.commitProposal(await this.prepareProposal(request));
  }
}

/** The TableInfo a new table will have once its add-table migration has run. */
function plannedTable(spec: NewTableSpec): TableInfo {
  const schema = spec.schema ?? 'public';
  const geom = spec.geometryColumn ?? 'geom';
  const id = spec.idColumn ?? 'id';
  const column = (name: string, type: string, nullable: boolean, position: number) => ({ name, position, type, nullable, default: null, comment: null, primaryKey: name === id });
  return {
    schema,
    name: spec.name,
    kind: 'table',
    comment: spec.comment ?? null,
    estimatedRows: null,
    rows: null,
    primaryKey: [id],
    columns: [column(id, 'bigint', false, 1), ...spec.columns.map((c, i) => column(c.name, c.type, c.nullable ?? true, i + 2)), column(geom, `geometry(${spec.geometryType},${spec.srid})`, false, spec.columns.length + 2)],
    geometryColumns: [{ column: geom, kind: 'geometry', type: spec.geometryType, srid: spec.srid, dimensions: 2, spatialIndex: `idx_${spec.name}_${geom}`, extent: null }],
    indexes: [{ name: `idx_${spec.name}_${geom}`, method: 'gist', columns: [geom], unique: false, primary: false, valid: true, spatial: true, definition: '' }],
    foreignKeys: [],
    findings: [],
  };
}

function failNoMigration(name: string): never {
  throw new HonuaError('internal', `generated migration ${name} did not load`, { fault: 'system' });
}

function pick<T extends object, K extends keyof T>(o: T, keys: K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
  return out;
}

/** Validation (with lint) of a loaded repository, narrowed to the problems in `files`. */
async function fileValidation(repo: LoadedRepo, files: ReadonlyArray<{ path: string }>, environments?: string[]): Promise<FileValidation> {
  const report = await validateWithLint(repo, environments);
  const paths = new Set(files.map((f) => f.path));
  const problems = report.problems.filter((p) => paths.has(p.file ?? ''));
  return { valid: !problems.some((p) => p.severity === 'error'), repositoryValid: report.valid, problems, otherErrors: report.problems.filter((p) => p.severity === 'error' && !paths.has(p.file ?? '')).length };
}

async function validateWithLint(repo: LoadedRepo, environments?: string[]): Promise<ValidationReport> {
  const { report } = validateRepo(repo, environments);
  const lint: Problem[] = await lintProblems(repo);
  if (lint.length > 0) {
    report.problems = sortProblems([...report.problems, ...lint]);
    report.warnings += lint.length;
  }
  return report;
}

/** Words that say nothing about which service a table belongs to. */
const STOP_WORDS = new Set(['and', 'the', 'for', 'with', 'from', 'that', 'this', 'are', 'its', 'into', 'per', 'city', 'county', 'public', 'data', 'layer', 'table', 'feature', 'ogc', 'api', 'published', 'gis', 'maintained', 'managed', 'official', 'all']);

/**
 * The service a new layer belongs in when none was named: the only one, or the one whose name,
 * title, description and keywords share the most words with the table's name and comment.
 * A tie is not guessed: the caller is asked to name the service.
 */
export function chooseService(states: DesiredState[], table: TableInfo): string {
  // Only services every target environment has: the layer goes into each of them.
  const services = new Map<string, string>();
  for (const svc of states[0]?.services ?? []) {
    if (states.every((s) => s.services.some((x) => x.name === svc.name))) services.set(svc.name, [svc.name, svc.title, svc.description ?? '', ...(svc.keywords ?? [])].join(' '));
  }
  const names = [...services.keys()];
  if (names.length === 1) return names[0] as string;
  if (names.length === 0) throw new GenerateError('no-service', 'the repository has no Service to publish the layer in', { hint: 'Add one under environments/common/services/.' });
  const stem = (w: string) => w.toLowerCase().replace(/(ies)$/, 'y').replace(/(s)$/, '');
  const words = (text: string) => new Set(text.split(/[^A-Za-z]+/).filter((w) => w.length > 2).map(stem).filter((w) => !STOP_WORDS.has(w)));
  const tableWords = words(`${table.schema} ${table.name} ${table.comment ?? ''}`);
  const scored = names.map((n) => ({ n, score: [...words(services.get(n) ?? '')].filter((w) => tableWords.has(w)).length }));
  scored.sort((a, b) => b.score - a.score);
  const [best, second] = scored;
  if (best && best.score > 0 && (!second || best.score > second.score)) return best.n;
  throw new GenerateError('service-required', `which service should publish ${table.schema}.${table.name}? The repository has ${names.join(', ')}`, {
    hint: 'Name the service (service / --service).',
    fault: 'user',
    data: { services: names },
  });
}
