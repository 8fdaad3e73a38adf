/**
 * Names the generators derive from database identifiers: bike_lanes → bike-lanes (resource
 * name), "Bike Lanes" (title), width_ft → "Width (ft)" (field alias).
 */
const SMALL = new Set(['a', 'an', 'and', 'as', 'at', 'by', 'for', 'in', 'of', 'on', 'or', 'the', 'to']);
const ACRONYMS = new Set(['id', 'apn', 'dbh', 'gis', 'ogc', 'pm25', 'pm10', 'url', 'uuid', 'zip', 'fid', 'gid', 'srid', 'ada', 'gtfs']);
const UNITS: Record<string, string> = {
  ft: 'ft',
  in: 'in',
  m: 'm',
  km: 'km',
  mi: 'mi',
  sqft: 'sq ft',
  sqm: 'm²',
  ac: 'acres',
  pct: '%',
  kg: 'kg',
  mph: 'mph',
  kph: 'km/h',
};

export const words = (identifier: string): string[] =>
  identifier
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w.length > 0)
    .map((w) => w.toLowerCase());

/** A resource name (lowercase, dashes): bike_lanes → bike-lanes; transit.routes → transit-routes. */
export const resourceName = (identifier: string): string =>
  words(identifier)
    .join('-')
    .replace(/^[^a-z]+/, '') || 'layer';

const capitalize = (w: string, first: boolean): string =>
  ACRONYMS.has(w) ? w.toUpperCase() : !first && SMALL.has(w) ? w : w.charAt(0).toUpperCase() + w.slice(1);

/** A title: bike_lanes → Bike Lanes. */
export const titleCase = (identifier: string): string =>
  words(identifier)
    .map((w, i) => capitalize(w, i === 0))
    .join(' ');

/** A field alias: width_ft → Width (ft), stop_id → Stop ID. */
export function fieldAlias(column: string): string {
  const parts = words(column);
  const last = parts.at(-1);
  if (parts.length > 1 && last !== undefined && UNITS[last] !== undefined) {
    return `${titleCase(parts.slice(0, -1).join('_'))} (${UNITS[last]})`;
  }
  return titleCase(column);
}
