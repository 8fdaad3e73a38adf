-- 002: parcels from the county assessor.
SET lock_timeout = '5s';
SET statement_timeout = '60s';

CREATE TABLE IF NOT EXISTS parcels (
  parcel_id      integer PRIMARY KEY,
  apn            varchar(20) NOT NULL UNIQUE,
  address        varchar(200),
  land_use       varchar(50),
  zoning_code    varchar(10),
  area_sqft      double precision,
  assessed_value numeric(14, 2),
  year_built     integer,
  geom           geometry(MultiPolygon, 4326) NOT NULL
);
CREATE INDEX IF NOT EXISTS idx_parcels_geom ON parcels USING GIST (geom);
COMMENT ON TABLE parcels IS 'Tax lots from the county assessor';
