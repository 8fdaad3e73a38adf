import { describe, expect, it } from 'vitest';
import type { Intent, IntentKind } from '../../src/ai/offline/intent.js';
import { matchTable, type TableCandidate, type TableMatch } from '../../src/ai/offline/match-table.js';
import { INTENT_RULES, parseIntent } from '../../src/ai/offline/parse-intent.js';
import { timePhrase } from '../../src/ai/offline/operation-phrases.js';
import { requestText } from '../../src/ai/offline/request-text.js';

/** The sample city's tables (samples/data/city.sql), as the inspector lists them. */
const CITY: TableCandidate[] = [
  'public.bike_lanes',
  'public.zoning',
  'public.transit_stops',
  'public.parcels',
  'public.parks',
  'public.street_trees',
  'public.neighborhoods',
  'public.air_sensors',
  'public.land_use_codes',
  'transit.routes',
  'public.protected_bike_lanes', // a view
].map((q) => {
  const [schema, name] = q.split('.');
  return { schema: schema!, name: name! };
});

/** What a row expects the intent's table phrase to resolve to: one table, several, none (with suggestions), or no table named at all (null). */
type Resolution = string | null | { ambiguous: string[] } | { none: string[] };

const qualified = (t: { schema: string; name: string }): string => `${t.schema}.${t.name}`;

function resolution(m: TableMatch): Resolution {
  if (m.kind === 'match') return qualified(m.table);
  if (m.kind === 'ambiguous') return { ambiguous: m.candidates.map(qualified) };
  return { none: m.suggestions.map(qualified) };
}

function resolve(intent: Intent): Resolution {
  const phrase = 'table' in intent ? intent.table : undefined;
  return phrase === undefined ? null : resolution(matchTable(phrase, CITY));
}

interface Row {
  text: string;
  kind: IntentKind;
  table: Resolution;
  /** Other fields the intent must have (service, environments, environment, from/to, column, the phrase itself). */
  with?: Record<string, unknown>;
}

const ROWS: Row[] = [
  // add-layer: services named without the word "service", and misspelt kind words
  { text: 'publish the parks tabel', kind: 'add-layer', table: 'public.parks', with: { table: 'parks' } },
  { text: 'add a layer for zoning in planning', kind: 'add-layer', table: 'public.zoning', with: { table: 'zoning', serviceHint: 'planning' } },
  { text: 'add the street trees layr under transportation', kind: 'add-layer', table: 'public.street_trees', with: { serviceHint: 'transportation' } },
  { text: 'publish neighborhoods into the planning dept', kind: 'add-layer', table: 'public.neighborhoods', with: { serviceHint: 'planning-dept' } },
  { text: 'add a layer for parks in production', kind: 'add-layer', table: 'public.parks', with: { environments: ['production'] } },
  // add-layer: the brief's phrasings
  { text: 'add a layer for the bike lanes table', kind: 'add-layer', table: 'public.bike_lanes', with: { table: 'bike lanes' } },
  { text: 'publish public.parks as a layer', kind: 'add-layer', table: 'public.parks', with: { table: 'public.parks' } },
  {
    text: 'We need to add bike lanes data from our PostGIS database. The table is public.bike_lanes and has a geometry column.',
    kind: 'add-layer',
    table: 'public.bike_lanes',
    with: { table: 'public.bike_lanes' },
  },
  { text: 'We need to add bike lanes data from our PostGIS database.', kind: 'add-layer', table: 'public.bike_lanes', with: { table: 'bike lanes' } },
  { text: 'create a layer from street_trees', kind: 'add-layer', table: 'public.street_trees' },
  { text: 'expose the neighborhoods table through OGC API', kind: 'add-layer', table: 'public.neighborhoods', with: { table: 'neighborhoods' } },
  {
    text: 'make a new layer out of transit.routes in the transportation service',
    kind: 'add-layer',
    table: 'transit.routes',
    with: { service: 'transportation' },
  },
  {
    text: 'add parks to the planning service for dev and staging',
    kind: 'add-layer',
    table: 'public.parks',
    with: { table: 'parks', service: 'planning', environments: ['development', 'staging'] },
  },
  // add-layer: other wordings, quotes, politeness, environment lists, schema clauses
  { text: 'Please publish the "street trees" table, thanks!', kind: 'add-layer', table: 'public.street_trees' },
  {
    text: 'Can you add `zoning` to the planning service in staging and prod?',
    kind: 'add-layer',
    table: 'public.zoning',
    with: { service: 'planning', environments: ['staging', 'production'] },
  },
  { text: "I'd like a new layer for the air sensors", kind: 'add-layer', table: 'public.air_sensors' },
  { text: 'hey honua, could you publish the neighbourhoods?', kind: 'add-layer', table: 'public.neighborhoods' },
  { text: 'set up a layer from "public"."air_sensors" for staging only', kind: 'add-layer', table: 'public.air_sensors', with: { environments: ['staging'] } },
  { text: 'we should expose transit stops via WFS', kind: 'add-layer', table: 'public.transit_stops' },
  { text: 'the land use table should be published', kind: 'add-layer', table: 'public.land_use_codes' },
  { text: 'could we put the parks on the map?', kind: 'add-layer', table: 'public.parks' },
  { text: 'new layer: parcels', kind: 'add-layer', table: 'public.parcels' },
  { text: 'publish routes from the transit schema', kind: 'add-layer', table: 'transit.routes', with: { table: 'transit.routes' } },
  {
    text: 'add the land use codes to the planning service (dev, staging)',
    kind: 'add-layer',
    table: 'public.land_use_codes',
    with: { service: 'planning', environments: ['development', 'staging'] },
  },
  {
    text: "let's get transit.routes published in the transportation service for staging and production",
    kind: 'add-layer',
    table: 'transit.routes',
    with: { service: 'transportation', environments: ['staging', 'production'] },
  },
  { text: 'Take the street trees table and publish it in the parks service', kind: 'add-layer', table: 'public.street_trees', with: { service: 'parks' } },
  { text: 'add a layer', kind: 'add-layer', table: null },
  // add-layer: typos, plural/singular, ambiguity, tables that are not there
  { text: 'add the bike lnaes table', kind: 'add-layer', table: 'public.bike_lanes', with: { table: 'bike lnaes' } },
  { text: 'publish the street tree layer', kind: 'add-layer', table: 'public.street_trees' },
  { text: 'add a layer for the parcles', kind: 'add-layer', table: 'public.parcels' },
  { text: 'add lanes as a layer', kind: 'add-layer', table: { ambiguous: ['public.bike_lanes', 'public.protected_bike_lanes'] } },
  { text: 'publish the bike data', kind: 'add-layer', table: { ambiguous: ['public.bike_lanes', 'public.protected_bike_lanes'] } },
  { text: 'add a layer for bus stops', kind: 'add-layer', table: { none: ['public.transit_stops'] } },
  { text: 'publish the zones table', kind: 'add-layer', table: { none: ['public.zoning'] } },
  { text: 'publish the sidewalks table', kind: 'add-layer', table: { none: [] } },

  // add-spatial-index
  { text: 'add a spatial index to bike_lanes', kind: 'add-spatial-index', table: 'public.bike_lanes' },
  { text: 'index the geometry of parcels', kind: 'add-spatial-index', table: 'public.parcels' },
  { text: 'bike lanes queries are slow, create a GiST index', kind: 'add-spatial-index', table: 'public.bike_lanes', with: { table: 'bike lanes' } },
  {
    text: 'create a gist index on street_trees.geom',
    kind: 'add-spatial-index',
    table: 'public.street_trees',
    with: { table: 'street_trees', column: 'geom' },
  },
  {
    text: 'add a spatial index to public.air_sensors using the location column',
    kind: 'add-spatial-index',
    table: 'public.air_sensors',
    with: { column: 'location' },
  },
  { text: 'create index on parcels(geom)', kind: 'add-spatial-index', table: 'public.parcels', with: { column: 'geom' } },
  { text: 'why are the street tree queries so slow?', kind: 'add-spatial-index', table: 'public.street_trees' },
  { text: 'the parcels layer is slow', kind: 'add-spatial-index', table: 'public.parcels' },
  { text: 'we need a GiST index for the bike lanes', kind: 'add-spatial-index', table: 'public.bike_lanes' },
  { text: 'add a spatial index to the lanes', kind: 'add-spatial-index', table: { ambiguous: ['public.bike_lanes', 'public.protected_bike_lanes'] } },

  // describe-database
  { text: "what's in the database?", kind: 'describe-database', table: null },
  { text: 'list the tables', kind: 'describe-database', table: null },
  { text: 'which tables have geometry', kind: 'describe-database', table: null },
  { text: 'show me the schema', kind: 'describe-database', table: null },
  { text: 'what data do we have', kind: 'describe-database', table: null },
  { text: 'which tables are missing a spatial index?', kind: 'describe-database', table: null },
  { text: 'what layers could I publish?', kind: 'describe-database', table: null },
  { text: "what's in the transit schema", kind: 'describe-database', table: null, with: { schema: 'transit' } },

  // describe-table
  { text: 'describe the parcels table', kind: 'describe-table', table: 'public.parcels' },
  { text: 'what columns does street_trees have', kind: 'describe-table', table: 'public.street_trees' },
  { text: 'tell me about transit.routes', kind: 'describe-table', table: 'transit.routes' },
  { text: 'what does the zoning table look like?', kind: 'describe-table', table: 'public.zoning' },
  { text: 'does parcels have a spatial index?', kind: 'describe-table', table: 'public.parcels' },
  { text: 'What fields are in "land_use_codes"?', kind: 'describe-table', table: 'public.land_use_codes' },
  { text: 'give me details on the protected bike lanes view', kind: 'describe-table', table: 'public.protected_bike_lanes' },
  { text: 'tell me about routes', kind: 'describe-table', table: 'transit.routes' },
  { text: 'describe the census tracts', kind: 'describe-table', table: { none: [] } },

  // validate
  { text: 'validate the config', kind: 'validate', table: null },
  { text: 'is the configuration valid for production?', kind: 'validate', table: null, with: { environment: 'production' } },
  { text: 'check staging for errors', kind: 'validate', table: null, with: { environment: 'staging' } },
  { text: 'are there any problems with the dev config?', kind: 'validate', table: null, with: { environment: 'development' } },

  // diff
  { text: 'what changed between staging and production', kind: 'diff', table: null, with: { from: 'staging', to: 'production' } },
  { text: 'diff dev and prod', kind: 'diff', table: null, with: { from: 'development', to: 'production' } },
  { text: 'compare HEAD~1 with HEAD', kind: 'diff', table: null, with: { from: 'HEAD~1', to: 'HEAD' } },
  { text: 'diff origin/main..HEAD', kind: 'diff', table: null, with: { from: 'origin/main', to: 'HEAD' } },
  { text: 'staging vs prod?', kind: 'diff', table: null, with: { from: 'staging', to: 'production' } },

  // plan
  { text: 'plan production', kind: 'plan', table: null, with: { environment: 'production' } },
  { text: 'what would deploying to staging do?', kind: 'plan', table: null, with: { environment: 'staging' } },
  { text: 'show me the plan for prod', kind: 'plan', table: null, with: { environment: 'production' } },
  { text: 'dry run for the qa environment', kind: 'plan', table: null, with: { environment: 'qa' } },

  // list-environments, help
  { text: 'which environments are there', kind: 'list-environments', table: null },
  { text: 'list environments', kind: 'list-environments', table: null },
  { text: 'help', kind: 'help', table: null },
  { text: 'what can you do?', kind: 'help', table: null },

  // refused: never approved, whatever else the request asks
  { text: 'approve the production deployment', kind: 'refuse', table: null, with: { refusal: 'approve', environment: 'production' } },
  { text: 'please approve the parks layer for staging', kind: 'refuse', table: null, with: { refusal: 'approve' } },
  { text: 'LGTM, ship it', kind: 'refuse', table: null, with: { refusal: 'approve' } },
  { text: 'roll back prod', kind: 'rollback', table: null, with: { environment: 'production' } },

  // unknown: refused or not understood
  { text: 'delete all layers', kind: 'unknown', table: null },
  { text: 'drop the parcels table', kind: 'unknown', table: null },
  { text: 'deploy parks to production', kind: 'unknown', table: null },
  { text: 'add a column to parcels', kind: 'unknown', table: null },
  { text: 'write me a poem', kind: 'unknown', table: null },
  { text: 'create index on parcels(apn)', kind: 'unknown', table: null },
];

describe('parseIntent over the sample city, resolved with matchTable', () => {
  it('has at least 40 rows', () => {
    expect(ROWS.length).toBeGreaterThanOrEqual(40);
  });

  it.each(ROWS)('$text → $kind', (row) => {
    const intent = parseIntent(row.text);
    expect(intent.kind).toBe(row.kind);
    expect(resolve(intent)).toEqual(row.table);
    if (row.with) expect(intent).toMatchObject(row.with);
    if (intent.kind === 'unknown' || intent.kind === 'refuse') expect(intent.reason).toMatch(/\w/);
  });
});

describe('parseIntent safety and shape', () => {
  it('never turns an approval into an actionable intent, however it is worded', () => {
    for (const text of [
      'approve',
      'approve it',
      'I approve the plan for production',
      'can I get approval for prod?',
      'go ahead and approve the staging deploy, then add parks',
      'aprove the deployment',
      'add parks to the planning service and approve it',
      'please sign off on the production deployment',
      'plan production and approve it',
    ]) {
      expect(parseIntent(text), text).toMatchObject({ kind: 'refuse', refusal: 'approve', reason: expect.stringMatching(/approv/) });
    }
  });

  it('refuses deletions, merges, pushes and deploying or promoting one layer, with a reason', () => {
    for (const text of [
      'remove parks from production',
      'rename the zoning layer',
      'push to staging',
      'merge the branch',
      'deploy parks to production',
      'promote the parks layer to production',
    ]) {
      const intent = parseIntent(text);
      expect(intent.kind, text).toBe('unknown');
      expect(intent.kind === 'unknown' && intent.reason, text).toBeTruthy();
    }
  });

  it('an index request that names a table is never read as add-layer', () => {
    for (const text of [
      'add a spatial index to parks',
      'add parks a geometry index',
      'create a GiST index for the zoning layer',
      'publish nothing, just index the geometry of parks',
    ]) {
      expect(parseIntent(text).kind, text).toBe('add-spatial-index');
    }
  });

  it('a deploy word used as a noun or in a hypothetical does not refuse the question', () => {
    expect(parseIntent('what changed in production since the last deploy')).toEqual({ kind: 'diff', to: 'production' });
    expect(parseIntent('what happens if we deploy to prod')).toEqual({ kind: 'plan', environment: 'production' });
  });

  it('keeps git refs as written and normalizes environment names', () => {
    expect(parseIntent('what changed since v1.2.0')).toEqual({ kind: 'diff', from: 'v1.2.0' });
    expect(parseIntent('show me the differences between main and feature/parks')).toEqual({ kind: 'diff', from: 'main', to: 'feature/parks' });
    expect(parseIntent('compare Stage with PRD')).toEqual({ kind: 'diff', from: 'staging', to: 'production' });
  });

  it('an empty or blank request is unknown', () => {
    expect(parseIntent('')).toMatchObject({ kind: 'unknown' });
    expect(parseIntent('   \n ')).toMatchObject({ kind: 'unknown' });
  });

  it('is deterministic and leaves optional fields out rather than undefined', () => {
    const text = 'add parks to the planning service for dev and staging';
    expect(parseIntent(text)).toEqual(parseIntent(text));
    expect(Object.keys(parseIntent('add a layer'))).toEqual(['kind']);
  });

  it('tries the refusals first', () => {
    expect(INTENT_RULES.slice(0, 4).map((r) => r.name)).toEqual(['refuse-bypass', 'refuse-approve', 'refuse-destructive', 'refuse-git']);
  });
});

const ID = 'production-20261208100000-ab12cd3';

/** Requests about proposals with pull requests, reviews, operations and what runs: each phrasing → the exact intent. */
const OPERATIONS: Array<[string, Intent]> = [
  // a proposal with a pull request
  ['propose a layer for the parks table', { kind: 'add-layer', table: 'parks', pullRequest: true }],
  ['open a pull request adding bike lanes', { kind: 'add-layer', table: 'bike lanes', pullRequest: true }],
  ['add a layer for street trees and open a PR', { kind: 'add-layer', table: 'street trees', pullRequest: true }],
  ['please publish zoning via a pull request', { kind: 'add-layer', table: 'zoning', pullRequest: true }],
  ['create a PR that adds a layer for air sensors', { kind: 'add-layer', table: 'air sensors', pullRequest: true }],
  [
    'could you propose adding the street trees table as a layer in the planning service?',
    { kind: 'add-layer', table: 'street trees', service: 'planning', pullRequest: true },
  ],
  ['add a spatial index to parcels and raise a pull request', { kind: 'add-spatial-index', table: 'parcels', pullRequest: true }],
  ['open a pull request for feature/add-parks-layer', { kind: 'open-pull-request', branch: 'feature/add-parks-layer' }],
  ['open a PR', { kind: 'open-pull-request' }],
  // review
  [`review deployment ${ID}`, { kind: 'review', target: ID }],
  ['review the branch honua/add-x', { kind: 'review', target: 'honua/add-x' }],
  ['review branch feature/add-parks-layer for staging', { kind: 'review', target: 'feature/add-parks-layer', environment: 'staging' }],
  ['review PR #12', { kind: 'review', target: '#12' }],
  ['review pull request 12', { kind: 'review', target: '#12' }],
  ['is PR #12 safe to merge?', { kind: 'review', target: '#12' }],
  ['what does PR #7 change?', { kind: 'review', target: '#7' }],
  ['review commit abc1234', { kind: 'review', target: 'abc1234' }],
  ['review v1.4.0 against production', { kind: 'review', target: 'v1.4.0', environment: 'production' }],
  [`is it safe to deploy ${ID}?`, { kind: 'review', target: ID }],
  ['review the last production deployment', { kind: 'review', latestDeployment: true, environment: 'production' }],
  ['review the plan for production', { kind: 'review', environment: 'production' }],
  // promote
  ['promote staging to production', { kind: 'promote', from: 'staging', to: 'production' }],
  ['promote staging → prod next tuesday at 10:00', { kind: 'promote', from: 'staging', to: 'production', at: 'next-tuesday 10:00' }],
  [
    'promote staging -> production next tuesday 10:00-12:00 or the next allowed slot',
    { kind: 'promote', from: 'staging', to: 'production', at: 'next-tuesday 10:00-12:00', nextWindow: true },
  ],
  ['promote to production from staging', { kind: 'promote', from: 'staging', to: 'production' }],
  ['promote staging to production in the next window', { kind: 'promote', from: 'staging', to: 'production', nextWindow: true }],
  ['promote the staging environment to production', { kind: 'promote', from: 'staging', to: 'production' }],
  ['promote to production', { kind: 'promote', to: 'production' }],
  ['deploy staging to production', { kind: 'promote', from: 'staging', to: 'production' }],
  // schedule: a time makes a deployment a scheduled one
  [
    'schedule migration 003 for production next tuesday 10:00-12:00',
    { kind: 'schedule', environment: 'production', migration: '003', at: 'next-tuesday 10:00-12:00' },
  ],
  ['deploy to staging tomorrow 09:30', { kind: 'schedule', environment: 'staging', at: 'tomorrow 09:30' }],
  ['schedule a deployment to production on 2026-12-08 at 10:00', { kind: 'schedule', environment: 'production', at: '2026-12-08 10:00' }],
  ['deploy to production at 10am on friday', { kind: 'schedule', environment: 'production', at: 'friday 10am' }],
  [
    'schedule feature/add-parks-layer for staging next monday 8:30',
    { kind: 'schedule', environment: 'staging', ref: 'feature/add-parks-layer', at: 'next-monday 8:30' },
  ],
  ['schedule a deployment to production', { kind: 'schedule', environment: 'production' }],
  ['deploy to production next week', { kind: 'schedule', environment: 'production' }],
  // deploy (no time)
  ['deploy to staging', { kind: 'deploy', environment: 'staging' }],
  ['deploy migration 003 to production', { kind: 'deploy', environment: 'production', migration: '003' }],
  ['apply migration 003_optimize_bike_lanes to production', { kind: 'deploy', environment: 'production', migration: '003_optimize_bike_lanes' }],
  ['deploy feature/add-parks-layer to staging', { kind: 'deploy', environment: 'staging', ref: 'feature/add-parks-layer' }],
  ['release v1.4.0 to production', { kind: 'deploy', environment: 'production', ref: 'v1.4.0' }],
  ['deploy main to staging', { kind: 'deploy', environment: 'staging', ref: 'main' }],
  ['ship it to prod', { kind: 'deploy', environment: 'production' }],
  ['deploy to staging right now', { kind: 'deploy', environment: 'staging' }],
  ['schedule the production deployment for the next window', { kind: 'deploy', environment: 'production' }],
  ['deploy it', { kind: 'deploy' }],
  // rollback
  ['roll back production', { kind: 'rollback', environment: 'production' }],
  [`rollback staging to ${ID}`, { kind: 'rollback', environment: 'staging', toDeployment: ID }],
  ['revert prod to commit abc1234', { kind: 'rollback', environment: 'production', toCommit: 'abc1234' }],
  [`roll back to ${ID}`, { kind: 'rollback', environment: 'production', toDeployment: ID }],
  ['can you roll back staging to the previous deployment', { kind: 'rollback', environment: 'staging' }],
  ['undo the last deployment in prod', { kind: 'rollback', environment: 'production' }],
  ['revert the last deployment', { kind: 'rollback' }],
  // restore
  ['restore production from the latest backup', { kind: 'restore', environment: 'production' }],
  ["restore production's configuration only", { kind: 'restore', environment: 'production', includeDatabase: false }],
  ['restore staging from backup staging-20261201000000', { kind: 'restore', environment: 'staging', backupId: 'staging-20261201000000' }],
  // status
  ["what's running in production?", { kind: 'status', environment: 'production' }],
  ['status of staging', { kind: 'status', environment: 'staging' }],
  ['is production in sync', { kind: 'status', environment: 'production' }],
  ['which commit is live on staging?', { kind: 'status', environment: 'staging' }],
  ['what version is deployed in prod?', { kind: 'status', environment: 'production' }],
  ['honua status', { kind: 'status' }],
  ['how is production doing?', { kind: 'status', environment: 'production' }],
  // one deployment
  [`show deployment ${ID}`, { kind: 'deployment', id: ID }],
  [`what is the state of ${ID}?`, { kind: 'deployment', id: ID }],
  [`is ${ID} approved yet?`, { kind: 'deployment', id: ID }],
  // history
  ["show production's deployments", { kind: 'history', environment: 'production' }],
  ['deployment history for staging', { kind: 'history', environment: 'staging' }],
  ['last 5 deployments in prod', { kind: 'history', environment: 'production', limit: 5 }],
  ['list the failed deployments in staging', { kind: 'history', environment: 'staging', outcome: 'failed' }],
  ['which deployments are waiting for approval?', { kind: 'history', outcome: 'waiting' }],
  ['recent deploys to staging', { kind: 'history', environment: 'staging' }],
  ['tell me about the last deployment to staging', { kind: 'history', environment: 'staging', limit: 1 }],
  // what failed
  ['what failed?', { kind: 'incident' }],
  ['why did the last production deployment fail?', { kind: 'incident', environment: 'production' }],
  ['show the incident', { kind: 'incident' }],
  ['what went wrong in production?', { kind: 'incident', environment: 'production' }],
  ['why was production rolled back?', { kind: 'incident', environment: 'production' }],
  [`show the incident report for ${ID}`, { kind: 'incident', environment: 'production', deployment: ID }],
  // health, backups
  ['is production healthy?', { kind: 'health', environment: 'production' }],
  ['is the parks layer healthy in production?', { kind: 'health', environment: 'production', layer: 'parks' }],
  ['is staging up?', { kind: 'health', environment: 'staging' }],
  ['list backups of production', { kind: 'backups', environment: 'production' }],
  ['what backups do we have for production?', { kind: 'backups', environment: 'production' }],
  ['when was the last backup of production taken?', { kind: 'backups', environment: 'production' }],
];

/** Requests that mention an operation's word without asking for it: the intent must not be that operation. */
const NOT_OPERATIONS: Array<[string, IntentKind]> = [
  ['describe the reviews table', 'review'],
  ['add a layer for the review_sites table', 'review'],
  ['review the reviews table', 'review'],
  ['what is the rollback policy for production?', 'rollback'],
  ['how does rollback work?', 'rollback'],
  ['roll back production if the checks fail', 'rollback'],
  ['revert commit abc1234', 'rollback'],
  ['what would deploying to staging do?', 'deploy'],
  ['what happens if we promote staging to production', 'promote'],
  ['publish the deployment history table', 'history'],
  ['publish the air force bases table', 'refuse'],
  ['restore the parks table', 'restore'],
  ['which deployments are waiting for approval?', 'refuse'],
  ['what changed in production since the last deploy', 'history'],
  ['is production ok?', 'health'],
  ['roll back the parks layer', 'rollback'],
  ['add parks to staging and deploy it', 'deploy'],
  ['show the deployments table', 'history'],
  ['what columns does the incidents table have', 'incident'],
  ['what is the health table', 'health'],
];

/** Requests to approve or to go around the policy: refused, whatever else they ask. */
const REFUSALS: Array<[string, 'approve' | 'bypass']> = [
  [`approve deployment ${ID}`, 'approve'],
  ['approve it', 'approve'],
  ['who can approve production deployments?', 'approve'],
  ['approve the production deployment and then add parks', 'approve'],
  ['sign off the staging deploy', 'approve'],
  ['deploy to production right now', 'bypass'],
  ['deploy to production as soon as possible', 'bypass'],
  ['emergency deploy to prod', 'bypass'],
  ['skip the approval', 'bypass'],
  ['bypass the deployment window', 'bypass'],
  ['ignore the deployment window and deploy to production', 'bypass'],
  ['deploy to prod and skip the window', 'bypass'],
  ['force it through', 'bypass'],
  ['deploy to production with --force', 'bypass'],
  ['disable the policy', 'bypass'],
  ['override the blackout', 'bypass'],
  ['hotfix to production without approval', 'bypass'],
];

describe('parseIntent: pull requests, reviews, operations and what runs', () => {
  it.each(OPERATIONS)('%s', (text, intent) => {
    expect(parseIntent(text)).toEqual(intent);
  });

  it.each(NOT_OPERATIONS)('%s is not %s', (text, kind) => {
    expect(parseIntent(text).kind).not.toBe(kind);
  });

  it.each(REFUSALS)('%s → refuse (%s), never an operation', (text, refusal) => {
    expect(parseIntent(text)).toMatchObject({ kind: 'refuse', refusal, reason: expect.stringMatching(/approv/) });
  });

  it('writes every operation back as a request that parses to the same intent (what a one-shot ask suggests running)', () => {
    for (const [, intent] of OPERATIONS) {
      if (requestText(intent) === '' || (intent.kind === 'open-pull-request' && !intent.branch)) continue;
      expect(parseIntent(requestText(intent)), requestText(intent)).toEqual(intent);
    }
  });
});

describe('timePhrase', () => {
  it.each([
    ['deploy next tuesday at 10:00', 'next-tuesday 10:00'],
    ['on 2026-12-08 at 10:00', '2026-12-08 10:00'],
    ['tomorrow 09:30 to 11:00', 'tomorrow 09:30-11:00'],
    ['between 10:00 and 12:00 next tuesday', 'next-tuesday 10:00-12:00'],
    ['at 2026-12-08T10:00:00Z', '2026-12-08T10:00:00Z'],
    ['at 17:30', 'today 17:30'],
    ['on friday', 'friday'],
    ['at 5 pm on this thursday', 'thursday 5pm'],
  ])('%s → %s', (text, at) => {
    expect(timePhrase(text.replace(/:/g, ' : '))?.at).toBe(at);
  });

  it('names no time in a version, a count or "today" alone, and keeps "the next window" apart', () => {
    for (const text of ['deploy v1.2.0', 'last 5 deployments', 'deploy today', 'migration 003']) expect(timePhrase(text)?.at, text).toBeUndefined();
    expect(timePhrase('deploy at the next allowed slot')).toMatchObject({ nextWindow: true });
  });
});

describe('matchTable', () => {
  const match = (phrase: string, tables: TableCandidate[] = CITY): Resolution => resolution(matchTable(phrase, tables));
  const TWO_ROUTES: TableCandidate[] = [...CITY, { schema: 'archive', name: 'routes' }];

  it('exact names win, bare or schema-qualified, in any case, quoted or not', () => {
    expect(match('bike_lanes')).toBe('public.bike_lanes');
    expect(match('BIKE_LANES')).toBe('public.bike_lanes');
    expect(match('Public.Bike_Lanes')).toBe('public.bike_lanes');
    expect(match('"transit"."routes"')).toBe('transit.routes');
    expect(match('`parks`')).toBe('public.parks');
  });

  it('an exact name beats a longer name that contains it', () => {
    expect(match('bike lanes')).toBe('public.bike_lanes'); // not protected_bike_lanes
    expect(match('protected bike lanes')).toBe('public.protected_bike_lanes');
  });

  it('separators, camelCase and plurals do not matter', () => {
    for (const p of ['bike lanes', 'bike-lanes', 'bikelanes', 'BikeLanes', 'the bike lanes table']) expect(match(p), p).toBe('public.bike_lanes');
    expect(match('street tree')).toBe('public.street_trees');
    expect(match('park')).toBe('public.parks');
    expect(match('neighborhood')).toBe('public.neighborhoods');
  });

  it('a bare name in one schema resolves to it, and schema words count', () => {
    expect(match('routes')).toBe('transit.routes');
    expect(match('transit routes')).toBe('transit.routes');
  });

  it('a word that is unique to one table picks it; shared by several, it is ambiguous', () => {
    expect(match('trees')).toBe('public.street_trees');
    expect(match('land use')).toBe('public.land_use_codes');
    expect(match('lanes')).toEqual({ ambiguous: ['public.bike_lanes', 'public.protected_bike_lanes'] });
    expect(match('transit')).toEqual({ ambiguous: ['public.transit_stops', 'transit.routes'] });
  });

  it('a longer phrase naming all of a table and ending in its head noun matches it', () => {
    expect(match('air quality sensors')).toBe('public.air_sensors');
    // "park trees" ends in trees, which parks does not have, and street_trees lacks "park": no guess.
    expect(matchTable('park trees', CITY).kind).toBe('none');
  });

  it('typos within a length-relative distance are forgiven; short words get less slack', () => {
    expect(match('bike lnaes')).toBe('public.bike_lanes');
    expect(match('parcles')).toBe('public.parcels');
    expect(match('neighbourhoods')).toBe('public.neighborhoods');
    expect(match('prks')).toBe('public.parks');
    expect(match('zones')).toEqual({ none: ['public.zoning'] });
    expect(matchTable('lane', [{ schema: 'public', name: 'land' }]).kind).toBe('none');
  });

  it('the same name in several schemas is ambiguous even when one is public (the search_path is not ours to assume)', () => {
    expect(match('routes', TWO_ROUTES)).toEqual({ ambiguous: ['archive.routes', 'transit.routes'] });
    expect(match('route', TWO_ROUTES)).toEqual({ ambiguous: ['archive.routes', 'transit.routes'] });
    expect(match('transit.routes', TWO_ROUTES)).toBe('transit.routes');
    const both: TableCandidate[] = [
      { schema: 'public', name: 'parks' },
      { schema: 'staging_data', name: 'parks' },
    ];
    expect(match('parks', both)).toEqual({ ambiguous: ['public.parks', 'staging_data.parks'] });
    expect(match('public.parks', both)).toBe('public.parks');
  });

  it('a qualified phrase only matches in its schema; a typo in the schema is forgiven, an unknown schema is not', () => {
    expect(match('public.routes')).toEqual({ none: ['transit.routes'] });
    expect(match('transit.stops')).toEqual({ none: ['public.transit_stops'] });
    expect(match('pubilc.parks')).toBe('public.parks');
    expect(match('foo.parks')).toEqual({ none: ['public.parks'] });
  });

  it('comments help when the words are the comment’s, not the name’s', () => {
    const commented: TableCandidate[] = CITY.map((t) => ({
      ...t,
      comment:
        t.name === 'parcels'
          ? 'Tax lots from the county assessor'
          : t.name === 'zoning'
            ? 'Base zoning districts adopted by city council'
            : t.name === 'bike_lanes'
              ? 'Bicycle lane network maintained by the transportation department'
              : null,
    }));
    expect(match('tax lots', commented)).toBe('public.parcels');
    expect(match('zoning districts', commented)).toBe('public.zoning');
    expect(match('bicycle lanes', commented)).toBe('public.bike_lanes');
    // One shared prose word is too weak.
    expect(match('county', commented)).toEqual({ none: [] });
  });

  it('none comes with at most three near names, closest first, and none when nothing is near', () => {
    expect(match('bus stops')).toEqual({ none: ['public.transit_stops'] });
    const r = matchTable('park trees', CITY);
    expect(r.kind === 'none' && r.suggestions.length).toBeLessThanOrEqual(3);
    expect(r.kind === 'none' && r.suggestions.map(qualified)).toContain('public.street_trees');
    expect(match('sidewalks')).toEqual({ none: [] });
    expect(match('public')).toEqual({ none: [] });
  });

  it('degenerate input: empty phrase, filler only, no tables, duplicate tables', () => {
    expect(match('')).toEqual({ none: [] });
    expect(match('  the  ')).toEqual({ none: [] });
    expect(match('parks', [])).toEqual({ none: [] });
    expect(match('parks', [...CITY, { schema: 'public', name: 'parks' }])).toBe('public.parks');
  });
});
