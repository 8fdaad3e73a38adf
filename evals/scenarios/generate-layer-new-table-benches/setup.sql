CREATE TABLE benches (
  bench_id integer PRIMARY KEY,
  material text,
  installed date,
  geom geometry(Point, 4326) NOT NULL
);
COMMENT ON TABLE benches IS 'Public benches along streets and in parks';
INSERT INTO benches VALUES
  (1, 'wood', '2019-05-01', ST_SetSRID(ST_MakePoint(-122.65, 45.52), 4326)),
  (2, 'steel', '2021-08-12', ST_SetSRID(ST_MakePoint(-122.66, 45.51), 4326)),
  (3, 'concrete', '2015-03-30', ST_SetSRID(ST_MakePoint(-122.64, 45.53), 4326));
