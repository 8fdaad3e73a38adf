import { type Done, unwrap } from './step.js';

/** Answers about the database in words, from list_tables and describe_table: every table with its geometry, one table in full. */

export function describeTables(r: Done): string {
  const d = r.data as {
    database: { serverVersion: string; postgisVersion: string | null };
    tables: Array<{
      table: string;
      kind: string;
      estimatedRows: number | null;
      geometry: Array<{ column: string; type: string; srid: number; spatialIndex: boolean }>;
      comment: string | null;
    }>;
  };
  const lines = d.tables.map((t) => {
    const g = t.geometry.map((x) => `${x.column} ${x.type}/${x.srid}${x.spatialIndex ? '' : ' (no spatial index)'}`).join(', ');
    return `  ${t.table} (${t.kind}${t.estimatedRows !== null ? `, ~${t.estimatedRows} rows` : ''})${g ? `: ${g}` : ': no geometry'}`;
  });
  return [
    `PostgreSQL ${d.database.serverVersion.split(' ')[0]}, PostGIS ${d.database.postgisVersion ?? 'not installed'}; ${d.tables.length} tables and views:`,
    ...lines,
  ].join('\n');
}

export function describeTable(r: Done): string {
  const t = r.data as {
    table: string;
    kind: string;
    comment: string | null;
    estimatedRows: number | null;
    primaryKey: string[];
    columns: Array<{ name: string; type: string; nullable: boolean }>;
    geometryColumns: Array<{ column: string; type: string; srid: number; spatialIndex: string | null }>;
    findings: string[];
    sample: Array<Record<string, string | null>>;
    sampleNotes?: string[];
  };
  const cell = (v: string | null | undefined): string => {
    const text = v === null || v === undefined ? 'NULL' : unwrap(v).replace(/\s+/g, ' ');
    return text.length > 40 ? `${text.slice(0, 39)}…` : text;
  };
  const sample =
    t.sample.length > 0
      ? [
          'Sample rows:',
          ...t.sample.map(
            (row, i) =>
              `  ${i + 1}. ${Object.entries(row)
                .map(([k, v]) => `${k}=${cell(v)}`)
                .join(', ')}`,
          ),
        ]
      : [];
  return [
    `${t.table} (${t.kind}${t.estimatedRows !== null ? `, ~${t.estimatedRows} rows` : ''})${t.comment ? `: ${unwrap(t.comment)}` : ''}`,
    `Primary key: ${t.primaryKey.join(', ') || 'none'}`,
    'Columns:',
    ...t.columns.map((c) => `  ${c.name} ${c.type}${c.nullable ? '' : ' NOT NULL'}`),
    ...(t.geometryColumns ?? []).map(
      (g) => `Geometry: ${g.column} ${g.type}, SRID ${g.srid}, ${g.spatialIndex ? `spatial index ${g.spatialIndex}` : 'no spatial index'}`,
    ),
    ...t.findings.map((f) => `Finding: ${f}`),
    ...sample,
    ...(t.sampleNotes ?? []).map((n) => `Note: ${n}`),
  ].join('\n');
}
