import { z } from 'zod';
import { parseDuration } from '../duration.js';
import { type SecretRef, baseMetadata, Duration, envelope, type Origin, SecretValue } from './common.js';

/**
 * DataSource: a database the layers read from. Secrets are references (`{fromEnv: NAME}`); a
 * literal password is an error in production and a warning elsewhere. `type: embedded` is the
 * zero-setup local database (PGlite with PostGIS).
 */
export const DataSourceSchema = z.strictObject({
  ...envelope('DataSource'),
  metadata: z.strictObject(baseMetadata),
  spec: z
    .strictObject({
      type: z.enum(['postgis', 'postgresql', 'embedded']).meta({ description: 'postgis (PostgreSQL with PostGIS) or embedded (local PGlite + PostGIS).' }),
      url: SecretValue.optional().meta({ description: 'Connection URL; prefer {fromEnv: DATABASE_URL} — a URL carries the password.' }),
      host: z.string().optional(),
      port: z.number().int().min(1).max(65535).optional(),
      database: z.string().optional(),
      user: SecretValue.optional(),
      password: SecretValue.optional(),
      sslmode: z.enum(['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full']).optional(),
      schema: z.string().optional().meta({ description: 'Default schema for tables named without one (default: public).' }),
      pool: z
        .strictObject({
          min: z.number().int().min(0).optional(),
          max: z.number().int().min(1).max(1000).optional(),
          idleTimeout: Duration.optional(),
        })
        .optional(),
      statementTimeout: Duration.optional(),
      connectTimeout: Duration.optional(),
      path: z.string().optional().meta({ description: 'Data directory of an embedded database (default: $HONUA_HOME/embedded/<name>).' }),
      seed: z.enum(['sample-city', 'empty']).optional().meta({ description: 'What a new embedded database starts with (default: sample-city).' }),
      readOnly: z.boolean().optional(),
    })
    .superRefine((spec, ctx) => {
      if (spec.type !== 'embedded' && spec.url === undefined && (spec.host === undefined || spec.database === undefined)) {
        ctx.addIssue({
          code: 'custom',
          message: `a ${spec.type} datasource needs either url or host and database`,
          params: { code: 'missing-field' },
        });
      }
    }),
});
export type WrittenDataSource = z.infer<typeof DataSourceSchema>;
type Secret = z.infer<typeof SecretRef>;

export interface DataSource {
  kind: 'DataSource';
  name: string;
  type: 'postgis' | 'postgresql' | 'embedded';
  url?: Secret | string;
  host?: string;
  port: number;
  database?: string;
  user?: Secret | string;
  password?: Secret | string;
  sslmode?: WrittenDataSource['spec']['sslmode'];
  schema: string;
  pool: { min: number; max: number; idleTimeoutMs: number };
  statementTimeoutMs?: number;
  connectTimeoutMs: number;
  path?: string;
  /** What a new embedded database starts with. */
  seed: 'sample-city' | 'empty';
  readOnly: boolean;
  origin: Origin;
}

export function normalizeDataSource(doc: WrittenDataSource, origin: Origin): DataSource {
  const s = doc.spec;
  const ds: DataSource = {
    kind: 'DataSource',
    name: doc.metadata.name,
    type: s.type,
    port: s.port ?? 5432,
    schema: s.schema ?? 'public',
    pool: { min: s.pool?.min ?? 0, max: s.pool?.max ?? 10, idleTimeoutMs: parseDuration(s.pool?.idleTimeout ?? '30s') ?? 30_000 },
    connectTimeoutMs: parseDuration(s.connectTimeout ?? '10s') ?? 10_000,
    readOnly: s.readOnly ?? false,
    seed: s.seed ?? 'sample-city',
    origin,
  };
  if (s.url !== undefined) ds.url = s.url;
  if (s.host !== undefined) ds.host = s.host;
  if (s.database !== undefined) ds.database = s.database;
  if (s.user !== undefined) ds.user = s.user;
  if (s.password !== undefined) ds.password = s.password;
  if (s.sslmode !== undefined) ds.sslmode = s.sslmode;
  if (s.statementTimeout !== undefined) ds.statementTimeoutMs = parseDuration(s.statementTimeout) ?? 0;
  if (s.path !== undefined) ds.path = s.path;
  return ds;
}
