import type { FastifyInstance } from 'fastify';
import type { Check } from '../config/index.js';
import type { CheckResult } from '../deploy/index.js';
import { encodeId } from './ogc/base-url.js';
import { CONFORMANCE } from './ogc/conformance-classes.js';
import type { Collection } from './registry.js';

/**
 * The probe a deployment's verification runs against an app (the candidate one before a snapshot
 * goes live, the live one after the swap): the landing page, the conformance declaration, the API
 * definition, then for each collection its description and a first items page within the layer's
 * latency budget, and the layers' `type: ogc` health checks. Each answer is checked, not only its
 * status: a 200 with the wrong body is a failure.
 */
export interface ProbeOptions {
  basePath: string;
  /** Only these collections (the changed ones); default all. */
  collections?: readonly Collection[];
  /** Where the results say they came from (candidate, live). */
  label: string;
}

interface Answer {
  status: number;
  body: string;
  ms: number;
}

async function get(app: FastifyInstance, url: string): Promise<Answer> {
  const started = performance.now();
  const r = await app.inject({ method: 'GET', url, headers: { accept: 'application/json' } });
  return { status: r.statusCode, body: r.body, ms: performance.now() - started };
}

const parse = (body: string): Record<string, unknown> | undefined => {
  try {
    return JSON.parse(body) as Record<string, unknown>;
  } catch {
    return undefined;
  }
};

export async function probeApp(app: FastifyInstance, options: ProbeOptions): Promise<CheckResult[]> {
  const { basePath, label } = options;
  const results: CheckResult[] = [];
  const check = async (
    name: string,
    source: string,
    url: string,
    judge: (a: Answer, doc: Record<string, unknown> | undefined) => string | undefined,
    budgetMs?: number,
  ) => {
    let a: Answer;
    try {
      a = await get(app, url);
    } catch (error) {
      results.push({ name, source, passed: false, detail: `${name}: ${(error as Error).message}`, durationMs: 0 });
      return;
    }
    const doc = parse(a.body);
    let problem = a.status === 200 ? judge(a, doc) : `answered ${a.status}${doc?.description ? ` (${String(doc.description)})` : ''}`;
    if (!problem && budgetMs !== undefined && a.ms > budgetMs) problem = `took ${Math.round(a.ms)} ms, over its ${budgetMs} ms budget`;
    results.push({ name, source, passed: !problem, detail: `${name} (${label}): GET ${url} ${problem ?? `ok in ${Math.round(a.ms)} ms`}`, durationMs: a.ms });
  };
  const hasLinks = (doc: Record<string, unknown> | undefined, rels: string[]) => {
    const links = (doc?.links as Array<{ rel: string }> | undefined) ?? [];
    const missing = rels.filter((rel) => !links.some((l) => l.rel === rel));
    return missing.length ? `has no ${missing.join(', ')} link` : undefined;
  };
  await check('ogc landing page', 'server', `${basePath}/`, (_a, doc) => hasLinks(doc, ['self', 'service-desc', 'conformance', 'data']));
  await check('ogc conformance', 'server', `${basePath}/conformance`, (_a, doc) =>
    ((doc?.conformsTo as string[] | undefined) ?? []).includes(CONFORMANCE.core) ? undefined : 'does not declare the core class',
  );
  await check('ogc api definition', 'server', `${basePath}/api`, (_a, doc) => (typeof doc?.openapi === 'string' ? undefined : 'is not an OpenAPI document'));
  for (const c of options.collections ?? []) {
    const href = `${basePath}/collections/${encodeId(c.id)}`;
    await check('ogc collection', c.id, href, (_a, doc) => (doc?.id === c.id ? hasLinks(doc, ['items']) : `describes "${String(doc?.id)}"`));
    await check(
      'ogc items page',
      c.id,
      `${href}/items?limit=${Math.min(10, c.itemLimit)}`,
      (_a, doc) => (doc?.type === 'FeatureCollection' && Array.isArray(doc.features) ? undefined : 'is not a FeatureCollection'),
      c.latencyBudgetMs,
    );
    for (const hc of c.layer.healthChecks.filter((x): x is Extract<Check, { type: 'ogc' }> => x.type === 'ogc')) {
      const endpoint = hc.endpoint.startsWith(basePath) || basePath === '' ? hc.endpoint : `${basePath}${hc.endpoint.replace(/^\/ogc(?=\/|$)/, '')}`;
      const started = performance.now();
      const a = await get(app, endpoint).catch((error: Error) => ({ status: 0, body: error.message, ms: performance.now() - started }));
      const passed = a.status === hc.expectedStatus && (hc.timeoutMs === undefined || a.ms <= hc.timeoutMs);
      results.push({
        name: hc.name,
        source: c.id,
        passed,
        detail: `${hc.name} (${label}): GET ${endpoint} answered ${a.status}${passed ? '' : `, expected ${hc.expectedStatus}`} in ${Math.round(a.ms)} ms`,
        durationMs: a.ms,
      });
    }
  }
  return results;
}
