import path from 'node:path/posix';
import { suggest } from './suggest.js';
import { canonicalEnvironment } from './environment.js';
import { API_VERSION } from './kinds/common.js';
import { isKind, KINDS, type Kind } from './kinds/kind.js';
import { type AllEnvironmentsPolicy, type PerEnvironmentPolicy, policyShape } from './kinds/deployment-policy.js';
import { type Migration, normalizeMigration, type WrittenMigration } from './kinds/migration.js';
import type { PathSegment } from './locate.js';
import { isPlainObject } from './overlay.js';
import { type Place, problemAt } from './place.js';
import type { Problem } from './problem.js';
import { checkSchema, findingProblems } from './schema-check.js';
import type { Area, LoadedRepo, SourceDocument } from './source-document.js';
import { unknownPlaceholders } from './template.js';
import { checkMigrations } from './rules/migrations.js';

/**
 * Everything about a repository that does not depend on the environment, computed once:
 * which documents are well-formed Honua documents, the migrations, the policies and which
 * environments each policy governs.
 */
export interface AcceptedDocument {
  doc: SourceDocument;
  kind: Kind;
  value: Record<string, unknown>;
}

export interface IndexedMigration {
  migration: Migration;
  doc: SourceDocument;
}

export type IndexedPolicy =
  | { shape: 'per-environment'; doc: SourceDocument; data: PerEnvironmentPolicy; environment: string }
  | { shape: 'all-environments'; doc: SourceDocument; data: AllEnvironmentsPolicy };

export interface RepoIndex {
  repo: LoadedRepo;
  accepted: AcceptedDocument[];
  migrations: IndexedMigration[];
  policies: IndexedPolicy[];
  /** Policy documents that failed their schema (their environment's policy is unknown, not absent). */
  invalidPolicies: number;
  problems: Problem[];
}

const ALLOWED_AREAS: Record<Kind, readonly Area[]> = {
  DataSource: ['environment', 'common'],
  Service: ['environment', 'common'],
  Layer: ['environment', 'common'],
  ServerConfig: ['environment', 'common'],
  Migration: ['migrations'],
  DeploymentPolicy: ['policies', 'gitops', 'environment'],
};

const cache = new WeakMap<LoadedRepo, RepoIndex>();

export function indexRepo(repo: LoadedRepo): RepoIndex {
  const hit = cache.get(repo);
  if (hit) return hit;
  const problems: Problem[] = [];
  const accepted: AcceptedDocument[] = [];
  const report = (place: Place, code: Parameters<typeof problemAt>[1]['code'], message: string, hint?: string): void => {
    problems.push(problemAt(place, { code, message, ...(hint ? { hint } : {}) }));
  };

  for (const doc of repo.documents) {
    const v = doc.value;
    if (!isPlainObject(v)) {
      report({ doc, path: [] }, 'not-a-document', `a document must be a mapping, not ${Array.isArray(v) ? 'a list' : typeof v}`);
      continue;
    }
    if (v.kind === undefined || v.apiVersion === undefined) {
      const missing = [v.apiVersion === undefined ? 'apiVersion' : '', v.kind === undefined ? 'kind' : ''].filter(Boolean).join(' and ');
      report({ doc, path: [] }, 'missing-kind', `the document has no ${missing}`);
      continue;
    }
    if (!isKind(v.kind)) {
      const s = typeof v.kind === 'string' ? suggest(v.kind, KINDS) : undefined;
      report({ doc, path: ['kind'] }, 'unknown-kind', `unknown kind ${JSON.stringify(v.kind)}`, s ? `Did you mean "${s}"?` : undefined);
      continue;
    }
    if (v.apiVersion !== API_VERSION) {
      report({ doc, path: ['apiVersion'] }, 'unsupported-api-version', `apiVersion ${JSON.stringify(v.apiVersion)} is not supported (expected ${API_VERSION})`);
      continue;
    }
    if (!ALLOWED_AREAS[v.kind].includes(doc.area)) {
      report(
        { doc, path: ['kind'] },
        'misplaced-document',
        `a ${v.kind} does not belong in ${doc.area === 'common' ? 'environments/common' : doc.area === 'environment' ? `environments/${doc.folder}` : `${doc.area === 'gitops' ? '.gitops' : doc.area}/`}`,
      );
      continue;
    }
    if (doc.file.text.includes('{{')) checkPlaceholders(doc, v, [], problems);
    accepted.push({ doc, kind: v.kind, value: v });
  }

  const migrations = indexMigrations(repo, accepted, problems);
  const policies = indexPolicies(repo, accepted, problems);
  const invalidPolicies = accepted.filter((a) => a.kind === 'DeploymentPolicy').length - policies.length;
  const index: RepoIndex = { repo, accepted, migrations, policies, invalidPolicies, problems };
  cache.set(repo, index);
  return index;
}

function checkPlaceholders(doc: SourceDocument, value: unknown, at: PathSegment[], problems: Problem[]): void {
  if (typeof value === 'string') {
    for (const name of unknownPlaceholders(value)) {
      problems.push(problemAt({ doc, path: at }, { code: 'unknown-template-variable', message: `unknown placeholder {{${name}}}` }));
    }
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => checkPlaceholders(doc, v, [...at, i], problems));
  } else if (isPlainObject(value)) {
    for (const [k, v] of Object.entries(value)) checkPlaceholders(doc, v, [...at, k], problems);
  }
}

function indexMigrations(repo: LoadedRepo, accepted: AcceptedDocument[], problems: Problem[]): IndexedMigration[] {
  const out: IndexedMigration[] = [];
  for (const a of accepted) {
    if (a.kind !== 'Migration') continue;
    const result = checkSchema('Migration', a.value);
    if (!result.ok) {
      problems.push(...findingProblems(result.findings, { base: a.doc }));
      continue;
    }
    const migration = normalizeMigration(result.data as unknown as WrittenMigration, { file: a.doc.file.path }, a.doc.docsInFile, repo.sqlFiles);
    out.push({ migration, doc: a.doc });
  }
  problems.push(...checkMigrations(repo, out));
  return out;
}

/** The environment a per-environment policy governs: metadata.environment, its folder, or its file name. */
function policyEnvironment(doc: SourceDocument, data: PerEnvironmentPolicy): string | undefined {
  if (data.metadata.environment !== undefined) return canonicalEnvironment(data.metadata.environment);
  if (doc.environment !== undefined) return doc.environment;
  const m = /^([a-z0-9_-]+?)(?:[-_]policy)?\.(ya?ml|json)$/i.exec(path.basename(doc.file.path));
  const name = m?.[1];
  return name !== undefined && name !== 'deployment' ? canonicalEnvironment(name) : undefined;
}

function indexPolicies(repo: LoadedRepo, accepted: AcceptedDocument[], problems: Problem[]): IndexedPolicy[] {
  const out: IndexedPolicy[] = [];
  const known = new Set(repo.environments.keys());
  const unknownEnv = (doc: SourceDocument, at: PathSegment[], name: string, key = false): void => {
    if (!known.has(canonicalEnvironment(name))) {
      const s = suggest(name, [...known]);
      problems.push(
        problemAt(
          { doc, path: at, mode: key ? 'key' : 'value' },
          {
            code: 'unknown-environment',
            message: `the policy names environment "${name}", which has no folder under environments/`,
            ...(s ? { hint: `Did you mean "${s}"?` } : {}),
          },
        ),
      );
    }
  };
  for (const a of accepted) {
    if (a.kind !== 'DeploymentPolicy') continue;
    const result = checkSchema('DeploymentPolicy', a.value);
    if (!result.ok) {
      problems.push(...findingProblems(result.findings, { base: a.doc }));
      continue;
    }
    if (policyShape(a.value) === 'all-environments') {
      const data = result.data as unknown as AllEnvironmentsPolicy;
      for (const key of Object.keys(data.environments)) unknownEnv(a.doc, ['environments', key], key, true);
      out.push({ shape: 'all-environments', doc: a.doc, data });
      continue;
    }
    const data = result.data as unknown as PerEnvironmentPolicy;
    const environment = policyEnvironment(a.doc, data);
    if (environment === undefined) {
      problems.push(
        problemAt(
          { doc: a.doc, path: ['metadata', 'environment'], mode: 'parent' },
          {
            code: 'missing-field',
            message: 'metadata.environment is required: the policy does not say which environment it governs',
            hint: 'Add metadata.environment, or name the file <environment>-policy.yaml.',
          },
        ),
      );
      continue;
    }
    if (a.doc.environment !== undefined && a.doc.environment !== environment) {
      problems.push(
        problemAt(
          { doc: a.doc, path: ['metadata', 'environment'] },
          { code: 'environment-mismatch', message: `the policy in environments/${a.doc.folder} says it governs ${environment}` },
        ),
      );
      continue;
    }
    if (data.metadata.environment !== undefined) unknownEnv(a.doc, ['metadata', 'environment'], data.metadata.environment);
    else unknownEnv(a.doc, [], environment);
    out.push({ shape: 'per-environment', doc: a.doc, data, environment });
  }
  return out;
}
