import { existsSync } from 'node:fs';
import path from 'node:path';
import {
  buildEnvironment,
  buildMigrationGraph,
  canonicalEnvironment,
  type DesiredState,
  indexRepo,
  type LoadedRepo,
  loadRepo,
  normalizeLayer,
  requireState,
  restoreRedacted,
  sameConfigContent,
  selectEnvironments,
} from '../config/index.js';
import {
  type BackupManifest,
  connectionPrivileges,
  createBackup,
  currentState,
  type Database,
  findTable,
  type Inspection,
  inspectDatabase,
  lintAll,
  type LintFinding,
  lintMigration,
  listBackups,
  loadParser,
  migrateDown,
  migrateUp,
  type MigrationOutcome,
  type MigrationStatus,
  migrationStatus,
  planUp,
  privilegeWarnings,
  type ProgressEvent,
  readHistory,
  readOnlyDatabase,
  restoreBackup,
  type RestoreResult,
  sampleRows,
  tableCounts,
  type TableInfo,
} from '../db/index.js';
import { GenerateError, HonuaError, UsageError } from '../errors/index.js';
import { formatLocal, formatScheduleTime, parseScheduleTime } from '../policy/index.js';
import {
  addColumnMigration,
  alreadyInMigration,
  assertLayerIsNew,
  assertServiceIn,
  addTableMigration,
  chooseService,
  columnIn,
  type GeneratedLayer,
  type GeneratedMigration,
  generateLayer,
  type LayerMismatch,
  matchLayerToTable,
  type MigrationObject,
  migrationObjects,
  plannedTable,
  spatialIndexIn,
  spatialIndexMigration,
  tableIn,
} from '../generate/index.js';
import {
  createPlan,
  decidePlan,
  diffCommits,
  governingPolicy,
  diffEnvironments,
  type DiffReport,
  type Plan,
  policyCheckReport,
  type PolicyCheckReport,
} from '../plan/index.js';
import {
  commitProposal,
  DirectorySource,
  writeConfigFile,
  GitRepository,
  GitSource,
  OverlaySource,
  type PreparedProposal,
  prepareProposal,
  type ProposalResult,
} from '../source/index.js';
import { basePolicy } from './base-policy.js';
import { commitOf } from './deployed-commit.js';
import type {
  BackupCreateRequest,
  BackupRequest,
  BackupRestoreRequest,
  ColumnSpec,
  DatabaseRequest,
  DiffRequest,
  EnvironmentInfo,
  FileValidation,
  GenerateLayerRequest,
  GenerateMigrationRequest,
  InspectRequest,
  MigrateRequest,
  MigrationPlanRequest,
  PlanRequest,
  ProposalRequest,
  ValidateRequest,
  WriteFilesRequest,
  DeployRequest,
  ApprovalRequest,
  DeploymentRequest,
  RollbackRequest,
  RestoreRequest,
  DeploymentsRequest,
  StatusRequest,
  VerifyRequest,
  UserAddRequest,
} from './contract.js';
import { type DeployOptions, DeploymentService } from './deployment-service.js';
import type { DeploymentRecord, EnvironmentStatus, User, Verification } from '../deploy/index.js';
import type { Engine, EngineAccess, MigrationPlanResult, ScheduledSlot, ValidationOutcome } from './engine.js';
import { fileValidation, validateWithLint } from './file-validation.js';
import { jsonSchemas } from './json-schemas.js';
import { type EngineWorkspace, requireRepoDir } from './workspace.js';

/**
 * The engine in this process, over a workspace the composition root (src/runtime) hands it:
 * configuration snapshots, database pools, the home folder, a clock. Every `honua` command, the
 * consultant's tools and MCP go through it.
 */
export class LocalEngine implements Engine {
  readonly access: EngineAccess;
  private inspection: Promise<Inspection> | undefined;

  private readonly deployments_: DeploymentService;

  constructor(
    readonly workspace: EngineWorkspace,
    options: { access?: EngineAccess } = {},
  ) {
    this.access = options.access ?? 'full';
    // The deployer's own backups are part of a deployment the policy allowed, whoever requested it.
    this.deployments_ = new DeploymentService(workspace, {
      backupCreate: (r) => this.createBackup(r ?? {}),
      backups: (r) => this.backups(r),
      backupRestore: (r) => this.restoreFromBackup(r),
    });
  }

  async close(): Promise<void> {
    this.inspection = undefined;
    await this.workspace.close();
  }

  private environment = (env: string | undefined): string => env ?? this.workspace.defaultEnvironment;

  private repoDir = (): string => requireRepoDir(this.workspace);

  private load(ref?: string): Promise<LoadedRepo> {
    return this.workspace.config(ref);
  }

  /**
   * An environment's database. For the consultant, every statement runs in a READ ONLY
   * transaction that is rolled back, under the least-privilege role when one is configured.
   */
  private async database(environment?: string): Promise<Database> {
    const db = await this.workspace.database(this.environment(environment));
    return this.access !== 'full' ? readOnlyDatabase(db, { role: this.workspace.dbRole }) : db;
  }

  /** What changes the database is the operator's, never the consultant's. */
  private full(what: string): void {
    if (this.access !== 'full') throw new HonuaError('read-only-engine', `${what} changes the database; the consultant's engine only reads it`);
  }

  // ---------------------------------------------------------------------------------------------
  // The configuration

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

  async validate(request: ValidateRequest = {}): Promise<ValidationOutcome> {
    const repo = await this.load(request.ref);
    return { report: await validateWithLint(repo, request.environments), texts: repo.texts };
  }

  async diff(request: DiffRequest): Promise<DiffReport> {
    if ('fromEnvironment' in request) {
      const repo = await this.load(request.ref);
      return diffEnvironments(requireState(repo, request.fromEnvironment), requireState(repo, request.toEnvironment));
    }
    const environment = this.environment(request.environment);
    const [before, after] = await Promise.all([this.load(request.from), this.load(request.to)]);
    return diffCommits(requireState(before, environment), requireState(after, environment));
  }

  async plan(request: PlanRequest = {}): Promise<Plan> {
    const environment = this.environment(request.environment);
    const [desiredRepo, baselineRepo] = await Promise.all([this.load(request.ref), request.against === undefined ? undefined : this.load(request.against)]);
    const desired = requireState(desiredRepo, environment);
    const baseline = baselineRepo ? requireState(baselineRepo, environment) : null;
    // Nothing deployed to compare with: the change is judged by its base's policy, never by its own.
    const base = baseline ? undefined : await basePolicy(this.repoDir(), environment, request.ref, (commit) => this.load(commit));
    const input = { desired, baseline, ...(base ? { basePolicy: base } : {}) };
    const now = request.at !== undefined ? new Date(request.at) : this.workspace.clock();
    // Planning is pure and takes no decision; the decision is the next step, over plan × policy × clock.
    const plan = createPlan({ ...input, lintFindings: await lintAll(desired.migrations), generatedAt: now });
    return decidePlan(plan, governingPolicy(input).policy, {
      now,
      ...(request.lastDeploymentAt !== undefined ? { lastDeploymentAt: new Date(request.lastDeploymentAt) } : {}),
      ...(request.activeDeployments !== undefined ? { activeDeployments: request.activeDeployments } : {}),
    });
  }

  async policyCheck(request: PlanRequest = {}): Promise<PolicyCheckReport> {
    return policyCheckReport(await this.plan(request));
  }

  schemas(): Record<string, Record<string, unknown>> {
    return jsonSchemas();
  }

  async readFile(file: string, ref?: string): Promise<{ path: string; content: string }> {
    const root = this.repoDir();
    const rel = path.posix.normalize(file.replace(/\\/g, '/')).replace(/^\.\//, '');
    if (rel.startsWith('..') || path.isAbsolute(rel) || rel.split('/').includes('.git')) {
      throw new HonuaError('bad-path', `"${file}" is outside the config repository`, { hint: 'Use a path relative to the repository root.', fault: 'model' });
    }
    if (ref !== undefined) {
      const git = new GitRepository(root);
      const commit = await git.resolveCommit(ref);
      const text = (await new GitSource(git, ref, commit).readFiles([rel])).get(rel);
      if (text === undefined) throw new HonuaError('file-not-found', `${rel} does not exist at ${ref}`, { fault: 'model' });
      return { path: rel, content: text };
    }
    // Only regular files inside the repository: links are listed by nobody and read through by nothing.
    const source = new DirectorySource(root);
    const listed = await source.listFiles();
    const text = listed.includes(rel) ? (await source.readFiles([rel])).get(rel) : undefined;
    if (text === undefined) {
      const link = (await source.links()).includes(rel) ? ' (it is a symbolic link, which Honua never follows)' : '';
      throw new HonuaError('file-not-found', `${rel} is not a file of the config repository${link}`, {
        hint: `Files are under environments/, migrations/, policies/ and .gitops/ (${listed.length} files).`,
        fault: 'model',
      });
    }
    return { path: rel, content: text };
  }

  async listFiles(): Promise<string[]> {
    return new DirectorySource(this.repoDir()).listFiles();
  }

  /** Validates the repository as it would be with `files` written, reporting the problems in those files. */
  async validateWith(files: ReadonlyArray<{ path: string; content: string }>, environments?: string[]): Promise<FileValidation> {
    return fileValidation(await this.loadWith(files), files, environments);
  }

  /** The repository as it would be with `files` written (nothing is written). */
  private async loadWith(files: ReadonlyArray<{ path: string; content: string }>): Promise<LoadedRepo> {
    return loadRepo(new OverlaySource(new DirectorySource(this.repoDir()), new Map(files.map((f) => [f.path, f.content]))));
  }

  private async states(environments: string[] | undefined): Promise<DesiredState[]> {
    const repo = await this.load();
    return selectEnvironments(repo, environments).map((env) => buildEnvironment(repo, env).state);
  }

  // ---------------------------------------------------------------------------------------------
  // The database

  /**
   * What is in an environment's database. With `table`, the whole catalog is read cheaply, the
   * table found among it (with near names when it is not there), then inspected on its own
   * (exactly, with `exact`). The consultant's plain inspection is read once per session.
   */
  async inspect(request: InspectRequest = {}): Promise<Inspection> {
    const db = await this.database(request.environment);
    const plain = request.schema === undefined && request.table === undefined && !request.exact;
    if (plain && this.access !== 'full' && request.environment === undefined) {
      this.inspection ??= inspectDatabase(db);
      this.inspection.catch(() => (this.inspection = undefined));
      return this.inspection;
    }
    const scope = { ...(request.schema ? { schema: request.schema } : {}), exactCounts: request.exact === true, exactExtents: request.exact === true };
    if (request.table === undefined) return inspectDatabase(db, scope);
    const table = findTable((await inspectDatabase(db, request.schema ? { schema: request.schema } : {})).tables, request.table, request.schema);
    return inspectDatabase(db, { ...scope, schema: table.schema, table: table.name });
  }

  async databaseDescription(): Promise<string> {
    return (await this.database()).description;
  }

  /** One table by name (schema-qualified or not); a clear error with candidates when it is not found or ambiguous. */
  async findTable(name: string, schema?: string): Promise<TableInfo> {
    try {
      return findTable((await this.inspect()).tables, name, schema);
    } catch (error) {
      // For the consultant, a name that does not exist is the model's mistake to correct.
      if (this.access !== 'full' && error instanceof HonuaError) {
        throw new HonuaError(error.code, error.message, {
          ...(error.hint ? { hint: error.hint.replace('honua db inspect lists', 'list_tables shows') } : {}),
          data: { ...error.data, database: await this.databaseDescription() },
          fault: 'model',
        });
      }
      throw error;
    }
  }

  async describeTable(
    name: string,
    schema: string | undefined,
    sampleRowCount: number,
  ): Promise<{ table: TableInfo; sample: Array<Record<string, unknown>>; sampleNotes: string[] }> {
    const table = await this.findTable(name, schema);
    if (sampleRowCount <= 0) return { table, sample: [], sampleNotes: [] };
    const sample = await sampleRows(await this.database(), table, Math.min(sampleRowCount, 20), { role: this.workspace.dbRole, timeoutMs: 5_000 });
    return { table, sample: sample.rows, sampleNotes: sample.notes };
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
      return privilegeWarnings(await connectionPrivileges(db, this.workspace.dbRole), db.description, this.workspace.dbRole);
    } catch (error) {
      return [`cannot check the database connection (${this.workspace.describeDatabase()}): ${error instanceof Error ? error.message : String(error)}`];
    }
  }

  /** The migrations that run in an environment, from the working tree. */
  private async migrationsOf(environment: string) {
    return requireState(await this.load(), environment).migrations;
  }

  async migrationStatus(request: DatabaseRequest = {}): Promise<MigrationStatus> {
    const environment = this.environment(request.environment);
    return migrationStatus(await this.database(environment), await this.migrationsOf(environment));
  }

  async migrationPlan(request: MigrationPlanRequest = {}): Promise<MigrationPlanResult> {
    const environment = this.environment(request.environment);
    const pending = await planUp(await this.database(environment), await this.migrationsOf(environment), request.to);
    const findings = (await Promise.all(pending.map((m) => lintMigration(m)))).flat();
    return { pending: pending.map((m) => ({ id: m.id, name: m.name, description: m.description, steps: m.up.map((st) => st.name) })), findings };
  }

  async migrate(request: MigrateRequest, options: { onProgress?: (event: ProgressEvent) => void } = {}): Promise<MigrationOutcome[]> {
    this.full(`migrate ${request.direction}`);
    const environment = this.environment(request.environment);
    const run = request.direction === 'up' ? migrateUp : migrateDown;
    return run(await this.database(environment), await this.migrationsOf(environment), {
      environment,
      lockWaitMs: request.waitMs ?? 0,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...(request.to !== undefined ? { to: request.to } : {}),
      ...(request.deploymentId !== undefined ? { deploymentId: request.deploymentId } : {}),
    });
  }

  async lintMigrations(request: DatabaseRequest = {}): Promise<{ migrations: number; findings: LintFinding[] }> {
    const migrations = await this.migrationsOf(this.environment(request.environment));
    return { migrations: migrations.length, findings: (await Promise.all(migrations.map((m) => lintMigration(m)))).flat() };
  }

  async lintMigration(name: string): Promise<{ migration: string; file: string; findings: LintFinding[] }> {
    const repo = await this.load();
    const all = indexRepo(repo).migrations;
    const hit = all.find((m) => m.migration.name === name || m.migration.id === name || m.doc.file.path === name || m.doc.file.path === `migrations/${name}`);
    if (!hit) {
      throw new HonuaError('unknown-migration', `no migration "${name}"`, {
        hint: `Known: ${all.map((m) => m.migration.name).join(', ') || 'none'}.`,
        fault: 'model',
      });
    }
    const known =
      (await this.inspect().catch(() => undefined))?.tables.flatMap((t) =>
        t.geometryColumns.map((g) => ({ table: t.name, column: g.column, type: g.type, srid: g.srid })),
      ) ?? [];
    return { migration: hit.migration.name, file: hit.doc.file.path, findings: await lintMigration(hit.migration, known) };
  }

  private backupDir = (dir: string | undefined): string => (dir !== undefined ? path.resolve(dir) : path.join(this.workspace.home, 'backups'));

  async backupCreate(request: BackupCreateRequest = {}): Promise<BackupManifest & { dir: string }> {
    this.full('backup create');
    return this.createBackup(request);
  }

  private async createBackup(request: BackupCreateRequest): Promise<BackupManifest & { dir: string }> {
    const environment = canonicalEnvironment(this.environment(request.environment));
    const target = await this.workspace.backupTarget(environment);
    const dir = this.backupDir(request.dir);
    const options = { environment, root: dir, keep: request.keep ?? 7, now: this.workspace.clock() };
    if (target.kind === 'postgres') return { ...(await createBackup(target, await this.database(environment), options)), dir };
    // An embedded database is copied closed: count its rows, close it, copy.
    const tables = await tableCounts(await this.database(environment));
    await this.workspace.releaseDatabase(environment);
    return { ...(await createBackup(target, undefined, { ...options, tables })), dir };
  }

  async backups(request: BackupRequest = {}): Promise<{ dir: string; backups: BackupManifest[] }> {
    const dir = this.backupDir(request.dir);
    return { dir, backups: await listBackups(dir, canonicalEnvironment(this.environment(request.environment))) };
  }

  async backupRestore(request: BackupRestoreRequest): Promise<RestoreResult> {
    this.full('backup restore');
    return this.restoreFromBackup(request);
  }

  private async restoreFromBackup(request: BackupRestoreRequest): Promise<RestoreResult> {
    const environment = canonicalEnvironment(this.environment(request.environment));
    const target = await this.workspace.backupTarget(environment);
    if (target.kind === 'embedded') await this.workspace.releaseDatabase(environment);
    return restoreBackup(target, this.backupDir(request.dir), environment, request.id, async () => {
      await this.workspace.releaseDatabase(environment);
      const db = await this.workspace.database(environment);
      // The runtime owns the pool: the restore's check must not close it.
      return Object.assign(Object.create(db) as Database, { close: async () => undefined });
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Generating and proposing

  async generateLayer(request: GenerateLayerRequest): Promise<GeneratedLayer & { validation: FileValidation; mismatches: LayerMismatch[] }> {
    const table = await this.findTable(request.table, request.schema);
    const states = await this.states(request.environments);
    const service = request.service ?? chooseService(states, table);
    assertServiceIn(states, service);
    const generated = generateLayer(table, {
      service,
      targets: states.map((s) => ({ environment: s.environment, folder: s.folder })),
      ...pick(request, ['name', 'title', 'geometryColumn', 'idField', 'srid', 'itemLimit', 'createdBy']),
      now: this.workspace.clock(),
    });
    assertLayerIsNew(states, { name: generated.name, service, named: request.name !== undefined }, table);
    const validation = await this.validateWith(generated.files, request.environments);
    const mismatches = matchLayerToTable(
      normalizeLayer(generated.layer, { file: generated.files[0]?.path ?? '', environment: states[0]?.environment } as never),
      table,
    );
    return { ...generated, validation, mismatches };
  }

  async generateMigration(
    request: GenerateMigrationRequest,
  ): Promise<GeneratedMigration & { validation: FileValidation; lint: LintFinding[]; layer?: GeneratedLayer }> {
    // The generators check types, defaults and their own SQL with PostgreSQL's parser.
    await loadParser();
    const environment = this.workspace.defaultEnvironment;
    const repo = await this.load();
    const migrations = indexRepo(repo).migrations.map((m) => m.migration);
    const existing = migrations.map((m) => ({ id: m.id, name: m.name }));
    // What the repository's migrations already create, pending or applied: never proposed twice.
    const objects = migrationObjects(buildMigrationGraph(migrations).order);
    const already = async (found: MigrationObject | undefined, what: string): Promise<void> => {
      if (found) throw alreadyInMigration(found, what, await this.migrationState(found.migration), environment);
    };
    const now = this.workspace.clock();
    const base = {
      existing,
      now,
      ...(request.author ? { author: request.author } : {}),
      ...(request.environments ? { environments: request.environments.map(canonicalEnvironment) } : {}),
    };
    let generated: GeneratedMigration;
    let layer: GeneratedLayer | undefined;
    if (request.kind === 'spatial-index') {
      const table = await this.findTable(request.table, request.schema);
      const column = request.column ?? table.geometryColumns[0]?.column;
      if (column) await already(spatialIndexIn(objects, table.schema, table.name, column), `adds a spatial index on ${table.schema}.${table.name}.${column}`);
      generated = spatialIndexMigration(table, { ...base, ...(request.column ? { column: request.column } : {}) });
    } else if (request.kind === 'add-column') {
      if (!request.column || !request.type)
        throw new GenerateError('missing-argument', 'add-column needs the column name and its SQL type', {
          hint: 'e.g. column: inspected_on, type: date',
          fault: 'model',
        });
      const column: ColumnSpec = {
        name: request.column,
        type: request.type,
        ...(request.nullable !== undefined ? { nullable: request.nullable } : {}),
        ...(request.default !== undefined ? { default: request.default } : {}),
      };
      const table = await this.findTable(request.table, request.schema);
      await already(columnIn(objects, table.schema, table.name, request.column), `adds the column ${table.schema}.${table.name}.${request.column}`);
      generated = addColumnMigration(table, column, base);
    } else {
      const tables = (await this.inspect()).tables;
      const schema = request.schema ?? (request.table.includes('.') ? request.table.split('.')[0] : undefined);
      const name = request.table.includes('.') ? (request.table.split('.')[1] as string) : request.table;
      await already(tableIn(objects, schema ?? 'public', name), `creates the table ${schema ?? 'public'}.${name}`);
      const spec = {
        ...(schema ? { schema } : {}),
        name,
        geometryType: request.geometryType ?? 'Geometry',
        srid: request.srid ?? 4326,
        columns: request.columns ?? [],
        ...(request.comment ? { comment: request.comment } : {}),
      };
      generated = addTableMigration(spec, tables, base);
      if (request.service !== undefined) {
        // The layer for the new table, generated from the table as the migration will create it.
        const states = await this.states(request.environments);
        layer = generateLayer(plannedTable(spec), {
          service: request.service,
          targets: states.map((s) => ({ environment: s.environment, folder: s.folder })),
          now,
          ...(request.author ? { createdBy: request.author } : {}),
        });
      }
    }
    const files = [...generated.files, ...(layer?.files ?? [])];
    const withFiles = await this.loadWith(files);
    const migration = indexRepo(withFiles).migrations.find((m) => m.migration.name === generated.name)?.migration;
    if (!migration) throw new HonuaError('internal-error', `generated migration ${generated.name} did not load`);
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
    const root = this.repoDir();
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

  async writeFiles(request: WriteFilesRequest): Promise<{ written: string[] }> {
    const root = this.repoDir();
    const clashes = request.files.filter((f) => existsSync(path.join(root, f.path)));
    if (clashes.length > 0 && !request.force) {
      throw new UsageError('file-exists', `${clashes.map((f) => f.path).join(', ')} already exist${clashes.length === 1 ? 's' : ''}`, {
        hint: 'Pass --force to overwrite, or --name to generate under another name.',
      });
    }
    return { written: request.files.map((f) => writeConfigFile(root, f.path, f.content)) };
  }

  async writeProposal(request: ProposalRequest): Promise<ProposalResult & { validation: FileValidation }> {
    return this.commitProposal(await this.prepareProposal(request));
  }

  // ---------------------------------------------------------------------------------------------
  // Deployments

  /** A deployment, rollback or restore may be requested by a person or by the consultant in operate mode; the policy decides the rest. */
  private requester(what: string): void {
    if (this.access === 'consultant')
      throw new HonuaError('read-only-engine', `${what} changes what runs; the consultant may request it only in an operate session (--mode operate)`);
  }

  /** Approving is a person's act: the consultant's engine never approves, rejects or changes users. */
  private person(what: string): void {
    if (this.access !== 'full') throw new HonuaError('read-only-engine', `${what} is a person's act; the consultant's engine cannot do it`);
  }

  async deploy(request: DeployRequest, options?: DeployOptions): Promise<DeploymentRecord> {
    this.requester('deploy');
    if (request.schedule === undefined) return this.deployments_.deploy(request, options);
    const slot = await this.schedule(request);
    return this.deployments_.deploy(request, options, {
      scheduledFor: new Date(slot.scheduledFor),
      ...(slot.notAfter ? { notAfter: new Date(slot.notAfter) } : {}),
    });
  }

  async approve(request: ApprovalRequest, options?: DeployOptions): Promise<DeploymentRecord> {
    this.person('approving a deployment');
    return this.deployments_.decide(request, 'approved', options);
  }

  async reject(request: ApprovalRequest, options?: DeployOptions): Promise<DeploymentRecord> {
    this.person('rejecting a deployment');
    return this.deployments_.decide(request, 'rejected', options);
  }

  async resume(request: DeploymentRequest, options?: DeployOptions): Promise<DeploymentRecord> {
    this.requester('resuming a deployment');
    return this.deployments_.resume(request, options);
  }

  async rollback(request: RollbackRequest, options?: DeployOptions): Promise<DeploymentRecord> {
    this.requester('rollback');
    return this.deployments_.rollback(request, options);
  }

  async restore(request: RestoreRequest, options?: DeployOptions): Promise<DeploymentRecord> {
    this.requester('restore');
    return this.deployments_.restore(request, options);
  }

  async runDue(environment: string, options?: DeployOptions): Promise<DeploymentRecord[]> {
    this.full('starting due deployments');
    return this.deployments_.runDue(environment, options);
  }

  /**
   * When a scheduled deployment runs: the time read in the governing policy's zone, refused when
   * the policy would not let a deployment start then (window, blackout), with the next slot it would.
   */
  async schedule(request: DeployRequest): Promise<ScheduledSlot> {
    const environment = canonicalEnvironment(request.environment);
    const active = commitOf((await this.status({ environment }))[0]);
    const base = {
      environment,
      ...(request.ref !== undefined && request.kind !== 'dev-apply' ? { ref: request.ref } : {}),
      ...(active ? { against: active } : {}),
    };
    const zone = (await this.plan(base)).policy.timezone;
    const time = parseScheduleTime(request.schedule ?? '', { zone, now: this.workspace.clock() });
    const at = (await this.plan({ ...base, at: time.start.toISOString() })).policy;
    const local = formatLocal(time.start, zone);
    if (at.outcome === 'denied') throw new HonuaError('deployment-denied', `the ${environment} policy denies this change: ${at.reasons.join('; ')}`);
    if (at.outcome === 'blocked') {
      const next = at.blockedUntil;
      throw new HonuaError('outside-window', `${local} is outside what the ${environment} policy allows: ${at.reasons.join('; ')}`, {
        hint: next ? `The next allowed slot is ${at.blockedUntilLocal ?? next} (${next}).` : 'The policy allows no time within the next year.',
        data: { requested: time.start.toISOString(), ...(next ? { nextAllowed: next, nextAllowedLocal: at.blockedUntilLocal ?? next } : {}) },
      });
    }
    return {
      scheduledFor: time.start.toISOString(),
      ...(time.end ? { notAfter: time.end.toISOString() } : {}),
      local: formatScheduleTime(time, zone),
      zone,
      approvalRequired: at.approval.required,
      approvers: at.approval.approvers,
    };
  }

  async deployment(id: string): Promise<DeploymentRecord> {
    return this.deployments_.deployment(id);
  }

  async deployments(request: DeploymentsRequest): Promise<DeploymentRecord[]> {
    return this.deployments_.deployments(request);
  }

  async status(request?: StatusRequest): Promise<EnvironmentStatus[]> {
    return this.deployments_.status(request);
  }

  async verify(request: VerifyRequest): Promise<Verification & { snapshot?: string }> {
    return this.deployments_.verify(request);
  }

  async identify(request: { token: string; environment?: string | undefined }): Promise<User> {
    const { user } = await this.deployments_.actor(request.token, 'admin-api', request.environment);
    return user as User;
  }

  async userList(): Promise<User[]> {
    return this.deployments_.userList();
  }

  async userAdd(request: UserAddRequest): Promise<{ user: User; token: string }> {
    this.person('adding a user');
    return this.deployments_.userAdd(request);
  }

  async userRemove(name: string): Promise<User> {
    this.person('removing a user');
    return this.deployments_.userRemove(name);
  }
}

function pick<T extends object, K extends keyof T>(o: T, keys: K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
  return out;
}
