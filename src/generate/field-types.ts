import type { FieldType } from '../config/index.js';

/**
 * A PostgreSQL column type (as format_type prints it) → the Layer field type that serves it,
 * with the length, precision and scale the type declares. Arrays and composite values are
 * served as JSON; types with no better match become strings, and say so.
 */
export interface MappedType {
  type: FieldType;
  maxLength?: number;
  precision?: number;
  scale?: number;
  /** Set when the mapping is a fallback a person should look at. */
  note?: string;
}

export function mapColumnType(pgType: string): MappedType {
  const t = pgType.trim().toLowerCase();
  if (t.endsWith('[]')) return { type: 'json', note: `${pgType} is served as a JSON array` };
  const args = /\(([^)]*)\)/
    .exec(t)?.[1]
    ?.split(',')
    .map((a) => Number(a.trim()));
  const base = t.replace(/\(.*\)/, '').trim();
  switch (base) {
    case 'smallint':
    case 'integer':
      return { type: 'integer' };
    case 'bigint':
      return { type: 'long' };
    case 'real':
      return { type: 'float' };
    case 'double precision':
      return { type: 'double' };
    case 'numeric':
    case 'decimal': {
      const out: MappedType = { type: 'decimal' };
      if (args?.[0] !== undefined && Number.isInteger(args[0])) out.precision = args[0];
      if (args?.[1] !== undefined && Number.isInteger(args[1])) out.scale = args[1];
      return out;
    }
    case 'money':
      return { type: 'decimal' };
    case 'character varying':
    case 'varchar':
    case 'character':
    case 'char':
    case 'bpchar': {
      const out: MappedType = { type: 'string' };
      if (args?.[0] !== undefined && Number.isInteger(args[0])) out.maxLength = args[0];
      return out;
    }
    case 'text':
    case 'citext':
    case 'name':
      return { type: 'string' };
    case 'boolean':
      return { type: 'boolean' };
    case 'date':
      return { type: 'date' };
    case 'timestamp without time zone':
    case 'timestamp with time zone':
    case 'timestamp':
    case 'timestamptz':
      return { type: 'datetime' };
    case 'time without time zone':
    case 'time with time zone':
    case 'time':
      return { type: 'time' };
    case 'uuid':
      return { type: 'uuid' };
    case 'json':
    case 'jsonb':
      return { type: 'json' };
    case 'bytea':
      return { type: 'binary' };
    case 'interval':
    case 'inet':
    case 'cidr':
    case 'macaddr':
      return { type: 'string' };
    default:
      return { type: 'string', note: `${pgType} has no exact field type; it is served as a string` };
  }
}

/** The SQL type a generated migration writes for a field type (add-column, add-table). */
export const SQL_TYPES: Record<string, string> = {
  integer: 'integer',
  long: 'bigint',
  float: 'real',
  double: 'double precision',
  decimal: 'numeric',
  string: 'text',
  boolean: 'boolean',
  date: 'date',
  datetime: 'timestamptz',
  time: 'time',
  uuid: 'uuid',
  json: 'jsonb',
  binary: 'bytea',
};
