import { describe, expect, it } from 'vitest';
import { normalizeDataSource } from '../../src/config/kinds/data-source.js';
import { postgresConfig } from '../../src/db/connect.js';

const ds = (spec: Record<string, unknown>) =>
  normalizeDataSource({ apiVersion: 'honua.io/v1', kind: 'DataSource', metadata: { name: 'db' }, spec: { type: 'postgis', ...spec } } as never, {
    file: 'x.yaml',
  });

describe('DataSource → connection', () => {
  it('puts a separate user and password into the URL (pg would let the URL win) and redacts the password', () => {
    const { config, description } = postgresConfig(ds({ url: { fromEnv: 'DB_URL' }, user: 'gis', password: { fromEnv: 'DB_PW' } }), {
      env: { DB_URL: 'postgres://db.city:5432/gis', DB_PW: 's3cr et' },
    });
    expect(config.connectionString).toBe('postgres://gis:s3cr%20et@db.city:5432/gis');
    expect(description).toBe('db (postgres://gis:«redacted»@db.city:5432/gis)');
  });

  it.each([
    ['require', { rejectUnauthorized: false }],
    ['verify-full', { rejectUnauthorized: true }],
    ['disable', false],
  ])('sslmode %s', (sslmode, ssl) => {
    expect(postgresConfig(ds({ host: 'h', database: 'd', sslmode }), { env: {} }).config.ssl).toEqual(ssl);
  });

  it('names a missing secret, not its value', () => {
    expect(() => postgresConfig(ds({ url: { fromEnv: 'NOPE_URL' } }), { env: {} })).toThrow(/environment variable NOPE_URL, which is not set/);
  });
});
