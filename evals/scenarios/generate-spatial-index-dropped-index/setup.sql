DROP INDEX idx_neighborhoods_geom;
