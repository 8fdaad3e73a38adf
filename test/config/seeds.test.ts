import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { load as parseYaml } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { GitOpsSchema } from '../../src/config/kinds/server-config.js';
import { isKind } from '../../src/config/kinds/kind.js';
import { checkSchema } from '../../src/config/schema-check.js';

/** Every Honua resource shown in the seed documents validates exactly as written there (copied verbatim). */
const dir = path.resolve(import.meta.dirname, '../fixtures/seeds');
const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));

describe('seed resources validate as written', () => {
  it('has the seed resources', () => expect(files.length).toBe(6));

  it.each(files)('%s', (file) => {
    const value = parseYaml(readFileSync(path.join(dir, file), 'utf8')) as Record<string, unknown>;
    if (value.gitops !== undefined) {
      // Seed 002 shows the server configuration's gitops block on its own; it is ServerConfig.spec.gitops.
      expect(GitOpsSchema.safeParse(value.gitops).error).toBeUndefined();
      return;
    }
    expect(isKind(value.kind)).toBe(true);
    const result = checkSchema(value.kind as never, value);
    expect(result.ok ? [] : result.findings).toEqual([]);
  });
});
