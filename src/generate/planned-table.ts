import type { TableInfo } from '../db/index.js';
import type { NewTableSpec } from './migration.js';

/** The TableInfo a new table will have once its add-table migration has run. */
export function plannedTable(spec: NewTableSpec): TableInfo {
  const schema = spec.schema ?? 'public';
  const geom = spec.geometryColumn ?? 'geom';
  const id = spec.idColumn ?? 'id';
  const column = (name: string, type: string, nullable: boolean, position: number) => ({
    name,
    position,
    type,
    nullable,
    default: null,
    comment: null,
    primaryKey: name === id,
  });
  return {
    schema,
    name: spec.name,
    kind: 'table',
    comment: spec.comment ?? null,
    estimatedRows: null,
    rows: null,
    primaryKey: [id],
    columns: [
      column(id, 'bigint', false, 1),
      ...spec.columns.map((c, i) => column(c.name, c.type, c.nullable ?? true, i + 2)),
      column(geom, `geometry(${spec.geometryType},${spec.srid})`, false, spec.columns.length + 2),
    ],
    geometryColumns: [
      { column: geom, kind: 'geometry', type: spec.geometryType, srid: spec.srid, dimensions: 2, spatialIndex: `idx_${spec.name}_${geom}`, extent: null },
    ],
    indexes: [{ name: `idx_${spec.name}_${geom}`, method: 'gist', columns: [geom], unique: false, primary: false, valid: true, spatial: true, definition: '' }],
    foreignKeys: [],
    findings: [],
  };
}
