/** The conformance classes this server implements (OGC API - Features Part 1 and Part 2). */
export const CONFORMANCE = {
  core: 'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core',
  geojson: 'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson',
  oas30: 'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30',
  html: 'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html',
  crs: 'http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs',
} as const;

export const CRS84 = 'http://www.opengis.net/def/crs/OGC/1.3/CRS84';

export const MEDIA = {
  json: 'application/json',
  geojson: 'application/geo+json',
  html: 'text/html',
  openapi: 'application/vnd.oai.openapi+json;version=3.0',
} as const;
