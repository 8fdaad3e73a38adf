import type { DesiredState, ResourceDocument } from './desired-state.js';
import { canonicalEnvironment, sameEnvironment } from './environment.js';
import { environmentMigrations } from './environment-migrations.js';
import { environmentPolicy } from './environment-policy.js';
import { type DataSource, normalizeDataSource, type WrittenDataSource } from './kinds/data-source.js';
import { layerId, type Layer, normalizeLayer, type WrittenLayer } from './kinds/layer.js';
import type { ServerConfig, WrittenServerConfig } from './kinds/server-config.js';
import { normalizeService, type Service, type WrittenService } from './kinds/service.js';
import { placeIn, problemAt } from './place.js';
import type { Problem } from './problem.js';
import { indexRepo } from './repo-index.js';
import { type Resolved, resolveResources } from './resolve-resources.js';
import { checkEnvironmentMatch } from './rules/environment-match.js';
import { checkLayerConsistency } from './rules/layer-consistency.js';
import { checkReferences } from './rules/references.js';
import { checkSecrets } from './rules/secrets.js';
import { checkSchema, findingProblems } from './schema-check.js';
import type { LoadedRepo } from './source-document.js';
import { expandValue, type TemplateVariables } from './template.js';

/**
 * An environment's desired state: its documents and environments/common overlaid, checked
 * against their schemas and the rules, normalized; with its migrations and effective policy.
 */
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
      problems.push(...findingProblems(result.findings, r, env));
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
        problems.push(
          problemAt(placeIn(r, ['kind']), {
            code: 'duplicate-name',
            message: `an environment has one ServerConfig (another is in ${serverDoc?.overlay?.file.path ?? serverDoc?.base?.file.path})`,
            environment: env,
          }),
        );
        continue;
      }
      server = { ...written.spec, name: written.metadata?.name ?? 'server' };
      serverDoc = r;
      const gitopsEnv = written.spec.gitops?.environment;
      if (gitopsEnv !== undefined && !sameEnvironment(gitopsEnv, env)) {
        problems.push(
          problemAt(placeIn(r, ['spec', 'gitops', 'environment']), {
            code: 'environment-mismatch',
            message: `gitops.environment is "${gitopsEnv}" but this is the ${env} server configuration`,
            environment: env,
          }),
        );
      }
    }
  }
  problems.push(...checkReferences(resolved, serverDoc, env));
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

  // The texts the state was built from (each resource's files, the policy's): what a plan's digest covers.
  const files = new Map<string, string>();
  for (const { r } of valid) for (const f of [r.base?.file, r.overlay?.file]) if (f) files.set(f.path, f.text);
  for (const f of policy.sources) {
    const text = repo.texts.get(f);
    if (text !== undefined) files.set(f, text);
  }

  const state: DesiredState = {
    environment: env,
    folder,
    source: repo.source,
    files,
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
