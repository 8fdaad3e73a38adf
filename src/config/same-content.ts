import { loadAll } from 'js-yaml';
import { canonicalJson } from './kinds/migration.js';

/**
 * Whether two versions of a config file say the same thing: the same documents once parsed, with
 * `metadata.created` left out (a generator stamps the time it ran; running the same request twice
 * must not count as a change). Files that do not parse as YAML or JSON are compared as text. Pure.
 */
export function sameConfigContent(path: string, a: string, b: string): boolean {
  if (a === b) return true;
  if (!/\.(ya?ml|json)$/i.test(path)) return false;
  const meaning = (text: string): string | undefined => {
    try {
      const docs = loadAll(text) as unknown[];
      return canonicalJson(
        docs.map((d) => {
          if (d === null || typeof d !== 'object' || Array.isArray(d)) return d;
          const doc = d as Record<string, unknown>;
          const metadata = doc.metadata;
          if (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata)) return doc;
          const { created: _created, ...rest } = metadata as Record<string, unknown>;
          return { ...doc, metadata: rest };
        }),
      );
    } catch {
      return undefined;
    }
  };
  const ma = meaning(a);
  return ma !== undefined && ma === meaning(b);
}
