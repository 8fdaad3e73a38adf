import type { Layer } from '../config/index.js';
import { layerGeometryType } from './layer.js';
import { mapColumnType } from './field-types.js';
import type { TableInfo } from '../db/index.js';

/**
 * Does a layer describe its table as the database has it? Geometry column, geometry type and
 * SRID, key, and every field's column and type. Empty when they agree.
 */
export interface LayerMismatch {
  what: 'geometry-column' | 'geometry-type' | 'srid' | 'primary-key' | 'field-missing' | 'field-type';
  message: string;
}

const COMPATIBLE: Record<string, string[]> = {
  integer: ['integer'],
  long: ['long', 'integer'],
  float: ['float', 'integer'],
  double: ['double', 'float', 'integer'],
  decimal: ['decimal', 'integer', 'long'],
};

export function matchLayerToTable(layer: Layer, table: TableInfo): LayerMismatch[] {
  const out: LayerMismatch[] = [];
  const where = `${table.schema}.${table.name}`;
  const geometry = table.geometryColumns.find((g) => g.column === layer.storage.geometryColumn);
  if (!geometry) out.push({ what: 'geometry-column', message: `${where} has no geometry column ${layer.storage.geometryColumn}` });
  else {
    const declared = layerGeometryType(geometry.type);
    if (declared !== 'Geometry' && declared !== layer.geometryType)
      out.push({ what: 'geometry-type', message: `${layer.storage.geometryColumn} holds ${declared}, the layer says ${layer.geometryType}` });
    if (geometry.srid > 0 && geometry.srid !== layer.storage.srid)
      out.push({ what: 'srid', message: `${layer.storage.geometryColumn} is in SRID ${geometry.srid}, the layer says ${layer.storage.srid}` });
  }
  const pk = table.primaryKey;
  if (pk.length > 0 && !(pk.length === 1 && pk[0] === layer.storage.primaryKey))
    out.push({ what: 'primary-key', message: `the primary key of ${where} is (${pk.join(', ')}), the layer says ${layer.storage.primaryKey}` });
  if (!table.columns.some((c) => c.name === layer.storage.primaryKey))
    out.push({ what: 'primary-key', message: `${where} has no column ${layer.storage.primaryKey}` });
  for (const f of layer.fields) {
    const column = table.columns.find((c) => c.name === f.column);
    if (!column) {
      out.push({ what: 'field-missing', message: `field ${f.name}: ${where} has no column ${f.column}` });
      continue;
    }
    const actual = mapColumnType(column.type).type;
    if (actual !== f.type && !(COMPATIBLE[f.type] ?? []).includes(actual))
      out.push({ what: 'field-type', message: `field ${f.name} is ${f.type}, column ${f.column} is ${column.type}` });
  }
  return out;
}
