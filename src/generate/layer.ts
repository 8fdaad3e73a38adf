import { GenerateError } from '../errors/index.js';
import { sqlIdent } from './sql-ident.js';
import { stringify } from 'yaml';
import { type GeometryType, type WrittenLayer, GEOMETRY_TYPES } from '../config/index.js';
import type { ColumnInfo, GeometryInfo, TableInfo } from '../db/index.js';
import { mapColumnType } from './field-types.js';
import { fieldAlias, resourceName, titleCase, words } from './names.js';

/**
 * A Layer from a table, as the catalog describes it: fields from the column types, geometry
 * type and SRID from the column's type modifier, the id field from the primary key, a display
 * field chosen from the name-like columns, the CRS list (EPSG:4326, EPSG:3857 and the storage
 * SRID), health checks (row count, geometry validity) and the OGC item limit. One file per
 * environment, placed as in seed 004 (environments/<env>/layers/<name>.yaml). Pure: the caller
 * inspects the database and decides where files go.
 */
export interface LayerTarget {
  /** The environment as the file's metadata names it (development, staging, ...). */
  environment: string;
  /** The environment's folder under environments/. */
  folder: string;
}

export interface GenerateLayerOptions {
  service: string;
  targets: LayerTarget[];
  /** Resource name; default from the table name. */
  name?: string;
  title?: string;
  geometryColumn?: string;
  /** For views and tables without a single-column primary key. */
  idField?: string;
  /** For geometry columns that do not fix an SRID. */
  srid?: number;
  itemLimit?: number;
  createdBy?: string;
  now: Date;
}

export interface GeneratedFile {
  path: string;
  content: string;
}

export interface GeneratedLayer {
  name: string;
  service: string;
  /** `<service>::<name>`: the OGC API collection id. */
  collectionId: string;
  table: string;
  layer: WrittenLayer;
  files: GeneratedFile[];
  /** Choices a person should know about (fallback types, skipped columns, heuristics). */
  notes: string[];
}

/** 2025-10-04T12:00:00Z: a timestamp without milliseconds, as the seeds write them. */
export const isoSeconds = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

const NAME_COLUMNS = ['name', 'title', 'label', 'display_name', 'common_name', 'full_name', 'description'];
const ID_GUESSES = ['id', 'gid', 'fid', 'objectid', 'ogc_fid'];

export function qualifiedTable(table: Pick<TableInfo, 'schema' | 'name'>): string {
  return table.schema === 'public' ? table.name : `${table.schema}.${table.name}`;
}

/** The geometry type a layer declares for a column type from the catalog (PointZ → Point). */
export function layerGeometryType(catalogType: string): GeometryType {
  const base = catalogType.replace(/(ZM|Z|M)$/, '');
  const found = GEOMETRY_TYPES.find((g) => g.toLowerCase() === base.toLowerCase());
  return found ?? 'Geometry';
}

function pickGeometry(table: TableInfo, wanted: string | undefined): GeometryInfo {
  const where = qualifiedTable(table);
  if (table.geometryColumns.length === 0) {
    throw new GenerateError('no-geometry-column', `${where} has no geometry or geography column, so it cannot be an OGC API Features layer`, {
      hint: 'Add a geometry column (honua-ai generate migration --kind add-column), or publish a table that has one.',
      data: { table: where },
    });
  }
  if (wanted !== undefined) {
    const g = table.geometryColumns.find((c) => c.column === wanted);
    if (!g) {
      throw new GenerateError('unknown-column', `${where} has no geometry column "${wanted}"`, {
        hint: `Its geometry columns: ${table.geometryColumns.map((c) => c.column).join(', ')}.`,
      });
    }
    return g;
  }
  return table.geometryColumns[0] as GeometryInfo;
}

function pickIdField(table: TableInfo, wanted: string | undefined, notes: string[]): string {
  const where = qualifiedTable(table);
  if (wanted !== undefined) {
    if (!table.columns.some((c) => c.name === wanted))
      throw new GenerateError('unknown-column', `${where} has no column "${wanted}"`, { hint: `Columns: ${table.columns.map((c) => c.name).join(', ')}.` });
    if (!(table.primaryKey.length === 1 && table.primaryKey[0] === wanted))
      notes.push(`The id field ${wanted} is not the primary key: make sure its values are unique, or features will collide.`);
    return wanted;
  }
  if (table.primaryKey.length === 1) return table.primaryKey[0] as string;
  if (table.primaryKey.length > 1) {
    throw new GenerateError(
      'composite-primary-key',
      `${where} has a primary key of ${table.primaryKey.length} columns (${table.primaryKey.join(', ')}); a layer needs one id field`,
      {
        hint: 'Pass the id field (--id-field) of a unique column, or add a single-column key.',
      },
    );
  }
  const singular = words(table.name).join('_').replace(/s$/, '');
  const guess = table.columns.find((c) => ID_GUESSES.includes(c.name.toLowerCase()) || c.name.toLowerCase() === `${singular}_id`);
  if (guess) {
    notes.push(`${where} has no primary key (it is a ${table.kind}); ${guess.name} was taken as the id field: its values must be unique.`);
    return guess.name;
  }
  throw new GenerateError('no-primary-key', `${where} has no primary key, so there is no id field for its features`, {
    hint: 'Pass the id field (--id-field COLUMN) of a unique, non-null column, or add a primary key.',
  });
}

function pickDisplayField(table: TableInfo, candidates: ColumnInfo[], idField: string): string | undefined {
  const byName = new Map(candidates.map((c) => [c.name.toLowerCase(), c]));
  const singular = words(table.name).join('_').replace(/s$/, '');
  for (const n of [...NAME_COLUMNS, `${singular}_name`, `${words(table.name).join('_')}_name`]) {
    const c = byName.get(n);
    if (c && mapColumnType(c.type).type === 'string') return c.name;
  }
  const named = candidates.find((c) => /(^|_)(name|title|label)$/i.test(c.name) && mapColumnType(c.type).type === 'string');
  if (named) return named.name;
  const text = candidates.find((c) => c.name !== idField && mapColumnType(c.type).type === 'string' && !/(^|_)(id|code|key|uuid)$/i.test(c.name));
  return text?.name;
}

export function generateLayer(table: TableInfo, options: GenerateLayerOptions): GeneratedLayer {
  const notes: string[] = [];
  const where = qualifiedTable(table);
  const geometry = pickGeometry(table, options.geometryColumn);
  const srid = geometry.srid > 0 ? geometry.srid : options.srid;
  if (srid === undefined || srid <= 0) {
    throw new GenerateError('unknown-srid', `${where}.${geometry.column} does not declare an SRID (it is an unconstrained ${geometry.kind} column)`, {
      hint: `Constrain the column (ALTER TABLE ... ALTER COLUMN ${geometry.column} TYPE geometry(${geometry.type}, 4326)), or pass the SRID its data uses.`,
    });
  }
  if (geometry.srid > 0 && options.srid !== undefined && options.srid !== geometry.srid) {
    throw new GenerateError('srid-mismatch', `${where}.${geometry.column} is stored in SRID ${geometry.srid}, not ${options.srid}`, {
      hint: 'Leave the SRID out: it is read from the column.',
    });
  }
  const otherGeometry = table.geometryColumns.filter((g) => g.column !== geometry.column);
  if (otherGeometry.length > 0) notes.push(`Other geometry columns are not published as fields: ${otherGeometry.map((g) => g.column).join(', ')}.`);
  if (table.geometryColumns.length > 1 && options.geometryColumn === undefined)
    notes.push(`${where} has several geometry columns; ${geometry.column} was used.`);
  if (geometry.kind === 'geography')
    notes.push(`${geometry.column} is a geography column; it is served as ${layerGeometryType(geometry.type)} in SRID ${srid}.`);
  if (layerGeometryType(geometry.type) === 'Geometry') notes.push(`${geometry.column} does not constrain its geometry type, so the layer declares Geometry.`);
  if (geometry.dimensions > 2) notes.push(`${geometry.column} has ${geometry.dimensions} dimensions; features are served with them.`);

  const idField = pickIdField(table, options.idField, notes);
  const geometryNames = new Set(table.geometryColumns.map((g) => g.column));
  const columns = table.columns.filter((c) => !geometryNames.has(c.name));
  const fields = columns.map((c) => {
    const mapped = mapColumnType(c.type);
    if (mapped.note) notes.push(`${c.name}: ${mapped.note}.`);
    const field: WrittenLayer['spec']['fields'][number] = { name: c.name, type: mapped.type, alias: fieldAlias(c.name) };
    if (c.comment) field.description = c.comment;
    if (c.name === idField || !c.nullable) field.nullable = false;
    if (mapped.maxLength !== undefined) field.maxLength = mapped.maxLength;
    if (mapped.precision !== undefined) field.precision = mapped.precision;
    if (mapped.scale !== undefined) field.scale = mapped.scale;
    return field;
  });
  if (fields.length === 0)
    throw new GenerateError('no-fields', `${where} has no columns besides its geometry`, { hint: 'A layer needs at least its id field.' });
  const displayField = pickDisplayField(table, columns, idField);

  const name = options.name ?? resourceName(table.schema === 'public' ? table.name : `${table.schema}_${table.name}`);
  const crs = ['EPSG:4326', 'EPSG:3857'];
  if (!crs.includes(`EPSG:${srid}`)) crs.push(`EPSG:${srid}`);
  const qualified = table.schema === 'public' ? sqlIdent(table.name) : `${sqlIdent(table.schema)}.${sqlIdent(table.name)}`;
  const geomSql = sqlIdent(geometry.column);
  const empty = table.rows === 0 || (table.rows === null && table.estimatedRows === 0);
  if (empty) notes.push(`${where} looks empty; the row-count health check expects at least one row once data is loaded.`);
  const validGeometry = geometry.kind === 'geography' ? `ST_IsValid(${geomSql}::geometry)` : `ST_IsValid(${geomSql})`;

  const spatialIndex = table.indexes.find((i) => i.name === geometry.spatialIndex);
  if (!geometry.spatialIndex && table.kind === 'table')
    notes.push(
      `${where}.${geometry.column} has no spatial index; bbox queries will scan the table (honua-ai generate migration --kind spatial-index --table ${where}).`,
    );

  const storage: WrittenLayer['spec']['storage'] = { table: where, geometryColumn: geometry.column, primaryKey: idField, srid };
  if (spatialIndex) storage.indexes = [{ name: spatialIndex.name, type: spatialIndex.method as 'gist', column: geometry.column }];

  const base = (target: LayerTarget): WrittenLayer => {
    const metadata: WrittenLayer['metadata'] = {
      name,
      service: options.service,
      environment: target.environment,
      created: isoSeconds(options.now),
      createdBy: options.createdBy ?? 'ai-consultant',
    };
    if (table.comment) metadata.description = table.comment;
    const spec: WrittenLayer['spec'] = {
      title: options.title ?? titleCase(table.name),
      ...(table.comment ? { description: table.comment } : {}),
      geometryType: layerGeometryType(geometry.type),
      idField,
      ...(displayField ? { displayField } : {}),
      geometryField: geometry.column,
      crs,
      storage,
      fields,
      ogc: { itemLimit: options.itemLimit ?? 1000, defaultCrs: 'EPSG:4326' },
      validation: {
        healthChecks: [
          { type: 'query', query: `SELECT COUNT(*) FROM ${qualified}`, expected: empty ? '>= 0' : '> 0' },
          { type: 'geometry', query: `SELECT ${validGeometry} FROM ${qualified} LIMIT 10`, expected: 'all true' },
        ],
      },
    } as WrittenLayer['spec'];
    return { apiVersion: 'honua.io/v1', kind: 'Layer', metadata, spec } as WrittenLayer;
  };

  if (options.targets.length === 0)
    throw new GenerateError('no-environments', 'no environment to place the layer in', { hint: 'Name at least one environment.' });
  const files = options.targets.map((target) => {
    const path = `environments/${target.folder}/layers/${name}.yaml`;
    const content = `# ${path}\n${stringify(base(target), { lineWidth: 0 })}`;
    return { path, content };
  });
  return {
    name,
    service: options.service,
    collectionId: `${options.service}::${name}`,
    table: where,
    layer: base(options.targets[0] as LayerTarget),
    files,
    notes,
  };
}

export { GenerateError, sqlIdent };
