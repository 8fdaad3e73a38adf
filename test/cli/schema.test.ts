import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonSchemas } from '../../src/engine/json-schemas.js';
import { honua } from '../helpers/cli.js';
import { tempDir } from '../helpers/repo.js';

describe('honua schema', () => {
  it('writes a JSON Schema per kind, one for any document, and the output formats', async () => {
    const dir = await tempDir();
    const r = await honua(['schema', '--out', dir]);
    expect(r.code).toBe(0);
    expect((await readdir(dir)).sort()).toEqual([
      'data-source.schema.json',
      'deployment-policy.schema.json',
      'deployment.schema.json',
      'diff-report.schema.json',
      'environment-status.schema.json',
      'honua.schema.json',
      'incident.schema.json',
      'inspection.schema.json',
      'layer.schema.json',
      'migration.schema.json',
      'plan.schema.json',
      'policy-check-report.schema.json',
      'server-config.schema.json',
      'service.schema.json',
      'snapshot.schema.json',
      'validation-report.schema.json',
    ]);
    const layer = JSON.parse(await readFile(path.join(dir, 'layer.schema.json'), 'utf8'));
    expect(layer.properties.spec.properties.geometryType.enum).toContain('LineString');
    expect(layer.properties.spec.additionalProperties).toBe(false);
    expect(layer.properties.metadata.properties.name.pattern).toBeDefined();
  });

  it('the schemas committed in schemas/ are up to date (run `npm run schemas` after changing a kind)', async () => {
    const dir = path.resolve(import.meta.dirname, '../../schemas');
    for (const [file, schema] of Object.entries(jsonSchemas())) {
      expect(JSON.parse(await readFile(path.join(dir, file), 'utf8')), file).toEqual(schema);
    }
  });

  it('prints one schema, and names the known ones for an unknown name', async () => {
    expect(JSON.parse((await honua(['schema', '--name', 'layer'])).stdout).title).toBe('Honua layer document');
    const bad = await honua(['schema', '--name', 'lyr']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('Known: data-source, service, layer');
  });
});
