import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateRepo } from '../../src/config/validate.js';
import { createPlan, type Plan } from '../../src/plan/plan.js';
import { expectFixture } from '../helpers/fixture.js';
import { schemaErrors } from '../helpers/json-schema.js';
import { load, SAMPLE, sampleCopy } from '../helpers/repo.js';

const now = new Date('2026-11-24T18:00:00Z'); // a Tuesday, 10:00 in Los Angeles

/** Replaces machine-specific absolute paths so the fixture is the same everywhere. */
const portable = (plan: Plan, roots: Record<string, string>): unknown =>
  JSON.parse(Object.entries(roots).reduce((text, [root, name]) => text.split(root).join(name), JSON.stringify(plan)));

async function stateOf(dir: string, env: string) {
  const { report, states } = validateRepo(await load(dir), [env]);
  expect(report.errors).toBe(0);
  return states.get(env)!;
}

describe('plans', () => {
  it('production from nothing deployed (pinned format honua.plan/v1)', async () => {
    const plan = createPlan({ desired: await stateOf(SAMPLE, 'production'), baseline: null, context: { now } });
    expect(schemaErrors('plan', plan)).toEqual([]);
    expect(plan.summary).toEqual({ added: 9, removed: 0, modified: 0, unchanged: 0, migrations: 3, breaking: 0 });
    expect(plan.migrations.pending.map((m) => m.name)).toEqual(['001_initial_schema', '002_add_parcels_layer', '003_optimize_bike_lanes']);
    expect(plan.risk.level).toBe('MEDIUM');
    expect(plan.policy.outcome).toBe('needs-approval');
    expectFixture('plan/production-initial.plan.json', portable(plan, { [SAMPLE]: '<sample>' }));
  });

  it('production against a deployed baseline: modifications, a removal, breaking changes, a new migration', async () => {
    const dir = await sampleCopy();
    const parcels = path.join(dir, 'environments/common/layers/parcels.yaml');
    await writeFile(parcels, (await readFile(parcels, 'utf8')).replace(/    - name: year_built\n      type: integer\n      alias: Year Built\n/, ''));
    await rm(path.join(dir, 'environments/common/layers/transit-stops.yaml'));
    await writeFile(
      path.join(dir, 'migrations/004_parcels_year_built.yaml'),
      'apiVersion: honua.io/v1\nkind: Migration\nmetadata:\n  id: "004"\n  description: Drop parcels.year_built\nspec:\n  dependencies: ["003"]\n  up:\n    - name: Drop column\n      type: sql\n      content: ALTER TABLE parcels DROP COLUMN year_built;\n',
    );
    const plan = createPlan({ desired: await stateOf(dir, 'production'), baseline: await stateOf(SAMPLE, 'production'), context: { now } });
    expect(schemaErrors('plan', plan)).toEqual([]);
    expect(plan.summary).toEqual({ added: 0, removed: 1, modified: 1, unchanged: 7, migrations: 1, breaking: 2 });
    expect(plan.breakingChanges.map((b) => b.code).sort()).toEqual(['field-removed', 'layer-removed']);
    expect(plan.risk.level).toBe('CRITICAL');
    expect(plan.policy.outcome).toBe('denied');
    expect(plan.migrations.pending.map((m) => m.name)).toEqual(['004_parcels_year_built']);
    expect(plan.migrations.applied).toEqual(['001_initial_schema', '002_add_parcels_layer', '003_optimize_bike_lanes']);
    expectFixture('plan/production-breaking.plan.json', portable(plan, { [dir]: '<desired>', [SAMPLE]: '<baseline>' }));
  });

  it('warns when an applied migration was edited', async () => {
    const dir = await sampleCopy();
    const m = path.join(dir, 'migrations/003_optimize_bike_lanes.yaml');
    await writeFile(m, (await readFile(m, 'utf8')).replace('USING GIST (geom);', 'USING GIST (geom) WITH (fillfactor = 90);'));
    const plan = createPlan({ desired: await stateOf(dir, 'staging'), baseline: await stateOf(SAMPLE, 'staging'), context: { now } });
    expect(plan.warnings).toEqual([
      'migration 003_optimize_bike_lanes was changed after it was applied; applied migrations must not change (add a new migration instead)',
    ]);
    expect(plan.summary.migrations).toBe(0);
  });
});

describe('plans and policy changes', () => {
  it('evaluates the deployed policy, so a commit that relaxes the policy cannot approve itself', async () => {
    const dir = await sampleCopy();
    const policy = path.join(dir, 'policies/production-policy.yaml');
    await writeFile(policy, (await readFile(policy, 'utf8')).replace('required: true', 'required: false'));
    const gitops = path.join(dir, '.gitops/deployment-policy.yaml');
    await writeFile(gitops, (await readFile(gitops, 'utf8')).replace('autoApprove: false      # Manual approval required', 'autoApprove: true'));
    const desired = await stateOf(dir, 'production');
    expect(desired.policy.autoApprove).toBe(true);
    const plan = createPlan({ desired, baseline: await stateOf(SAMPLE, 'production'), context: { now } });
    expect(plan.policySource).toBe('baseline');
    expect(plan.policy.outcome).toBe('needs-approval');
    expect(plan.changes).toMatchObject([{ kind: 'DeploymentPolicy', key: 'DeploymentPolicy/production', action: 'modify', fields: [{ path: 'spec.autoApprove', before: false, after: true }] }]);
  });

  it('with nothing to deploy, time rules do not block', async () => {
    const state = await stateOf(SAMPLE, 'production');
    const saturday = new Date('2026-11-28T18:00:00Z');
    const plan = createPlan({ desired: state, baseline: state, context: { now: saturday } });
    expect(plan.summary).toMatchObject({ added: 0, removed: 0, modified: 0, migrations: 0 });
    expect(plan.policy.outcome).toBe('proceed');
  });
});
