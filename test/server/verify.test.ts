import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { simpleGit } from 'simple-git';
import { describe, expect, it } from 'vitest';
import { commitAll } from '../helpers/repo.js';
import { serverSetup } from '../helpers/server.js';

/**
 * The OGC verification of a deployment: the candidate snapshot is probed in process before it is
 * trusted, and the live server after the swap; a layer whose first page fails is a failed
 * verification, rolled back by the policy, and the live server never serves it.
 */
describe('OGC verification of deployments', () => {
  it('passes for the sample: landing, conformance, the API, each collection, a first page within budget and the ogc health checks, candidate and live', async (ctx) => {
    const t = await serverSetup({ deploy: false });
    if (!t) return ctx.skip('needs the PostgreSQL server');
    try {
      expect(t.server.registry.source).toBe('working tree');
      const record = await t.runtime.engine().deploy({ environment: 'development' });
      expect(record.state, JSON.stringify(record.error)).toBe('Completed');
      const checks = record.verification?.checks ?? [];
      const ogc = checks.filter((c) => c.name.startsWith('ogc') || c.source === 'server');
      expect(ogc.filter((c) => !c.passed)).toEqual([]);
      expect(
        checks
          .filter((c) => c.name === 'ogc items page')
          .map((c) => c.source)
          .sort(),
      ).toEqual([
        'planning::parcels',
        'planning::parcels',
        'planning::zoning',
        'planning::zoning',
        'transportation::bike-lanes',
        'transportation::bike-lanes',
        'transportation::transit-stops',
        'transportation::transit-stops',
      ]);
      expect(checks.some((c) => c.detail.includes('(candidate)'))).toBe(true);
      expect(checks.some((c) => c.detail.includes('(live)'))).toBe(true);
      // The server went from the working tree to the deployed snapshot during the verification.
      expect(t.server.registry).toMatchObject({ source: 'snapshot', id: record.snapshot });
    } finally {
      await t.close();
    }
  });

  it('a layer whose items fail fails the verification: rolled back, and the live server keeps serving the previous snapshot', async (ctx) => {
    const t = await serverSetup();
    if (!t) return ctx.skip('needs the PostgreSQL server');
    try {
      const before = t.server.registry.id;
      const file = path.join(t.repo, 'environments/common/layers/zoning.yaml');
      // A column the table does not have: valid configuration, broken data access.
      await writeFile(file, (await readFile(file, 'utf8')).replace('- name: zone_name', '- name: zone_name\n      column: zone_label'));
      await commitAll(simpleGit(t.repo), 'zoning: a column that does not exist');
      const record = await t.runtime.engine().deploy({ environment: 'development' });
      expect(['RolledBack', 'Failed']).toContain(record.state);
      const failed = (record.verification?.checks ?? []).filter((c) => !c.passed);
      expect(failed.map((c) => `${c.name} ${c.source}`)).toContain('ogc items page planning::zoning');
      expect(t.server.registry.id).toBe(before);
      expect((await t.get('/ogc/collections/planning::zoning/items?limit=1')).statusCode).toBe(200);
    } finally {
      await t.close();
    }
  });
});
