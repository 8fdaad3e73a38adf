import type { DesiredState } from '../config/index.js';
import type { TableInfo } from '../db/index.js';
import { GenerateError } from '../errors/index.js';

/** Words that say nothing about which service a table belongs to. */
const STOP_WORDS = new Set([
  'and',
  'the',
  'for',
  'with',
  'from',
  'that',
  'this',
  'are',
  'its',
  'into',
  'per',
  'city',
  'county',
  'public',
  'data',
  'layer',
  'table',
  'feature',
  'ogc',
  'api',
  'published',
  'gis',
  'maintained',
  'managed',
  'official',
  'all',
]);

/**
 * The service a new layer belongs in when none was named: the only one, or the one whose name,
 * title, description and keywords share the most words with the table's name and comment.
 * A tie is not guessed: the caller is asked to name the service.
 */
export function chooseService(states: DesiredState[], table: TableInfo): string {
  // Only services every target environment has: the layer goes into each of them.
  const services = new Map<string, string>();
  for (const svc of states[0]?.services ?? []) {
    if (states.every((s) => s.services.some((x) => x.name === svc.name)))
      services.set(svc.name, [svc.name, svc.title, svc.description ?? '', ...(svc.keywords ?? [])].join(' '));
  }
  const names = [...services.keys()];
  if (names.length === 1) return names[0] as string;
  if (names.length === 0)
    throw new GenerateError('no-service', 'the repository has no Service to publish the layer in', { hint: 'Add one under environments/common/services/.' });
  const stem = (w: string) =>
    w
      .toLowerCase()
      .replace(/(ies)$/, 'y')
      .replace(/(s)$/, '');
  const words = (text: string) =>
    new Set(
      text
        .split(/[^A-Za-z]+/)
        .filter((w) => w.length > 2)
        .map(stem)
        .filter((w) => !STOP_WORDS.has(w)),
    );
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
