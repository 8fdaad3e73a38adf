-- 001: the city's first published layers.
SET lock_timeout = '5s';
SET statement_timeout = '60s';

CREATE EXTENSION IF NOT EXISTS postgis;

CREATE TABLE IF NOT EXISTS bike_lanes (
  id           integer PRIMARY KEY,
  name         varchar(200),
  lane_type    varchar(50),
  width_ft     double precision,
  last_updated timestamptz DEFAULT now(),
  geom         geometry(LineString, 4326) NOT NULL
);
COMMENT ON TABLE bike_lanes IS 'Bicycle lane network maintained by the transportation department';

CREATE TABLE IF NOT EXISTS zoning (
  id            integer PRIMARY KEY,
  zone_code     varchar(10) NOT NULL,
  zone_name     varchar(100),
  max_height_ft integer,
  adopted       date,
  geom          geometry(MultiPolygon, 4326) NOT NULL
);
CREATE INDEX IF NOT EXISTS idx_zoning_geom ON zoning USING GIST (geom);
COMMENT ON TABLE zoning IS 'Base zoning districts adopted by city council';

CREATE TABLE IF NOT EXISTS transit_stops (
  stop_id               integer PRIMARY KEY,
  stop_name             varchar(120),
  mode                  varchar(20),
  routes                text,
  wheelchair_accessible boolean DEFAULT false,
  geom                  geometry(Point, 4326) NOT NULL
);
CREATE INDEX IF NOT EXISTS idx_transit_stops_geom ON transit_stops USING GIST (geom);
COMMENT ON TABLE transit_stops IS 'Bus and light rail stops';
