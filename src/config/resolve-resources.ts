import type { Kind } from './kinds/kind.js';
import { layerId } from './kinds/layer.js';
import { resourceKey } from './desired-state.js';
import { isPlainObject, overlay } from './overlay.js';
import { type Layered, problemAt, relatedAt } from './place.js';
import type { Problem } from './problem.js';
import type { AcceptedDocument, RepoIndex } from './repo-index.js';

/** A resource of one environment: common and environment documents of one kind and name, overlaid. */
export interface Resolved extends Layered {
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
export function resolveResources(index: RepoIndex, environment: string, problems: Problem[]): Resolved[] {
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
          ...problemAt(
            { doc: d.doc, path: ['metadata', 'name'] },
            { code: 'duplicate-name', message: `${what} (first in ${first.doc.file.path})`, environment },
          ),
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
