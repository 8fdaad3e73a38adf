/**
 * `npm run bench`: builds synthetic config repositories and times `validate` and `plan` on them.
 *
 *  shared     5,000 layers in environments/common, overlaid by 3 environments (each environment
 *             overrides 100 layers and adds 50 of its own): the usual shape of a city repository.
 *  separate   5,000 layers written out in each of the 3 environment folders (15,000 files).
 *
 * Each is timed in process — `first`: the first load in a fresh process; `repeat`: best of 3
 * more in the same process, where unchanged files hit the parse cache, as in the controller that
 * re-reads every commit — and end to end through the `honua` binary (a new process each time),
 * which is what a user at a terminal or in CI waits for. Target: validate and plan under 1 s on
 * a 2-core machine.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { clearParseCache, loadRepo } from '../src/config/load.js';
import { validateRepo } from '../src/config/validate.js';
import { createPlan, decidePlan } from '../src/plan/index.js';
import { DirectorySource, GitRepository, GitSource } from '../src/source/index.js';
import { benchDatabase, serverUrl } from './database.js';
import { benchDeploy } from './deploy.js';
import { benchServer } from './server.js';

const LAYERS = 5000;
const ENVIRONMENTS = ['development', 'staging', 'production'];
const SERVICES = 50;

const layer = (i: number, service: string, extra = ''): string => `apiVersion: honua.io/v1
kind: Layer
metadata:
  name: layer-${i}
  service: ${service}
  description: Synthetic layer ${i}
spec:
  title: Layer ${i}
  description: A synthetic layer for the benchmark
  geometryType: ${['Point', 'LineString', 'MultiPolygon'][i % 3]}
  idField: id
  displayField: name
  geometryField: geom
  crs: [EPSG:4326, EPSG:3857]
  storage:
    table: layer_${i}
    geometryColumn: geom
    primaryKey: id
    srid: 4326
  fields:
    - {name: id, type: integer, nullable: false}
    - {name: name, type: string, maxLength: 200}
    - {name: category, type: string, maxLength: 50}
    - {name: value, type: double}
    - {name: updated, type: datetime}
  ogc:
    itemLimit: 1000
  validation:
    healthChecks:
      - type: query
        query: "SELECT COUNT(*) FROM layer_${i}"
        expected: "> 0"
${extra}`;

const service = (n: number) => `apiVersion: honua.io/v1
kind: Service
metadata:
  name: service-${n}
spec:
  title: Service ${n}
  dataSource: primary
`;

const dataSource = `apiVersion: honua.io/v1
kind: DataSource
metadata:
  name: primary
spec:
  type: postgis
  url: {fromEnv: DATABASE_URL}
`;

const policy = `apiVersion: honua.io/v1
kind: DeploymentPolicy
environments:
  development: {autoApprove: true}
  staging: {autoApprove: true}
  production:
    autoApprove: false
    allowBreakingChanges: false
    approvalRules: [{resourcesRemoved: true}, {resourcesModified: "> 10"}]
    deploymentWindow: {allowedDays: [Tuesday, Wednesday, Thursday], allowedHours: "09:00-17:00", timezone: America/Los_Angeles}
`;

async function write(dir: string, files: Map<string, string>): Promise<void> {
  const dirs = new Set([...files.keys()].map((f) => path.dirname(path.join(dir, f))));
  for (const d of dirs) await mkdir(d, { recursive: true });
  const entries = [...files];
  for (let i = 0; i < entries.length; i += 256) await Promise.all(entries.slice(i, i + 256).map(([f, t]) => writeFile(path.join(dir, f), t)));
}

function sharedRepo(version: number): Map<string, string> {
  const files = new Map<string, string>();
  files.set('.gitops/deployment-policy.yaml', policy);
  for (let s = 0; s < SERVICES; s++) files.set(`environments/common/services/service-${s}.yaml`, service(s));
  const common = LAYERS - 50;
  for (let i = 0; i < common; i++) {
    // version 2 changes 40 layers and removes 5 (for the plan)
    if (version === 2 && i >= 100 && i < 105) continue;
    const extra = version === 2 && i < 40 ? '  keywords: [changed]\n' : '';
    files.set(`environments/common/layers/layer-${i}.yaml`, layer(i, `service-${i % SERVICES}`, extra));
  }
  for (const env of ENVIRONMENTS) {
    files.set(`environments/${env}/datasources.yaml`, dataSource);
    for (let i = 0; i < 100; i++) {
      files.set(
        `environments/${env}/layers/override-${i}.yaml`,
        `apiVersion: honua.io/v1\nkind: Layer\nmetadata:\n  name: layer-${i * 7}\n  service: service-${(i * 7) % SERVICES}\nspec:\n  ogc:\n    itemLimit: 500\n`,
      );
    }
    for (let i = common; i < LAYERS; i++) files.set(`environments/${env}/layers/layer-${i}.yaml`, layer(i, `service-${i % SERVICES}`));
  }
  return files;
}

function separateRepo(): Map<string, string> {
  const files = new Map<string, string>();
  files.set('.gitops/deployment-policy.yaml', policy);
  for (const env of ENVIRONMENTS) {
    files.set(`environments/${env}/datasources.yaml`, dataSource);
    for (let s = 0; s < SERVICES; s++) files.set(`environments/${env}/services/service-${s}.yaml`, service(s));
    for (let i = 0; i < LAYERS; i++) files.set(`environments/${env}/layers/layer-${i}.yaml`, layer(i, `service-${i % SERVICES}`));
  }
  return files;
}

const ms = (t: number): string => `${t.toFixed(0)} ms`;
async function time<T>(fn: () => Promise<T> | T): Promise<[T, number]> {
  const start = performance.now();
  const value = await fn();
  return [value, performance.now() - start];
}

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, stdio: 'pipe' }).toString().trim();
const honua = path.resolve(import.meta.dirname, '../src/cli/honua.js');
const cli = (...args: string[]): number => {
  const start = performance.now();
  try {
    execFileSync(process.execPath, [honua, ...args], { stdio: 'pipe' });
  } catch (e) {
    const status = (e as { status?: number }).status;
    if (status !== 3 && status !== 0) throw e;
  }
  return performance.now() - start;
};

async function main(): Promise<void> {
  const root = await mkdtemp(path.join(tmpdir(), 'honua-bench-'));
  const rows: string[][] = [];
  try {
    console.log(`honua bench: ${LAYERS} layers, ${ENVIRONMENTS.length} environments, ${SERVICES} services; ${cpus().length} CPU(s), Node ${process.version}`);
    for (const shape of ['shared', 'separate'] as const) {
      const dir = path.join(root, shape);
      const v1 = shape === 'shared' ? sharedRepo(1) : separateRepo();
      process.stdout.write(`\n[${shape}] writing ${v1.size} files… `);
      await write(dir, v1);
      git(dir, 'init', '-q', '--initial-branch=main');
      git(dir, 'add', '.');
      git(dir, '-c', 'user.name=bench', '-c', 'user.email=bench@example.com', 'commit', '-qm', 'v1');
      if (shape === 'shared') {
        await rm(path.join(dir, 'environments'), { recursive: true });
        await write(dir, sharedRepo(2));
        git(dir, 'add', '-A');
        git(dir, '-c', 'user.name=bench', '-c', 'user.email=bench@example.com', 'commit', '-qm', 'v2');
      }
      // A clone (what the controller and CI read) has its objects packed; a fresh commit does not.
      git(dir, 'gc', '-q');
      console.log('done');

      // In process: cold (first run in this process), then warm (best of 3).
      clearParseCache();
      for (const run of ['first', 'repeat'] as const) {
        const tries = run === 'first' ? 1 : 3;
        let best = { load: Infinity, validate: Infinity, plan: Infinity, gitLoad: Infinity };
        let summary = '';
        for (let t = 0; t < tries; t++) {
          const [repo, load] = await time(() => loadRepo(new DirectorySource(dir)));
          const [result, validate] = await time(() => validateRepo(repo));
          const repoGit = new GitRepository(dir);
          const baselineRef = shape === 'shared' ? 'HEAD~1' : 'HEAD';
          const [baselineRepo, gitLoad] = await time(async () => loadRepo(new GitSource(repoGit, baselineRef, await repoGit.resolveCommit(baselineRef))));
          const [plan, planTime] = await time(() => {
            const desired = result.states.get('production');
            const baseline = validateRepo(baselineRepo, ['production']).states.get('production');
            if (!desired || !baseline) throw new Error('no production state');
            const at = new Date('2026-11-24T18:00:00Z');
            return decidePlan(createPlan({ desired, baseline, generatedAt: at }), baseline.policy, { now: at });
          });
          best = {
            load: Math.min(best.load, load),
            validate: Math.min(best.validate, validate),
            plan: Math.min(best.plan, planTime),
            gitLoad: Math.min(best.gitLoad, gitLoad),
          };
          summary = `${result.report.environments.map((e) => `${e.name}: ${e.counts.layers} layers`).join(', ')}; errors ${result.report.errors}; plan: ${plan.summary.modified} modified, ${plan.summary.removed} removed, risk ${plan.risk.level}`;
        }
        rows.push([shape, run, ms(best.load), ms(best.validate), ms(best.load + best.validate), ms(best.gitLoad), ms(best.plan)]);
        if (run === 'repeat') console.log(`  ${summary}`);
      }
      const validateCli = cli('validate', '--repo', dir);
      const planCli = cli('plan', '--repo', dir, '-e', 'production', '--ref', 'HEAD', '--against', shape === 'shared' ? 'HEAD~1' : 'HEAD', '--json');
      rows.push([shape, 'honua CLI', '', '', ms(validateCli), '', ms(planCli)]);
    }
    const header = ['repository', 'run', 'load dir', 'validate', 'load+validate (3 envs)', 'load commit', 'plan (production)'];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
    const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
    console.log(`\n${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${rows.map(line).join('\n')}`);
    console.log('\nCLI times include starting Node (~150 ms); "plan" on the CLI reads both commits from git, validates the environment at both and plans.');
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

await main();
await benchDatabase();
const url = serverUrl();
await benchDeploy(url);
await benchServer(url);
