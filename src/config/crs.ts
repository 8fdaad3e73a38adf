/**
 * Coordinate reference system codes. Users write `EPSG:4326`, `OGC:CRS84` or the OGC URIs
 * (http://www.opengis.net/def/crs/EPSG/0/4326, .../OGC/1.3/CRS84); the engine keeps the short
 * form and produces URIs for OGC API Features Part 2 responses.
 */
const EPSG_SHORT = /^EPSG:(\d{1,6})$/i;
const EPSG_URI = /^https?:\/\/www\.opengis\.net\/def\/crs\/EPSG\/0\/(\d{1,6})$/;
const CRS84 = /^(OGC:)?CRS84$|^https?:\/\/www\.opengis\.net\/def\/crs\/OGC\/1\.3\/CRS84$/i;

/** The canonical short form (`EPSG:4326`, `OGC:CRS84`), or undefined when the code is malformed. */
export function normalizeCrs(code: string): string | undefined {
  const s = code.trim();
  if (CRS84.test(s)) return 'OGC:CRS84';
  const m = EPSG_SHORT.exec(s) ?? EPSG_URI.exec(s);
  if (m && Number(m[1]) > 0) return `EPSG:${Number(m[1])}`;
  return undefined;
}

export const isValidCrs = (code: string): boolean => normalizeCrs(code) !== undefined;

/** The OGC URI of a canonical code. */
export function crsUri(canonical: string): string {
  if (canonical === 'OGC:CRS84') return 'http://www.opengis.net/def/crs/OGC/1.3/CRS84';
  const srid = canonical.slice('EPSG:'.length);
  return `http://www.opengis.net/def/crs/EPSG/0/${srid}`;
}

/** The SRID of a canonical code (CRS84 is 4326 with lon/lat axis order). */
export const crsSrid = (canonical: string): number => (canonical === 'OGC:CRS84' ? 4326 : Number(canonical.slice('EPSG:'.length)));

export const sameCrs = (a: string, b: string): boolean => normalizeCrs(a) !== undefined && normalizeCrs(a) === normalizeCrs(b);
