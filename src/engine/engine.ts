import type { ValidationReport } from '../config/index.js';
import type { BackupManifest, Inspection, LintFinding, MigrationOutcome, MigrationStatus, ProgressEvent, RestoreResult, TableInfo } from '../db/index.js';
import type { GeneratedLayer, GeneratedMigration, LayerMismatch } from '../generate/index.js';
import type { DiffReport, Plan, PolicyCheckReport } from '../plan/index.js';
import type { PreparedProposal, ProposalResult } from '../source/index.js';
import type {
  BackupCreateRequest,
  BackupRequest,
  BackupRestoreRequest,
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
import type { DeployOptions } from './deployment-service.js';
import type { DeploymentRecord, EnvironmentStatus, User, Verification } from '../deploy/index.js';
import type { EngineWorkspace } from './workspace.js';

/**
 * The application layer: everything Honua does, as methods. The `honua` commands, the
 * consultant's tools (and so MCP), the server's admin API and the controller call these and
 * nothing below them; a command only parses its options, calls one, and renders. Requests and
 * results are zod schemas (contract.ts, and the pinned formats they name), so the same contract
 * serves the tools, `--json`, the admin API and a remote engine.
 *
 * Access: a `full` engine does everything; a `consultant` engine (the tools, MCP) reads the
 * database only — every statement in a rolled-back READ ONLY transaction, under the
 * least-privilege role when one is configured — and refuses what changes it. An `operator` engine
 * (the consultant in operate mode) reads the database the same way, and may also *request*
 * deployments, rollbacks and restores — which go through the deployer with its policy, approvals,
 * backups and checks — but still never approves, migrates or restores a backup by itself.
 */
export type EngineAccess = 'full' | 'operator' | 'consultant';

/** A validation report and the texts of the files it mentions (for code frames). */
export interface ValidationOutcome {
  report: ValidationReport;
  texts: Map<string, string>;
}

export interface MigrationPlanResult {
  pending: Array<{ id: string; name: string; description: string; steps: string[] }>;
  findings: LintFinding[];
}

export interface ScheduledSlot {
  scheduledFor: string;
  notAfter?: string;
  /** The time in the policy's zone, as people read it. */
  local: string;
  zone: string;
  approvalRequired: boolean;
  approvers: string[];
}

export interface Engine {
  readonly workspace: EngineWorkspace;
  readonly access: EngineAccess;
  /** Releases what the engine's workspace holds (pools). */
  close(): Promise<void>;

  // The configuration
  environments(): Promise<EnvironmentInfo[]>;
  validate(request?: ValidateRequest): Promise<ValidationOutcome>;
  diff(request: DiffRequest): Promise<DiffReport>;
  plan(request?: PlanRequest): Promise<Plan>;
  policyCheck(request?: PlanRequest): Promise<PolicyCheckReport>;
  /** JSON Schemas of the configuration kinds and of every JSON format (honua schema). */
  schemas(): Record<string, Record<string, unknown>>;
  readFile(file: string, ref?: string): Promise<{ path: string; content: string }>;
  listFiles(): Promise<string[]>;
  validateWith(files: ReadonlyArray<{ path: string; content: string }>, environments?: string[]): Promise<FileValidation>;

  // The database
  inspect(request?: InspectRequest): Promise<Inspection>;
  findTable(name: string, schema?: string): Promise<TableInfo>;
  /** A table and a few sample rows, read only when that runs no unsafe code; `sampleNotes` says what was left out. */
  describeTable(
    name: string,
    schema: string | undefined,
    sampleRows: number,
  ): Promise<{ table: TableInfo; sample: Array<Record<string, unknown>>; sampleNotes: string[] }>;
  databaseDescription(): Promise<string>;
  /** What a person starting a session should know about the connection (a superuser, an unreachable server). */
  connectionWarnings(): Promise<string[]>;
  migrationStatus(request?: DatabaseRequest): Promise<MigrationStatus>;
  migrationPlan(request?: MigrationPlanRequest): Promise<MigrationPlanResult>;
  migrate(request: MigrateRequest, options?: { onProgress?: (event: ProgressEvent) => void }): Promise<MigrationOutcome[]>;
  lintMigrations(request?: DatabaseRequest): Promise<{ migrations: number; findings: LintFinding[] }>;
  lintMigration(name: string): Promise<{ migration: string; file: string; findings: LintFinding[] }>;
  backupCreate(request?: BackupCreateRequest): Promise<BackupManifest & { dir: string }>;
  backups(request?: BackupRequest): Promise<{ dir: string; backups: BackupManifest[] }>;
  backupRestore(request: BackupRestoreRequest): Promise<RestoreResult>;

  // Generating and proposing
  generateLayer(request: GenerateLayerRequest): Promise<GeneratedLayer & { validation: FileValidation; mismatches: LayerMismatch[] }>;
  generateMigration(
    request: GenerateMigrationRequest,
  ): Promise<GeneratedMigration & { validation: FileValidation; lint: LintFinding[]; layer?: GeneratedLayer }>;
  /** Checks, restores hidden secrets, counts and validates a proposal; writes nothing. */
  prepareProposal(request: ProposalRequest): Promise<PreparedProposal & { validation: FileValidation }>;
  /** Makes exactly the prepared proposal (branch, commit, push), or nothing. */
  commitProposal(prepared: PreparedProposal & { validation: FileValidation }): Promise<ProposalResult & { validation: FileValidation }>;
  writeProposal(request: ProposalRequest): Promise<ProposalResult & { validation: FileValidation }>;
  /**
   * Writes generated files into the repository's working tree (`honua-ai generate --write`),
   * never through a link, and never over an existing file unless `force`. No tool calls this: the
   * consultant proposes on a branch.
   */
  writeFiles(request: WriteFilesRequest): Promise<{ written: string[] }>;

  // Deployments (src/deploy): the same methods for the CLI, the admin API, the controller and
  // the consultant's operate tools. A token in a request says who asks; without one, the
  // operating-system user asks, unauthenticated (approvals then need a policy without approvers).

  /** When a deployment with `schedule` would run: checked against the policy (refused outside every window, with the next slot). */
  schedule(request: DeployRequest): Promise<ScheduledSlot>;
  /** Starts a deployment and carries it as far as it can go now: to its end, or to a wait (approval, window). */
  deploy(request: DeployRequest, options?: DeployOptions): Promise<DeploymentRecord>;
  /** A person approves a waiting deployment; when it has its approvals, it goes on (window permitting). Never for the consultant. */
  approve(request: ApprovalRequest, options?: DeployOptions): Promise<DeploymentRecord>;
  reject(request: ApprovalRequest, options?: DeployOptions): Promise<DeploymentRecord>;
  /** Continues a deployment a process left running, or whose window has opened. */
  resume(request: DeploymentRequest, options?: DeployOptions): Promise<DeploymentRecord>;
  /** A new deployment of an earlier snapshot: the previous one, or the one named. */
  rollback(request: RollbackRequest, options?: DeployOptions): Promise<DeploymentRecord>;
  /** Rebuilds an environment from a commit (and a database backup), as a deployment. */
  restore(request: RestoreRequest, options?: DeployOptions): Promise<DeploymentRecord>;
  /** Starts what is due in an environment: deployments whose window opened, approvals that expired. */
  runDue(environment: string, options?: DeployOptions): Promise<DeploymentRecord[]>;
  deployment(id: string): Promise<DeploymentRecord>;
  deployments(request: DeploymentsRequest): Promise<DeploymentRecord[]>;
  status(request?: StatusRequest): Promise<EnvironmentStatus[]>;
  /** The health checks of what is deployed (honua test). */
  verify(request: VerifyRequest): Promise<Verification & { snapshot?: string }>;
  /** The person a token names (the users file, or the environment's ServerConfig users): the admin API's authentication. */
  identify(request: { token: string; environment?: string | undefined }): Promise<User>;
  userList(): Promise<User[]>;
  /** Adds a user; the token is returned once and stored nowhere. */
  userAdd(request: UserAddRequest): Promise<{ user: User; token: string }>;
  userRemove(name: string): Promise<User>;
}
