import path from 'node:path/posix';
import { buildMigrationGraph } from '../plan/migration-graph.js';
import { entryFor, mergePolicy, type PolicyLayer, settingsFromEntry, settingsFromPerEnvironment } from '../policy/effective-policy.js';
import type { DesiredState, ResourceDocument } from './desired-state.js';
import { resourceKey } from './desired-state.js';
import { canonicalEnvironment, isProduction, sameEnvironment } from './environment.js';
import { type DataSource, normalizeDataSource, type WrittenDataSource } from './kinds/data-source.js';
import type { Kind } from './kinds/index.js';
import { layerId, type Layer, normalizeLayer, type WrittenLayer } from './kinds/layer.js';
import { migrationRunsIn, type Migration } from './kinds/migration.js';
import type { ServerConfig, WrittenServerConfig } from './kinds/server-config.js';
import { normalizeService, type Service, type WrittenService } from './kinds/service.js';
import { isPlainObject, overlay } from './overlay.js';
import { type Layered, placeIn, problemAt, relatedAt } from './place.js';
import { type Problem, problem } from './problem.js';
import { type AcceptedDocument, indexRepo, type RepoIndex } from './repo-index.js';
import { checkLayerConsistency } from './rules/layer-consistency.js';
import { checkSecrets } from './rules/secrets.js';
import { checkSchema } from './schema-check.js';
import { suggest } from './suggest.js';
import type { LoadedRepo, SourceDocument } from './source-document.js';
import { expandValue, type TemplateVariables } from './template.js';

/** A resource of one environment: common and environment documents of one kind and name, overlaid. */
interface Resolved extends Layered {
  kind: Kind;
  key: string;
  value: Record<string, unknown>;
}

const PUBLISHED: readonly Kind[] = ['DataSource', 'Service', 'Layer', 'ServerConfig'];

function identity(a: AcceptedDocument): string {
  const md = isPlainObject(a.value.metadata) ? a.value.metadata : {};
  const name = typeof md.name === 'string' ? md.name : undefined;
  if (a.kind === 'ServerConfig') return resourceKey('ServerConfig', name ?? 'server');
  if (name === undefined) return `${a.kind}/\u0000${a.doc.file.path}#${a.doc.index}`;
  if (a.kind === 'Layer') return resourceKey('Layer', layerId(typeof md.service === 'string' ? md.service : '', name));
  return resourceKey(a.kind, name);
}

/** Overlays environments/common under the environment, by kind and name; duplicates within one folder are errors. */
function resolveResources(index: RepoIndex, environment: string, problems: Problem[]): Resolved[] {
  const groups = new Map<string, { kind: Kind; common: AcceptedDocument[]; env: AcceptedDocument[] }>();
  for (const a of index.accepted) {
    if (!PUBLISHED.includes(a.kind)) continue;
    const inCommon = a.doc.area === 'common';
    if (!inCommon && !(a.doc.area === 'environment' && a.doc.environment === environment)) continue;
    const key = identity(a);
    const g = groups.get(key) ?? { kind: a.kind, common: [], env: [] };
    (inCommon ? g.common : g.env).push(a);
    groups.set(key, g);
  }
  const out: Resolved[] = [];
  for (const [key, g] of groups) {
    for (const list of [g.common, g.env]) {
      const [first, ...dups] = list;
      for (const d of dups) {
        if (!first) continue;
        const what = g.kind === 'ServerConfig' ? 'an environment has one ServerConfig' : `${key} is defined twice`;
        problems.push({
          ...problemAt({ doc: d.doc, path: ['metadata', 'name'] }, { code: 'duplicate-name', message: `${what} (first in ${first.doc.file.path})`, environment }),
          related: [relatedAt({ doc: first.doc, path: ['metadata', 'name'] }, 'first definition')],
        });
      }
    }
    const base = g.common[0];
    const over = g.env[0];
    const value = (over && base ? overlay(base.value, over.value) : (over ?? base)?.value) as Record<string, unknown>;
    const r: Resolved = { kind: g.kind, key, value };
    if (base) r.base = base.doc;
    if (over) r.overlay = over.doc;
    out.push(r);
  }
  return out.sort((a, b) => a.key.localeCompare(b.key));
}

/** The documents' `metadata.environment` must agree with the folder they are in. */
function checkEnvironmentMatch(r: Resolved, environment: string): Problem[] {
  const out: Problem[] = [];
  for (const doc of [r.base, r.overlay]) {
    if (!doc) continue;
    const md = (doc.value as Record<string, unknown>).metadata;
    const written = isPlainObject(md) ? md.environment : undefined;
    if (typeof written !== 'string') continue;
    if (doc.area === 'common') {
      out.push(problemAt({ doc, path: ['metadata', 'environment'] }, { code: 'environment-mismatch', message: `a shared document in environments/common says it is for ${written}`, hint: 'Remove metadata.environment from documents in environments/common.' }));
    } else if (!sameEnvironment(written, environment)) {
      out.push(problemAt({ doc, path: ['metadata', 'environment'] }, { code: 'environment-mismatch', message: `metadata.environment is "${written}" but the file is in environments/${doc.folder} (${environment})`, environment }));
    }
  }
  return out;
}

function referenceProblem(r: Layered, at: Array<string | number>, what: string, name: string, known: string[], environment: string): Problem {
  const s = suggest(name, known);
  return problemAt(placeIn(r, at), {
    code: 'unknown-reference',
    message: `${what} "${name}" does not exist in ${environment}${known.length > 0 ? ` (known: ${known.join(', ')})` : ''}`,
    hint: s ? `Did you mean "${s}"?` : `Add a ${what.split(' ')[0]} named "${name}" to environments/<env>/ or environments/common/.`,
    environment,
  });
}

/**
 * A layer's normalized form and consistency findings depend only on its document (and its
 * service's defaults), so a common layer that no environment overrides is worked out once for
 * all environments.
 */
const layerCache = new WeakMap<object, { key: string; layer: Layer; findings: Problem[] }>();
function layerOf(r: Resolved, written: WrittenLayer, from: Layer['origin'], service: Service | undefined): { layer: Layer; findings: Problem[] } {
  const key = `${service?.itemLimit}|${service?.defaultCrs}|${from.file}|${from.overlay}`;
  const hit = layerCache.get(written);
  if (hit && hit.key === key) return hit;
  const entry = { key, layer: normalizeLayer(written, from, service?.itemLimit, service?.defaultCrs), findings: checkLayerConsistency(r, written) };
  layerCache.set(written, entry);
  return entry;
}

/** Builds an environment's desired state and everything wrong with it. The state is best effort when there are errors. */
export function buildEnvironment(repo: LoadedRepo, environment: string): { state: DesiredState; problems: Problem[] } {
  const index = indexRepo(repo);
  const env = canonicalEnvironment(environment);
  const folder = repo.environments.get(env) ?? env;
  const vars: TemplateVariables = { env: folder, environment: env };
  const problems: Problem[] = [];

  const resolved = resolveResources(index, env, problems);
  const valid: Array<{ r: Resolved; data: Record<string, unknown> }> = [];
  const resources: ResourceDocument[] = [];
  for (const r of resolved) {
    problems.push(...checkEnvironmentMatch(r, env));
    problems.push(...checkSecrets(r, r.value, env));
    const result = checkSchema(r.kind, r.value);
    if (!result.ok) {
      for (const f of result.findings) {
        problems.push(problemAt(placeIn(r, f.path, f.at), { code: f.code, message: f.message, ...(f.hint ? { hint: f.hint } : {}), environment: env }));
      }
      continue;
    }
    // Expansion walks the whole document; only documents whose files have a placeholder need it.
    const templated = (r.base?.file.text.includes('{{') ?? false) || (r.overlay?.file.text.includes('{{') ?? false);
    const data = templated ? expandValue(result.data, vars) : result.data;
    valid.push({ r, data });
    const md = data.metadata as Record<string, unknown> | undefined;
    const doc: ResourceDocument = {
      kind: r.kind,
      name: r.kind === 'Layer' ? layerId(String(md?.service), String(md?.name)) : String(md?.name ?? 'server'),
      key: r.key,
      value: data,
      file: (r.overlay ?? r.base)?.file.path ?? '',
    };
    if (r.overlay && r.base) {
      doc.file = r.base.file.path;
      doc.overlay = r.overlay.file.path;
    }
    resources.push(doc);
  }

  const origin = (r: Resolved) => ({ file: (r.base ?? r.overlay)?.file.path ?? '', ...(r.base && r.overlay ? { overlay: r.overlay.file.path } : {}) });
  const dataSources: DataSource[] = [];
  const services: Service[] = [];
  const layers: Layer[] = [];
  let server: ServerConfig | undefined;
  let serverDoc: Resolved | undefined;
  for (const { r, data } of valid) {
    if (r.kind === 'DataSource') dataSources.push(normalizeDataSource(data as unknown as WrittenDataSource, origin(r)));
    else if (r.kind === 'Service') services.push(normalizeService(data as unknown as WrittenService, origin(r)));
    else if (r.kind === 'ServerConfig') {
      const written = data as unknown as WrittenServerConfig;
      if (server) {
        problems.push(problemAt(placeIn(r, ['kind']), { code: 'duplicate-name', message: `an environment has one ServerConfig (another is in ${serverDoc?.overlay?.file.path ?? serverDoc?.base?.file.path})`, environment: env }));
        continue;
      }
      server = { ...written.spec, name: written.metadata?.name ?? 'server' };
      serverDoc = r;
      const gitopsEnv = written.spec.gitops?.environment;
      if (gitopsEnv !== undefined && !sameEnvironment(gitopsEnv, env)) {
        problems.push(problemAt(placeIn(r, ['spec', 'gitops', 'environment']), { code: 'environment-mismatch', message: `gitops.environment is "${gitopsEnv}" but this is the ${env} server configuration`, environment: env }));
      }
    }
  }
  // References are checked on the written values of every resource, valid or not, so a layer
  // with a schema error still reports that its service does not exist.
  const nameOf = (r: Resolved): string | undefined => {
    const md = r.value.metadata;
    return isPlainObject(md) && typeof md.name === 'string' ? md.name : undefined;
  };
  const serviceNames = resolved.filter((r) => r.kind === 'Service').flatMap((r) => nameOf(r) ?? []);
  const dsNames = resolved.filter((r) => r.kind === 'DataSource').flatMap((r) => nameOf(r) ?? []);
  const at = (v: unknown, ...path: string[]): unknown => path.reduce<unknown>((o, k) => (isPlainObject(o) ? o[k] : undefined), v);
  for (const r of resolved) {
    const ref = (path: string[], what: string, known: string[]) => {
      const name = at(r.value, ...path);
      if (typeof name === 'string' && !known.includes(name)) problems.push(referenceProblem(r, path, what, name, known, env));
    };
    if (r.kind === 'Layer') {
      ref(['metadata', 'service'], 'service', serviceNames);
      ref(['spec', 'storage', 'dataSource'], 'datasource', dsNames);
    } else if (r.kind === 'Service') {
      ref(['spec', 'dataSource'], 'datasource', dsNames);
    } else if (r.kind === 'ServerConfig' && r === serverDoc) {
      ref(['spec', 'gitops', 'stateStore', 'dataSource'], 'datasource', dsNames);
    }
  }
  const serviceByName = new Map(services.map((s) => [s.name, s]));
  for (const { r, data } of valid) {
    if (r.kind !== 'Layer') continue;
    const written = data as unknown as WrittenLayer;
    const service = serviceByName.get(written.metadata.service);
    const { layer, findings } = layerOf(r, written, origin(r), service);
    layers.push(layer);
    for (const f of findings) problems.push({ ...f, environment: env });
    if (written.spec.ogc?.defaultCrs === undefined && service?.defaultCrs !== undefined && !layer.crs.includes(layer.defaultCrs)) {
      problems.push(
        problemAt(placeIn(r, ['spec', 'crs']), {
          code: 'default-crs-not-listed',
          message: `the layer inherits the default CRS ${service.defaultCrs} from service ${service.name}, but it is not in spec.crs (${written.spec.crs.join(', ')})`,
          hint: `Add ${service.defaultCrs} to spec.crs, or set spec.ogc.defaultCrs.`,
          environment: env,
        }),
      );
    }
  }

  const migrations = environmentMigrations(index, env, vars, problems);
  const policy = environmentPolicy(index, env, problems);

  const state: DesiredState = {
    environment: env,
    folder,
    source: repo.source,
    dataSources,
    services,
    layers,
    migrations,
    policy,
    resources: resources.sort((a, b) => a.key.localeCompare(b.key)),
  };
  if (server) state.server = server;
  return { state, problems };
}

/** The migrations that run in the environment, ordered; dependencies on migrations that do not run here are errors. */
function environmentMigrations(index: RepoIndex, env: string, vars: TemplateVariables, problems: Problem[]): Migration[] {
  const docOf = new Map<Migration, SourceDocument>();
  const here: Migration[] = [];
  for (const m of index.migrations) {
    if (!migrationRunsIn(m.migration, env)) continue;
    const expanded = expandValue(m.migration, vars);
    docOf.set(expanded, m.doc);
    here.push(expanded);
  }
  const graph = buildMigrationGraph(here, index.migrations.map((m) => m.migration));
  for (const p of graph.problems) {
    if (p.type !== 'missing' || !p.excluded) continue;
    const doc = docOf.get(p.migration);
    if (!doc) continue;
    problems.push(
      problemAt(
        { doc, path: ['spec', 'dependencies', p.migration.dependencies.indexOf(p.dependency)] },
        { code: 'missing-dependency', message: `migration ${p.migration.name} runs in ${env} but its dependency "${p.dependency}" does not`, hint: 'Add the environment to the dependency\'s metadata.environments, or remove it from this migration\'s.', environment: env },
      ),
    );
  }
  // Metadata steps must point at files that exist in this environment.
  const repo = index.repo;
  for (const m of here) {
    const doc = docOf.get(m);
    if (!doc) continue;
    for (const phase of ['up', 'down'] as const) {
      m[phase].forEach((step, i) => {
        if (step.type !== 'metadata' || step.action === 'remove') return;
        const candidates = step.path !== undefined ? [step.path] : metadataCandidates(`environments/${vars.env}`, step.resource ?? '');
        if (candidates.some((c) => repo.paths.has(c))) return;
        problems.push(
          problemAt(
            { doc, path: ['spec', phase, i, step.path !== undefined ? 'path' : 'resource'] },
            { code: 'missing-file', message: `${step.action} step "${step.name}" refers to ${candidates[0]}, which does not exist in ${env}`, environment: env },
          ),
        );
      });
    }
  }
  return graph.order;
}

/** A metadata step's resource is relative to the environment folder, or to environments/common when shared. */
const metadataCandidates = (dir: string, resource: string): string[] =>
  [dir, 'environments/common'].flatMap((d) =>
    /\.(ya?ml|json)$/i.test(resource) ? [path.join(d, resource)] : ['.yaml', '.yml', '.json'].map((ext) => path.join(d, resource + ext)),
  );

function environmentPolicy(index: RepoIndex, env: string, problems: Problem[]): DesiredState['policy'] {
  const layers: PolicyLayer[] = [];
  const sourceOf = new Map<string, SourceDocument>();
  let perEnv: SourceDocument | undefined;
  let allEnv: SourceDocument | undefined;
  for (const p of index.policies) {
    if (p.shape === 'all-environments') {
      const hit = entryFor(p.data, (k) => sameEnvironment(k, env));
      if (!hit) continue;
      if (allEnv) {
        problems.push(problemAt({ doc: p.doc, path: ['environments', hit.key] }, { code: 'duplicate-policy', message: `${env} is also governed by ${allEnv.file.path}`, environment: env }));
        continue;
      }
      allEnv = p.doc;
      sourceOf.set(p.doc.file.path, p.doc);
      layers.unshift({ file: p.doc.file.path, settings: settingsFromEntry(hit.entry, ['environments', hit.key]) });
    } else if (p.environment === env) {
      if (perEnv) {
        problems.push(problemAt({ doc: p.doc, path: ['metadata', 'name'] }, { code: 'duplicate-policy', message: `${env} already has the policy ${perEnv.file.path}`, environment: env }));
        continue;
      }
      perEnv = p.doc;
      sourceOf.set(p.doc.file.path, p.doc);
      layers.push({ file: p.doc.file.path, settings: settingsFromPerEnvironment(p.data) });
    }
  }
  const { policy, conflicts } = mergePolicy(env, layers);
  for (const c of conflicts) {
    const doc = sourceOf.get(c.winner.file);
    if (!doc) continue;
    problems.push(
      problemAt(
        { doc, path: c.winner.path },
        { code: 'policy-conflict', message: `${c.field} is ${JSON.stringify(c.winner.value)} here but ${JSON.stringify(c.loser.value)} in ${c.loser.file}; this file wins`, environment: env },
      ),
    );
  }
  if (policy.isDefault && isProduction(env) && index.invalidPolicies === 0) {
    problems.push(problem({ code: 'no-policy', message: 'production has no deployment policy; approval is required for every deployment and breaking changes are refused', environment: env }));
  }
  return policy;
}
