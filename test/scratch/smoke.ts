import { PostgresDatabase } from '../../src/db/postgres.js';
import { sampleCitySql } from '../../src/db/embedded.js';
import { consultant, recordingConfirmer } from '../helpers/consultant.js';
import { cp, mkdtemp } from 'node:fs/promises';
import { execSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';

const admin = new PostgresDatabase({ connectionString: 'postgres://postgres@127.0.0.1:55432/postgres', max: 1 });
await admin.exec('DROP DATABASE IF EXISTS smoke WITH (FORCE)'); await admin.exec('CREATE DATABASE smoke'); await admin.close();
const db = new PostgresDatabase({ connectionString: 'postgres://postgres@127.0.0.1:55432/smoke', max: 4 });
await db.exec('CREATE EXTENSION postgis'); await db.exec(await sampleCitySql());
const dir = await mkdtemp(path.join(os.tmpdir(), 'smoke-'));
await cp('samples/honua-config', dir, { recursive: true });
execSync('git init -q -b main && git add -A && git -c user.name=t -c user.email=t@t commit -qm init', { cwd: dir });
const { runner, audit } = consultant({ repoDir: dir, db, confirmer: recordingConfirmer(true) });
for (const [name, args] of [
  ['list_environments', {}], ['list_tables', {}], ['describe_table', { table: 'street_trees' }], ['validate_config', {}],
  ['plan_deployment', { environment: 'production' }], ['lint_migration', { migration: '003' }], ['read_config_file', { path: 'environments/common/services/planning.yaml' }],
  ['generate_layer', { table: 'street_trees', service: 'planning' }], ['generate_migration', { kind: 'spatial-index', table: 'bike_lanes' }],
  ['generate_migration', { kind: 'add-column', table: 'parks', column: 'inspected_on', type: 'date' }],
  ['generate_migration', { kind: 'add-table', table: 'benches', geometryType: 'Point', columns: [{ name: 'material', type: 'text' }], service: 'transportation' }],
  ['write_proposal', { branch: 'feature/add-street-trees', message: 'Add street trees', draftIds: ['layer-street-trees-1'] }],
  ['approve_deployment', { id: 'prod-1' }],
] as const) {
  const r = await runner.call(name, args);
  console.log('==', name, r.status, r.error?.message ?? '', JSON.stringify([r.structured?.lint, r.structured?.pushedTo, r.structured?.files?.map?.((f: any) => f.status ?? f.path)]).slice(0, 800), r.structured?.notes ?? '');
}
console.log(audit.entries.length);
await db.close();
for (const d of runner.session.drafts.values()) console.log('###', d.id, '\n' + d.files[0]!.content);
