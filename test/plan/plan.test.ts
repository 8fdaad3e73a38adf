import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateRepo } from '../../src/config/validate.js';
import type { DesiredState } from '../../src/config/index.js';
import { createPlan, decidePlan, governingPolicy, type Plan } from '../../src/plan/index.js';
import { expectFixture } from '../helpers/fixture.js';
import { schemaErrors } from '../helpers/json-schema.js';
import { load, SAMPLE, sampleCopy } from '../helpers/repo.js';

const now = new Date('2026-11-24T18:00:00Z'); // a Tuesday, 10:00 in Los Angeles

/** Replaces machine-specific absolute paths so the fixture is the same everywhere. */
const portable = (plan: Plan, roots: Record<string, string>): unknown =>
  JSON.parse(Object.entries(roots).reduce((text, [root, name]) => text.split(root).join(name), JSON.stringify(plan)));

/** Plans (pure), then decides at `at` over the governing policy: the two steps the engine takes. */
const planned = (input: { desired: DesiredState; baseline: DesiredState | null }, at: Date = now): Plan =>
  decidePlan(createPlan({ ...input, generatedAt: at }), governingPolicy(input).policy, { now: at });

async function stateOf(dir: string, env: string) {
  const { report, states } = validateRepo(await load(dir), [env]);
  expect(report.errors).toBe(0);
  return states.get(env)!;
}

describe('plans', () => {
  it('production from nothing deployed (pinned format honua.plan/v1)', async () => {
    const plan = planned({ desired: await stateOf(SAMPLE, 'production'), baseline: null });
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
    const plan = planned({ desired: await stateOf(dir, 'production'), baseline: await stateOf(SAMPLE, 'production') });
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
    const plan = planned({ desired: await stateOf(dir, 'staging'), baseline: await stateOf(SAMPLE, 'staging') });
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
    const plan = planned({ desired, baseline: await stateOf(SAMPLE, 'production') });
    expect(plan.policySource).toBe('baseline');
    expect(plan.policy.outcome).toBe('needs-approval');
    expect(plan.changes).toMatchObject([
      { kind: 'DeploymentPolicy', key: 'DeploymentPolicy/production', action: 'modify', fields: [{ path: 'spec.autoApprove', before: false, after: true }] },
    ]);
  });

  it('with nothing to deploy, time rules do not block', async () => {
    const state = await stateOf(SAMPLE, 'production');
    const saturday = new Date('2026-11-28T18:00:00Z');
    const plan = planned({ desired: state, baseline: state }, saturday);
    expect(plan.summary).toMatchObject({ added: 0, removed: 0, modified: 0, migrations: 0 });
    expect(plan.policy.outcome).toBe('proceed');
  });

  it('is pure and carries a digest of what it would deploy, not of when, where or what was decided', async () => {
    const desired = await stateOf(SAMPLE, 'production');
    const monday = createPlan({ desired, baseline: null, generatedAt: new Date('2026-11-23T10:00:00Z') });
    const friday = createPlan({ desired, baseline: null, generatedAt: new Date('2026-11-27T23:00:00Z') });
    expect(monday).not.toHaveProperty('policy');
    expect(monday.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(friday.digest).toBe(monday.digest);
    // The same change in another checkout: the same digest.
    const elsewhere = await sampleCopy();
    const copied = createPlan({ desired: await stateOf(elsewhere, 'production'), baseline: null, generatedAt: now });
    expect(copied.to.root).not.toBe(monday.to.root);
    expect(copied.digest).toBe(monday.digest);
    // A different change: a different digest.
    const file = path.join(elsewhere, 'environments/common/layers/parcels.yaml');
    await writeFile(file, (await readFile(file, 'utf8')).replace('title: Parcels', 'title: Parcels, renamed'));
    expect(createPlan({ desired: await stateOf(elsewhere, 'production'), baseline: null, generatedAt: now }).digest).not.toBe(monday.digest);
  });

  it('is decided apart from being made: the same plan, decided again when the window opens', async () => {
    const dir = await sampleCopy();
    const file = path.join(dir, 'environments/common/layers/parcels.yaml');
    await writeFile(file, (await readFile(file, 'utf8')).replace('title: Parcels', 'title: Parcels, renamed'));
    const input = { desired: await stateOf(dir, 'production'), baseline: await stateOf(SAMPLE, 'production') };
    const body = createPlan({ ...input, generatedAt: now });
    const policy = governingPolicy(input).policy;
    const saturday = decidePlan(body, policy, { now: new Date('2026-11-28T18:00:00Z') });
    const tuesday = decidePlan(saturday, policy, { now });
    expect(saturday.digest).toBe(body.digest);
    expect(tuesday.digest).toBe(body.digest);
    expect(saturday.policy.evaluatedAt).not.toBe(tuesday.policy.evaluatedAt);
    expect(saturday.policy.checks.find((c) => c.id === 'deployment-window')?.status).toBe('fail');
    expect(tuesday.policy.checks.find((c) => c.id === 'deployment-window')?.status).not.toBe('fail');
    expect(Object.keys(tuesday).slice(-3)).toEqual(['rollback', 'policy', 'warnings']);
  });
});
