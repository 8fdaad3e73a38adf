import { crsSrid, crsUri, type DataSource, type Layer, type Service } from '../config/index.js';
import { type Database, quoteIdent } from '../db/index.js';
import type { Snapshot } from '../deploy/index.js';
import { CRS84 } from './ogc/conformance-classes.js';

/**
 * What the server serves, built from one snapshot and swapped whole on a reload: the
 * collections (one per enabled layer of an enabled service, id `service::layer`), each with its
 * SQL pieces quoted once, the CRSs it can be served in (with the axis order of each), its extent,
 * and the pool of its datasource. Requests read the registry current when they start and finish
 * on it, whatever is swapped in meanwhile.
 */
export interface OutputCrs {
  uri: string;
  srid: number;
  /** EPSG's geographic CRSs are latitude first: coordinates are flipped for them (CRS84 is longitude first). */
  latFirst: boolean;
  /** Degrees of longitude and latitude (a bbox may cross the antimeridian). */
  geographic: boolean;
}

export interface CollectionField {
  name: string;
  column: string;
  type: Layer['fields'][number]['type'];
}

export interface Collection {
  id: string;
  title: string;
  description?: string;
  keywords: string[];
  layer: Layer;
  service: Service;
  database: Database;
  poolKey: string;
  /** Where numberMatched is counted: a pool with the count budget as its statement timeout, when the server has one. */
  counter?: { database: Database; key: string };
  sql: { table: string; id: string; geom: string; temporal?: string };
  fields: CollectionField[];
  idType: 'integer' | 'string';
  storageSrid: number;
  storageCrs: string;
  /** The CRSs items can be requested in, CRS84 first. */
  crs: OutputCrs[];
  /** [minx, miny, maxx, maxy] in CRS84, when known. */
  bbox?: number[];
  temporal?: [string | null, string | null];
  itemLimit: number;
  defaultLimit: number;
  cacheTtlSeconds?: number;
  /** How long an exact count may take before numberMatched is left out. */
  countBudgetMs: number;
  /** How long a first page may take when a deployment verifies the collection. */
  latencyBudgetMs: number;
}

export class Registry {
  /** Requests running on this registry (a retired registry's pools are closed when it reaches 0). */
  inflight = 0;

  constructor(
    readonly id: string,
    readonly environment: string,
    readonly commit: string,
    readonly source: 'snapshot' | 'working tree',
    readonly title: string,
    readonly description: string,
    readonly collections: ReadonlyMap<string, Collection>,
    readonly createdAt: Date,
  ) {}
}

export interface BuildOptions {
  database(ds: DataSource | undefined): Promise<Database>;
  poolKey(ds: DataSource | undefined): string;
  /** A pool whose statement timeout is the count budget (numberMatched in one round trip); without it, counts run in a transaction. */
  counter?(ds: DataSource | undefined, budgetMs: number): Promise<Database | undefined>;
  counterKey?(ds: DataSource | undefined, budgetMs: number): string;
  source?: 'snapshot' | 'working tree';
  log?: (line: string) => void;
}

const INTEGER_TYPES = new Set(['integer', 'long']);

/** Builds the registry of a snapshot: one catalog query per datasource, none per request. */
export async function buildRegistry(snapshot: Snapshot, options: BuildOptions): Promise<Registry> {
  const services = new Map((snapshot.state.services as unknown as Service[]).map((s) => [s.name, s]));
  const dataSources = new Map((snapshot.state.dataSources as unknown as DataSource[]).map((d) => [d.name, d]));
  const layers = (snapshot.state.layers as unknown as Layer[]).filter((l) => l.enabled !== false && services.get(l.service)?.enabled !== false);
  const collections = new Map<string, Collection>();
  for (const layer of layers) {
    const service = services.get(layer.service) as Service;
    const ds = dataSources.get(layer.storage.dataSource ?? service.dataSource);
    const database = await options.database(ds);
    const table = layer.storage.schema ? `${quoteIdent(layer.storage.schema)}.${quoteIdent(layer.storage.table)}` : quoteIdent(layer.storage.table);
    const fields = layer.fields
      .filter((f) => f.column !== layer.storage.geometryColumn)
      .map((f) => ({ name: f.name, column: quoteIdent(f.column), type: f.type }));
    const idField = layer.fields.find((f) => f.name === layer.idField);
    const temporalField = layer.temporalField ? layer.fields.find((f) => f.name === layer.temporalField) : undefined;
    const srids = [...new Set([4326, layer.storage.srid, ...layer.crs.map(crsSrid)])];
    const geographic = await geographicSrids(database, srids);
    const outputs: OutputCrs[] = [{ uri: CRS84, srid: 4326, latFirst: false, geographic: true }];
    for (const code of layer.crs) {
      const uri = crsUri(code);
      if (uri === CRS84 || outputs.some((o) => o.uri === uri)) continue;
      const srid = crsSrid(code);
      if (!geographic.has(srid)) {
        options.log?.(`${layer.id}: ${code} is not in the database's spatial_ref_sys; it is not offered`);
        continue;
      }
      outputs.push({ uri, srid, latFirst: geographic.get(srid) === true, geographic: geographic.get(srid) === true });
    }
    const storageUri = crsUri(`EPSG:${layer.storage.srid}`);
    // The storage CRS is always one of the collection's CRSs (Part 2: storageCrs is listed in crs).
    if (layer.storage.srid !== 4326 && !outputs.some((o) => o.srid === layer.storage.srid) && geographic.has(layer.storage.srid)) {
      const g = geographic.get(layer.storage.srid) === true;
      outputs.push({ uri: storageUri, srid: layer.storage.srid, latFirst: g, geographic: g });
    }
    const collection: Collection = {
      id: layer.id,
      title: layer.title,
      ...(layer.description ? { description: layer.description } : {}),
      keywords: layer.keywords ?? [],
      layer,
      service,
      database,
      poolKey: options.poolKey(ds),
      sql: {
        table,
        id: quoteIdent(layer.storage.primaryKey),
        geom: quoteIdent(layer.storage.geometryColumn),
        ...(temporalField ? { temporal: quoteIdent(temporalField.column) } : {}),
      },
      fields,
      idType: idField && INTEGER_TYPES.has(idField.type) ? 'integer' : 'string',
      storageSrid: layer.storage.srid,
      storageCrs: layer.storage.srid === 4326 ? CRS84 : storageUri,
      crs: outputs,
      itemLimit: layer.itemLimit,
      defaultLimit: layer.defaultLimit,
      ...(layer.cacheTtlSeconds !== undefined ? { cacheTtlSeconds: layer.cacheTtlSeconds } : {}),
      countBudgetMs: layer.countBudgetMs ?? 250,
      latencyBudgetMs: layer.latencyBudgetMs ?? 2000,
    };
    const counter = await options.counter?.(ds, collection.countBudgetMs);
    if (counter && options.counterKey) collection.counter = { database: counter, key: options.counterKey(ds, collection.countBudgetMs) };
    const bbox = layer.extent?.bbox ?? (await estimateExtent(database, collection, options.log));
    if (bbox) collection.bbox = bbox;
    const temporal = layer.extent?.temporal;
    if (temporal) collection.temporal = [temporal[0] ?? null, temporal[1] ?? null];
    collections.set(layer.id, collection);
  }
  const server = snapshot.state.server as { ogc?: { title?: string; description?: string } } | undefined;
  return new Registry(
    snapshot.id,
    snapshot.environment,
    snapshot.commit,
    options.source ?? 'snapshot',
    server?.ogc?.title ?? `Honua ${snapshot.environment}`,
    server?.ogc?.description ?? `OGC API Features of the ${snapshot.environment} environment, served by Honua.`,
    collections,
    new Date(),
  );
}

/** Which SRIDs the database knows, and whether each is geographic (latitude first in EPSG's axis order). */
async function geographicSrids(db: Database, srids: number[]): Promise<Map<number, boolean>> {
  const r = await db.query<{ srid: number; geographic: boolean }>(
    "SELECT srid, (srtext LIKE 'GEOGCS%' OR srtext LIKE 'GEOGCRS%') AS geographic FROM spatial_ref_sys WHERE srid = ANY($1::int[])",
    [srids],
  );
  return new Map(r.rows.map((x) => [Number(x.srid), x.geographic]));
}

/** The extent in CRS84: the planner's estimate (cheap, after ANALYZE), else exact when it takes under 2 s. */
async function estimateExtent(db: Database, c: Collection, log?: (line: string) => void): Promise<number[] | undefined> {
  const schema = c.layer.storage.schema ?? 'public';
  const toBox = (r: { xmin: number | null; ymin: number | null; xmax: number | null; ymax: number | null } | undefined) =>
    r && r.xmin !== null && r.ymin !== null && r.xmax !== null && r.ymax !== null ? [r.xmin, r.ymin, r.xmax, r.ymax].map(Number) : undefined;
  try {
    const estimated = await db.query<{ xmin: number; ymin: number; xmax: number; ymax: number }>(
      `SELECT ST_XMin(e) AS xmin, ST_YMin(e) AS ymin, ST_XMax(e) AS xmax, ST_YMax(e) AS ymax
         FROM (SELECT ST_Transform(ST_SetSRID(ST_EstimatedExtent($1, $2, $3)::geometry, $4::int), 4326) AS e) x`,
      [schema, c.layer.storage.table, c.layer.storage.geometryColumn, c.storageSrid],
    );
    const box = toBox(estimated.rows[0]);
    if (box) return box;
  } catch {
    // no statistics yet (or a view): the exact extent below
  }
  try {
    const exact = await db.transaction(async (tx) => {
      await tx.exec("SET LOCAL statement_timeout = '2s'");
      return tx.query<{ xmin: number; ymin: number; xmax: number; ymax: number }>(
        `SELECT ST_XMin(e) AS xmin, ST_YMin(e) AS ymin, ST_XMax(e) AS xmax, ST_YMax(e) AS ymax FROM (SELECT ST_Transform(ST_SetSRID(ST_Extent(${c.sql.geom}), ${c.storageSrid}), 4326) AS e FROM ${c.sql.table}) x`,
      );
    });
    return toBox(exact.rows[0]);
  } catch (error) {
    log?.(`${c.id}: no extent (${(error as Error).message})`);
    return undefined;
  }
}
