SET lock_timeout = '5s';
DROP TABLE IF EXISTS transit_stops;
DROP TABLE IF EXISTS zoning;
DROP TABLE IF EXISTS bike_lanes;
