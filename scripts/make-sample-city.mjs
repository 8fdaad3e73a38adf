#!/usr/bin/env node
// Generates samples/data/city.sql: the sample city (a made-up dataset laid over Portland, Oregon)
// that Honua's embedded database loads on first use, and that the tests and demos publish.
//
//   node scripts/make-sample-city.mjs
//
// Deterministic: every random choice comes from seeded PRNGs (one stream per table, so changing
// one table does not reshuffle the others), and nothing depends on the clock or the machine.
// The output is plain SQL for the simple query protocol: psql -f and PGlite's db.exec() both load
// it into a database where `CREATE EXTENSION postgis` has already run.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Buffer } from 'node:buffer';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT = path.join(ROOT, 'samples', 'data', 'city.sql');

// ---------------------------------------------------------------------------------------------
// Basics: PRNG, geometry helpers, SQL literals
// ---------------------------------------------------------------------------------------------

/** mulberry32: a small, fast, seedable PRNG returning floats in [0, 1). */
function prng(seed) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  next.range = (lo, hi) => lo + (hi - lo) * next();
  next.int = (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)); // inclusive
  next.pick = (list) => list[Math.floor(next() * list.length)];
  next.chance = (p) => next() < p;
  /** Picks from [[value, weight], ...]. */
  next.weighted = (pairs) => {
    let r = next() * pairs.reduce((sum, [, w]) => sum + w, 0);
    for (const [v, w] of pairs) if ((r -= w) < 0) return v;
    return pairs[pairs.length - 1][0];
  };
  next.shuffle = (list) => {
    const a = [...list];
    for (let i = a.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [a[i], a[j]] = [a[j], a[i]];
    }
    return a;
  };
  return next;
}

const BBOX = { west: -122.8, east: -122.45, south: 45.43, north: 45.62 };
const LAT0 = 45.52;
const M_PER_DEG_LAT = 111132;
const M_PER_DEG_LON = 111320 * Math.cos((LAT0 * Math.PI) / 180);
const FT = 0.3048;

function inBbox([lon, lat]) {
  if (!(lon >= BBOX.west && lon <= BBOX.east && lat >= BBOX.south && lat <= BBOX.north)) {
    throw new Error(`coordinate outside the sample city's bounding box: ${lon} ${lat}`);
  }
}

const distM = ([x1, y1], [x2, y2]) => Math.hypot((x2 - x1) * M_PER_DEG_LON, (y2 - y1) * M_PER_DEG_LAT);

/** Area of a ring (open or closed) in square metres, by the shoelace formula on a local plane. */
function ringAreaM2(ring) {
  let a = 0;
  for (let i = 0; i < ring.length; i++) {
    const [x1, y1] = ring[i];
    const [x2, y2] = ring[(i + 1) % ring.length];
    a += x1 * M_PER_DEG_LON * (y2 * M_PER_DEG_LAT) - x2 * M_PER_DEG_LON * (y1 * M_PER_DEG_LAT);
  }
  return Math.abs(a) / 2;
}

function pointInRing([x, y], ring) {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** A star-shaped (hence simple, valid) ring of n points around a centre. */
function blob(rng, [cx, cy], radiusM, n = 12, squash = 1) {
  const ring = [];
  for (let k = 0; k < n; k++) {
    const a = ((k + rng.range(-0.3, 0.3)) / n) * 2 * Math.PI;
    const r = radiusM * rng.range(0.82, 1.0);
    ring.push([cx + (r * Math.cos(a)) / M_PER_DEG_LON, cy + (r * squash * Math.sin(a)) / M_PER_DEG_LAT]);
  }
  return ring;
}

const rect = (x0, y0, x1, y1) => [
  [x0, y0],
  [x1, y0],
  [x1, y1],
  [x0, y1],
];

// WKT. Rings are kept open in memory and closed on output.
const num6 = (v) => v.toFixed(6);
const xy = ([x, y]) => `${num6(x)} ${num6(y)}`;
const closed = (ring) => [...ring, ring[0]];
const wktRings = (rings) => `(${rings.map((r) => `(${closed(r).map(xy).join(',')})`).join(',')})`;
const wkt = {
  point: (p) => `POINT(${xy(p)})`,
  line: (pts) => `LINESTRING(${pts.map(xy).join(',')})`,
  multiLine: (lines) => `MULTILINESTRING(${lines.map((l) => `(${l.map(xy).join(',')})`).join(',')})`,
  polygon: (rings) => `POLYGON${wktRings(rings)}`,
  multiPolygon: (polys) => `MULTIPOLYGON(${polys.map(wktRings).join(',')})`,
};
function checkCoords(value) {
  if (typeof value[0] === 'number') inBbox(value);
  else value.forEach(checkCoords);
}
const geom = (text) => `ST_GeomFromText('${text}', 4326)`;
const geog = (text) => `ST_GeogFromText('SRID=4326;${text}')`;

// SQL literals.
const str = (s) => (s == null ? 'NULL' : `'${String(s).replace(/'/g, "''")}'`);
const numLit = (v, digits) => (v == null ? 'NULL' : digits == null ? String(v) : v.toFixed(digits));
const bool = (b) => (b ? 'true' : 'false');
const textArray = (items) => `ARRAY[${items.map(str).join(', ')}]::text[]`;
const pad = (n, w = 2) => String(n).padStart(w, '0');
function dateBetween(rng, from, to) {
  const t = rng.range(Date.parse(`${from}T00:00:00Z`), Date.parse(`${to}T00:00:00Z`));
  const d = new Date(t);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}
function timestampBetween(rng, from, to) {
  // Working hours, Pacific time; written in UTC so the value does not depend on the session's TimeZone.
  const day = dateBetween(rng, from, to);
  const t = new Date(Date.parse(`${day}T00:00:00Z`) + (rng.int(8 * 60, 17 * 60) + 7 * 60) * 60000 + rng.int(0, 59) * 1000);
  return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())} ${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())}+00`;
}

/** INSERT statements, up to 100 rows each. */
function inserts(table, columns, rows) {
  const out = [];
  for (let i = 0; i < rows.length; i += 100) {
    const chunk = rows.slice(i, i + 100).map((r) => `  (${r.join(', ')})`);
    out.push(`INSERT INTO ${table} (${columns.join(', ')}) VALUES\n${chunk.join(',\n')};`);
  }
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------
// Portland's street grid, roughly: quadrants, numbered avenues and the named east-west streets
// ---------------------------------------------------------------------------------------------

const BURNSIDE_LAT = 45.523;
const WILLIAMS_LON = -122.6667; // divides N from NE
const RIVER_LON = -122.6715; // the Willamette, near downtown; divides SW from SE

function quadrant([lon, lat]) {
  if (lat >= BURNSIDE_LAT) {
    if (lon >= WILLIAMS_LON) return 'NE';
    return lat >= 45.545 ? 'N' : 'NW';
  }
  return lon >= RIVER_LON ? 'SE' : 'SW';
}

const ordinal = (n) => {
  const t = n % 100;
  if (t >= 11 && t <= 13) return `${n}th`;
  return `${n}${{ 1: 'st', 2: 'nd', 3: 'rd' }[n % 10] ?? 'th'}`;
};

// Named east-west streets, east side (latitude).
const EAST_STREETS = [
  ['Flavel', 45.465],
  ['Duke', 45.472],
  ['Woodstock', 45.479],
  ['Holgate', 45.4905],
  ['Powell', 45.4975],
  ['Division', 45.5047],
  ['Lincoln', 45.5078],
  ['Hawthorne', 45.5121],
  ['Belmont', 45.5163],
  ['Stark', 45.5193],
  ['Burnside', 45.523],
  ['Glisan', 45.5263],
  ['Halsey', 45.533],
  ['Broadway', 45.5349],
  ['Tillamook', 45.538],
  ['Knott', 45.541],
  ['Fremont', 45.5485],
  ['Skidmore', 45.5525],
  ['Prescott', 45.5555],
  ['Alberta', 45.559],
  ['Killingsworth', 45.5627],
  ['Rosa Parks', 45.57],
  ['Lombard', 45.5775],
  ['Columbia', 45.585],
  ['Marine Dr', 45.598],
  ['Hayden Island', 45.609],
];
// Named east-west streets in Northwest (latitude).
const NW_STREETS = [
  ['Burnside', 45.523],
  ['Everett', 45.525],
  ['Glisan', 45.5265],
  ['Irving', 45.5275],
  ['Johnson', 45.5285],
  ['Lovejoy', 45.5295],
  ['Northrup', 45.531],
  ['Pettygrove', 45.5322],
  ['Raleigh', 45.5332],
  ['Thurman', 45.535],
];
// North-south streets of North Portland (longitude).
const N_AVENUES = [
  ['Williams', -122.6667],
  ['Albina', -122.675],
  ['Interstate', -122.682],
  ['Denver', -122.6865],
  ['Wall', -122.696],
  ['Chautauqua', -122.708],
  ['Portsmouth', -122.717],
  ['Fiske', -122.726],
  ['St Louis', -122.738],
  ['Philadelphia', -122.75],
];

const nearestRow = (table, v) => table.reduce((best, row) => (Math.abs(row[1] - v) < Math.abs(best[1] - v) ? row : best));

/** The nearest north-south cross street at a longitude (numbered avenue, or named in North Portland): [name, its longitude]. */
function crossAvenue([lon, lat]) {
  if (lon >= WILLIAMS_LON) {
    const n = Math.max(1, Math.round(1.25 + (lon + 122.665) * 935));
    return [ordinal(n), -122.665 + (n - 1.25) / 935];
  }
  if (lat >= 45.545) return nearestRow(N_AVENUES, lon);
  const n = Math.max(1, Math.round(1 + (RIVER_LON - lon) * 850));
  return [ordinal(n), RIVER_LON - (n - 1) / 850];
}
/** The nearest named east-west cross street at a latitude: [name, its latitude]. */
function crossStreet([lon, lat]) {
  if (lon < -122.675 && lat >= BURNSIDE_LAT && lat < 45.545) return nearestRow(NW_STREETS, lat);
  return nearestRow(EAST_STREETS, lat);
}

/** Street-address house number: about 100 per block out from the Willamette, odd on one side of the street, even on the other. */
function houseNumber([lon], parity) {
  const blocks = Math.abs(lon - (lon >= RIVER_LON ? -122.665 : RIVER_LON)) * 935;
  let n = Math.max(100, Math.round(blocks * 100));
  if (n % 2 !== parity) n += 1;
  return n;
}

// ---------------------------------------------------------------------------------------------
// Zoning: 14 districts tiling the city (7 columns x 2 rows, wiggly shared boundaries)
// ---------------------------------------------------------------------------------------------

// [code, name, max height (ft), adopted]
const ZONES = [
  // north row, west to east
  ['OS', 'Open Space', 30, '2002-01-01'],
  ['IH', 'Heavy Industrial', 120, '2006-11-23'],
  ['EG1', 'General Employment 1', 65, '2018-05-24'],
  ['R2.5', 'Residential 2,500', 35, '2021-08-01'],
  ['R5', 'Residential 5,000', 30, '2021-08-01'],
  ['IG1', 'General Industrial 1', 80, '2006-11-23'],
  ['RM1', 'Residential Multi-Dwelling 1', 35, '2020-03-01'],
  // south row, west to east
  ['RS', 'Residential Single-Dwelling', 30, '2021-08-01'],
  ['R7', 'Residential 7,000', 30, '2021-08-01'],
  ['CX', 'Central Commercial', 250, '2018-07-09'],
  ['CM2', 'Commercial/Mixed Use 2', 45, '2018-05-24'],
  ['CM3', 'Commercial/Mixed Use 3', 65, '2018-05-24'],
  ['RM2', 'Residential Multi-Dwelling 2', 45, '2020-03-01'],
  ['CE', 'Commercial Employment', 45, '2018-05-24'],
];

function makeZoning() {
  const rng = prng(1401);
  const COLS = 7;
  const ROWS = 2;
  const K = 3; // boundary nodes per district edge
  const nx = COLS * K;
  const ny = ROWS * K;
  const dx = (BBOX.east - BBOX.west) / nx;
  const dy = (BBOX.north - BBOX.south) / ny;
  const node = [];
  for (let i = 0; i <= nx; i++) {
    node.push([]);
    for (let j = 0; j <= ny; j++) {
      const edge = i === 0 || i === nx || j === 0 || j === ny;
      node[i].push([BBOX.west + i * dx + (edge ? 0 : rng.range(-0.25, 0.25) * dx), BBOX.south + j * dy + (edge ? 0 : rng.range(-0.25, 0.25) * dy)]);
    }
  }
  const districts = [];
  for (let r = ROWS - 1; r >= 0; r--) {
    for (let c = 0; c < COLS; c++) {
      const i0 = c * K;
      const j0 = r * K;
      const ring = [];
      for (let i = i0; i < i0 + K; i++) ring.push(node[i][j0]);
      for (let j = j0; j < j0 + K; j++) ring.push(node[i0 + K][j]);
      for (let i = i0 + K; i > i0; i--) ring.push(node[i][j0 + K]);
      for (let j = j0 + K; j > j0; j--) ring.push(node[i0][j]);
      const [code, name, height, adopted] = ZONES[districts.length];
      districts.push({ id: districts.length + 1, code, name, height, adopted, ring });
    }
  }
  return districts;
}

// ---------------------------------------------------------------------------------------------
// Parks
// ---------------------------------------------------------------------------------------------

const AMENITIES = [
  'playground',
  'restrooms',
  'picnic_area',
  'off_leash_area',
  'tennis_courts',
  'basketball_court',
  'soccer_field',
  'baseball_field',
  'splash_pad',
  'community_garden',
  'trails',
  'pool',
  'skate_park',
  'stage',
];

// [name, lon, lat, acres (target), opened, north-south stretch]
const PARKS = [
  ['Tom McCall Waterfront Park', -122.6712, 45.5158, 37, '1978-05-01', 2.6],
  ['Washington Park', -122.716, 45.511, 410, '1871-03-01'],
  ['Laurelhurst Park', -122.625, 45.521, 31, '1914-06-01'],
  ['Mt. Tabor Park', -122.594, 45.5115, 176, '1909-07-01'],
  ['Peninsula Park', -122.677, 45.568, 16, '1909-05-01'],
  ['Irving Park', -122.655, 45.546, 16, '1920-04-01'],
  ['Westmoreland Park', -122.64, 45.472, 42, '1936-05-15'],
  ['Sellwood Park', -122.658, 45.466, 16, '1909-08-01'],
  ['Woodstock Park', -122.615, 45.477, 10, '1921-06-01'],
  ['Overlook Park', -122.681, 45.55, 11, '1930-07-01'],
  ['Colonel Summers Park', -122.645, 45.515, 6, '1921-05-01'],
  ['Grant Park', -122.631, 45.541, 20, '1922-06-01'],
  ['Alberta Park', -122.646, 45.566, 16, '1921-04-01'],
  ['Fernhill Park', -122.621, 45.569, 24, '1940-05-01'],
  ['Kenilworth Park', -122.631, 45.495, 9, '1909-09-01'],
  ['Brooklyn Park', -122.647, 45.497, 4, '1926-06-01'],
  ['Creston Park', -122.613, 45.497, 8, '1920-07-01'],
  ['Sewallcrest Park', -122.633, 45.502, 5, '1941-06-01'],
  ['Lents Park', -122.565, 45.483, 38, '1922-05-01'],
  ['Wilshire Park', -122.614, 45.553, 14, '1942-06-01'],
  ['Cathedral Park', -122.762, 45.588, 23, '1980-05-24'],
  ['Duniway Park', -122.684, 45.499, 8, '1918-06-01'],
  ['Normandale Park', -122.6, 45.539, 16, '1940-06-01'],
  ['Gabriel Park', -122.711, 45.4735, 90, '1950-06-01'],
];

/** Forest Park: a long strip along the West Hills, from NW Westover north-west past the St. Johns Bridge. */
function forestPark(rng) {
  const spine = [
    [-122.718, 45.536],
    [-122.741, 45.553],
    [-122.757, 45.566],
    [-122.775, 45.58],
    [-122.787, 45.592],
    [-122.791, 45.606],
  ];
  const halfWidth = 1100;
  const east = [];
  const west = [];
  for (let s = 0; s < spine.length; s++) {
    const a = spine[Math.max(0, s - 1)];
    const b = spine[Math.min(spine.length - 1, s + 1)];
    const vx = (b[0] - a[0]) * M_PER_DEG_LON;
    const vy = (b[1] - a[1]) * M_PER_DEG_LAT;
    const len = Math.hypot(vx, vy);
    const [nxm, nym] = [vy / len, -vx / len]; // right-hand normal (points east-north-east here)
    const [x, y] = spine[s];
    const we = halfWidth * rng.range(0.8, 1.1);
    const ww = halfWidth * rng.range(0.8, 1.1);
    east.push([x + (nxm * we) / M_PER_DEG_LON, y + (nym * we) / M_PER_DEG_LAT]);
    west.push([Math.max(BBOX.west + 0.0005, x - (nxm * ww) / M_PER_DEG_LON), y - (nym * ww) / M_PER_DEG_LAT]);
  }
  return [...east, ...west.reverse()];
}

function makeParks() {
  const rng = prng(2502);
  const parks = [
    {
      name: 'Forest Park',
      opened: '1948-09-23',
      polys: [[forestPark(rng)]],
      amenities: ['trails', 'picnic_area', 'restrooms'],
    },
  ];
  for (const [name, lon, lat, acres, opened, stretch] of PARKS) {
    const r = Math.sqrt((acres * 4046.86) / (Math.PI * (stretch ?? 1))) / 0.9;
    const amenities = AMENITIES.filter(() => rng.chance(acres > 30 ? 0.45 : 0.28));
    if (amenities.length === 0) amenities.push('playground');
    parks.push({ name, opened, polys: [[blob(rng, [lon, lat], r, acres > 50 ? 16 : 10, stretch ?? rng.range(0.75, 1.1))]], amenities });
  }
  // Westmoreland Park has a separate parcel across SE McLoughlin Blvd: a two-part MultiPolygon.
  const westmoreland = parks.find((p) => p.name === 'Westmoreland Park');
  westmoreland.polys.push([blob(rng, [-122.6475, 45.4705], 90, 8)]);
  parks.forEach((p, i) => {
    p.id = i + 1;
    p.acres = p.polys.reduce((sum, [shell]) => sum + ringAreaM2(shell), 0) / 4046.86;
  });
  return parks;
}

// ---------------------------------------------------------------------------------------------
// Neighborhoods: non-overlapping blobs around real neighborhood centres
// ---------------------------------------------------------------------------------------------

// [name, district (neighborhood coalition), lon, lat]
const NEIGHBORHOODS = [
  ['Pearl District', 'Neighbors West/Northwest', -122.6835, 45.529],
  ['Downtown', 'Neighbors West/Northwest', -122.679, 45.5165],
  ['Northwest District', 'Neighbors West/Northwest', -122.698, 45.532],
  ['Buckman', 'Southeast Uplift', -122.652, 45.518],
  ['Hosford-Abernethy', 'Southeast Uplift', -122.652, 45.506],
  ['Richmond', 'Southeast Uplift', -122.627, 45.505],
  ['Sellwood-Moreland', 'Southeast Uplift', -122.65, 45.47],
  ['Boise', 'Northeast Coalition of Neighborhoods', -122.672, 45.552],
  ['King', 'Northeast Coalition of Neighborhoods', -122.659, 45.562],
  ['St. Johns', 'North Portland Neighborhood Services', -122.753, 45.589],
  ['Montavilla', 'Southeast Uplift', -122.583, 45.519],
  ['Hillsdale', 'Southwest Neighborhoods Inc.', -122.695, 45.479],
];

function makeNeighborhoods() {
  const rng = prng(1203);
  return NEIGHBORHOODS.map(([name, district, lon, lat], i) => {
    const gap = Math.min(...NEIGHBORHOODS.filter((_, j) => j !== i).map(([, , x, y]) => distM([lon, lat], [x, y])));
    const r = Math.min(1600, 0.45 * gap);
    return { id: i + 1, name, district, ring: blob(rng, [lon, lat], r, 14) };
  });
}

// ---------------------------------------------------------------------------------------------
// Bike lanes: 42 real street names with roughly real alignments
// ---------------------------------------------------------------------------------------------

const ew = (lat, lon1, lon2) => [
  [lon1, lat],
  [lon2, lat],
];
const ns = (lon, lat1, lat2) => [
  [lon, lat1],
  [lon, lat2],
];

// [name, lane type, alignment]
const BIKE_LANES = [
  ['SE Division St', 'buffered', ew(45.5047, -122.656, -122.579)],
  ['SE Clinton St', 'greenway', ew(45.5033, -122.656, -122.596)],
  ['SE Hawthorne Blvd', 'conventional', ew(45.5121, -122.66, -122.63)],
  ['SE Salmon St', 'greenway', ew(45.5137, -122.653, -122.58)],
  ['SE Lincoln St', 'greenway', ew(45.5078, -122.65, -122.615)],
  ['SE Ankeny St', 'greenway', ew(45.5216, -122.656, -122.61)],
  ['SE Powell Blvd', 'buffered', ew(45.4975, -122.64, -122.58)],
  ['SE Holgate Blvd', 'conventional', ew(45.4905, -122.648, -122.57)],
  ['SE Woodstock Blvd', 'conventional', ew(45.479, -122.635, -122.595)],
  [
    'SE Foster Rd',
    'protected',
    [
      [-122.605, 45.495],
      [-122.59, 45.488],
      [-122.575, 45.482],
      [-122.56, 45.479],
    ],
  ],
  ['SE 12th Ave', 'buffered', ns(-122.6535, 45.495, 45.523)],
  ['SE 26th Ave', 'conventional', ns(-122.639, 45.48, 45.518)],
  ['SE 52nd Ave', 'greenway', ns(-122.6085, 45.478, 45.52)],
  [
    'SE Milwaukie Ave',
    'shared',
    [
      [-122.6575, 45.5],
      [-122.656, 45.49],
      [-122.6525, 45.479],
      [-122.65, 45.47],
    ],
  ],
  ['SE 17th Ave', 'protected', ns(-122.648, 45.465, 45.496)],
  ['SE Stark St', 'buffered', ew(45.5193, -122.58, -122.5)],
  ['E Burnside St', 'shared', ew(45.523, -122.655, -122.62)],
  ['NE Broadway', 'protected', ew(45.5349, -122.666, -122.63)],
  ['NE Multnomah St', 'protected', ew(45.5315, -122.664, -122.633)],
  ['NE Going St', 'greenway', ew(45.5575, -122.666, -122.59)],
  ['NE Tillamook St', 'greenway', ew(45.538, -122.66, -122.62)],
  ['NE Alberta St', 'shared', ew(45.559, -122.66, -122.625)],
  ['NE Killingsworth St', 'conventional', ew(45.5627, -122.665, -122.61)],
  ['NE Halsey St', 'buffered', ew(45.533, -122.6, -122.53)],
  [
    'NE Sandy Blvd',
    'buffered',
    [
      [-122.654, 45.5235],
      [-122.64, 45.53],
      [-122.62, 45.536],
      [-122.6, 45.542],
      [-122.58, 45.548],
      [-122.565, 45.553],
    ],
  ],
  ['NE 7th Ave', 'buffered', ns(-122.6587, 45.53, 45.57)],
  ['NE 122nd Ave', 'buffered', ns(-122.538, 45.505, 45.56)],
  ['NE Marine Dr', 'conventional', ew(45.598, -122.65, -122.56)],
  ['N Williams Ave', 'buffered', ns(-122.6667, 45.533, 45.57)],
  ['N Vancouver Ave', 'buffered', ns(-122.6677, 45.533, 45.57)],
  [
    'N Interstate Ave',
    'conventional',
    [
      [-122.672, 45.536],
      [-122.677, 45.544],
      [-122.682, 45.552],
      [-122.685, 45.562],
      [-122.686, 45.5775],
    ],
  ],
  ['N Rosa Parks Way', 'protected', ew(45.57, -122.69, -122.66)],
  ['N Lombard St', 'shared', ew(45.5775, -122.72, -122.688)],
  [
    'N Willamette Blvd',
    'conventional',
    [
      [-122.688, 45.564],
      [-122.7, 45.569],
      [-122.715, 45.574],
      [-122.73, 45.58],
      [-122.74, 45.584],
    ],
  ],
  ['NW Everett St', 'protected', ew(45.525, -122.698, -122.676)],
  ['NW Flanders St', 'greenway', ew(45.5258, -122.7, -122.674)],
  ['SW Broadway', 'protected', ns(-122.681, 45.508, 45.523)],
  ['SW Moody Ave', 'protected', ns(-122.6715, 45.492, 45.505)],
  [
    'SW Terwilliger Blvd',
    'conventional',
    [
      [-122.684, 45.5],
      [-122.686, 45.493],
      [-122.687, 45.486],
      [-122.686, 45.478],
      [-122.683, 45.47],
    ],
  ],
  [
    'SW Barbur Blvd',
    'buffered',
    [
      [-122.68, 45.4995],
      [-122.69, 45.488],
      [-122.7, 45.478],
      [-122.712, 45.468],
      [-122.725, 45.455],
    ],
  ],
  ['SW Vermont St', 'conventional', ew(45.477, -122.725, -122.695)],
  [
    'SW Multnomah Blvd',
    'buffered',
    [
      [-122.695, 45.47],
      [-122.71, 45.468],
      [-122.725, 45.466],
    ],
  ],
];

/** Adds a vertex about every 250 m, nudged a metre or two sideways, as a digitised centreline would have. */
function digitise(rng, pts) {
  const out = [pts[0]];
  for (let i = 1; i < pts.length; i++) {
    const [a, b] = [pts[i - 1], pts[i]];
    const steps = Math.max(1, Math.round(distM(a, b) / 250));
    for (let s = 1; s <= steps; s++) {
      const t = s / steps;
      const last = s === steps;
      out.push([
        a[0] + (b[0] - a[0]) * t + (last ? 0 : rng.range(-2, 2) / M_PER_DEG_LON),
        a[1] + (b[1] - a[1]) * t + (last ? 0 : rng.range(-2, 2) / M_PER_DEG_LAT),
      ]);
    }
  }
  return out;
}

function makeBikeLanes() {
  const rng = prng(4242);
  const widths = { protected: [6.5, 8], buffered: [5.5, 7], conventional: [4.5, 6], greenway: [4, 5], shared: [4, 4.5] };
  return BIKE_LANES.map(([name, type, pts], i) => ({
    id: i + 1,
    name,
    type,
    width: Math.round(rng.range(...widths[type]) * 2) / 2,
    updated: timestampBetween(rng, '2023-01-03', '2025-09-30'),
    line: digitise(rng, pts),
  }));
}

// ---------------------------------------------------------------------------------------------
// Transit: 10 routes (transit.routes) and the stops along them (transit_stops)
// ---------------------------------------------------------------------------------------------

const station = (pairs) => ({ stations: pairs });
const leg = (street, pts, stops = []) => ({ street, pts, stops });
/** A stretch with no stops of its own (bridges, downtown couplets), or only the named ones given. */
const connector = (pts, stops = []) => ({ street: null, pts, stops });
const SW_MAIN_2ND = [['SW Main & 2nd', -122.6745, 45.51475]];
const SW_MORRISON_3RD = [['SW Morrison & 3rd', -122.6755, 45.5185]];

const DOWNTOWN_TO_HAWTHORNE = [
  [-122.679, 45.517],
  [-122.672, 45.5135],
  [-122.664, 45.5121],
];
const ROUTES = [
  {
    id: 4,
    name: '4-Division/Fessenden',
    mode: 'bus',
    parts: [
      [
        connector(DOWNTOWN_TO_HAWTHORNE, SW_MAIN_2ND),
        connector([
          [-122.664, 45.5121],
          [-122.659, 45.5047],
        ]),
        leg('{Q} Division', ew(45.5047, -122.659, -122.538)),
      ],
      [
        leg('N Williams', ns(WILLIAMS_LON, 45.533, 45.5627)),
        leg('N Albina', [
          [WILLIAMS_LON, 45.5627],
          [-122.675, 45.564],
          [-122.675, 45.5775],
        ]),
        leg('N Fessenden', [
          [-122.675, 45.5775],
          [-122.7, 45.58],
          [-122.72, 45.585],
          [-122.735, 45.588],
          [-122.751, 45.59],
        ]),
      ],
    ],
  },
  {
    id: 6,
    name: '6-Martin Luther King Jr Blvd',
    mode: 'bus',
    parts: [
      [
        connector(
          [
            [-122.679, 45.5185],
            [-122.67, 45.518],
            [-122.6613, 45.5175],
          ],
          SW_MORRISON_3RD,
        ),
        leg('{Q} MLK Jr', ns(-122.6613, 45.5175, 45.57)),
        leg('NE MLK Jr', [
          [-122.6613, 45.57],
          [-122.664, 45.582],
          [-122.67, 45.592],
        ]),
        leg('N Jantzen', [
          [-122.67, 45.592],
          [-122.679, 45.605],
          [-122.685, 45.612],
        ]),
      ],
    ],
  },
  {
    id: 14,
    name: '14-Hawthorne',
    mode: 'bus',
    parts: [
      [
        connector(DOWNTOWN_TO_HAWTHORNE, SW_MAIN_2ND),
        leg('{Q} Hawthorne', ew(45.5121, -122.664, -122.6105)),
        leg('SE 50th', ns(-122.6105, 45.5121, 45.496)),
        leg('SE Foster', [
          [-122.6105, 45.496],
          [-122.59, 45.488],
          [-122.575, 45.482],
          [-122.56, 45.479],
          [-122.545, 45.476],
        ]),
      ],
    ],
  },
  {
    id: 15,
    name: '15-Belmont/NW 23rd',
    mode: 'bus',
    parts: [
      [
        leg('NW 23rd', ns(-122.6985, 45.535, 45.523)),
        connector(
          [
            [-122.6985, 45.523],
            [-122.68, 45.5195],
            [-122.669, 45.5175],
            [-122.66, 45.5163],
          ],
          SW_MORRISON_3RD,
        ),
        leg('{Q} Belmont', ew(45.5163, -122.66, -122.564)),
      ],
    ],
  },
  {
    id: 72,
    name: '72-Killingsworth/82nd Ave',
    mode: 'bus',
    parts: [[leg('{Q} Killingsworth', ew(45.5627, -122.7, -122.5786)), leg('{Q} 82nd', ns(-122.5786, 45.5627, 45.465))]],
  },
  {
    id: 75,
    name: '75-Cesar Chavez/Lombard',
    mode: 'bus',
    parts: [
      [
        leg('N Lombard', [
          [-122.751, 45.59],
          [-122.735, 45.585],
          [-122.72, 45.58],
          [-122.7, 45.5775],
          [WILLIAMS_LON, 45.5775],
        ]),
        leg('NE Lombard', ew(45.5775, WILLIAMS_LON, -122.6225)),
        leg('{Q} Cesar Chavez', ns(-122.6225, 45.5775, 45.47)),
      ],
    ],
  },
  {
    id: 100,
    name: 'MAX Blue Line',
    mode: 'light_rail',
    parts: [
      [
        station([
          ['Sunset TC MAX Station', -122.787, 45.5106],
          ['Washington Park MAX Station', -122.7166, 45.51],
          ['Goose Hollow/SW Jefferson St MAX Station', -122.6905, 45.5185],
          ['Providence Park MAX Station', -122.689, 45.5215],
          ['Library/SW 9th Ave MAX Station', -122.681, 45.519],
          ['Pioneer Square North MAX Station', -122.6789, 45.5195],
          ['Mall/SW 4th Ave MAX Station', -122.676, 45.5195],
          ['Oak/SW 1st Ave MAX Station', -122.6735, 45.5215],
          ['Old Town/Chinatown MAX Station', -122.6745, 45.5245],
          ['Rose Quarter TC MAX Station', -122.6665, 45.5305],
          ['Convention Center MAX Station', -122.663, 45.5285],
          ['NE 7th Ave MAX Station', -122.6585, 45.53],
          ['Lloyd Center/NE 11th Ave MAX Station', -122.654, 45.531],
          ['Hollywood/NE 42nd Ave TC MAX Station', -122.6195, 45.533],
          ['NE 60th Ave MAX Station', -122.6015, 45.5285],
          ['NE 82nd Ave MAX Station', -122.579, 45.5315],
          ['Gateway/NE 99th Ave TC MAX Station', -122.5635, 45.5305],
          ['E 102nd Ave MAX Station', -122.5575, 45.5225],
          ['E 122nd Ave MAX Station', -122.5385, 45.5222],
          ['E 148th Ave MAX Station', -122.5135, 45.522],
          ['E 162nd Ave MAX Station', -122.4985, 45.522],
          ['E 172nd Ave MAX Station', -122.488, 45.5215],
          ['E 181st Ave MAX Station', -122.479, 45.5205],
        ]),
      ],
    ],
  },
  {
    id: 190,
    name: 'MAX Yellow Line',
    mode: 'light_rail',
    parts: [
      [
        station([
          ['Expo Center MAX Station', -122.6845, 45.604],
          ['Delta Park/Vanport MAX Station', -122.6815, 45.596],
          ['Kenton/N Denver Ave MAX Station', -122.6862, 45.5832],
          ['N Lombard TC MAX Station', -122.686, 45.5775],
          ['Rosa Parks MAX Station', -122.6857, 45.57],
          ['N Killingsworth St MAX Station', -122.6855, 45.5625],
          ['N Prescott St MAX Station', -122.684, 45.5555],
          ['Overlook Park MAX Station', -122.682, 45.549],
          ['Albina/Mississippi MAX Station', -122.6755, 45.544],
          ['Interstate/Rose Quarter MAX Station', -122.67, 45.5335],
          ['Union Station/NW 6th & Hoyt MAX Station', -122.6767, 45.5283],
          ['NW 5th & Couch MAX Station', -122.676, 45.524],
          ['SW 5th & Oak MAX Station', -122.6765, 45.521],
          ['Pioneer Place/SW 5th MAX Station', -122.6773, 45.518],
          ['City Hall/SW 5th & Jefferson MAX Station', -122.679, 45.5145],
          ['PSU Urban Center/SW 5th & Mill MAX Station', -122.683, 45.5115],
          ['PSU South/SW 5th & Jackson MAX Station', -122.6845, 45.509],
        ]),
      ],
    ],
  },
  {
    id: 290,
    name: 'MAX Orange Line',
    mode: 'light_rail',
    parts: [
      [
        station([
          ['Union Station/NW 6th & Hoyt MAX Station', -122.6767, 45.5283],
          ['NW 5th & Couch MAX Station', -122.676, 45.524],
          ['SW 5th & Oak MAX Station', -122.6765, 45.521],
          ['Pioneer Place/SW 5th MAX Station', -122.6773, 45.518],
          ['City Hall/SW 5th & Jefferson MAX Station', -122.679, 45.5145],
          ['PSU Urban Center/SW 5th & Mill MAX Station', -122.683, 45.5115],
          ['PSU South/SW 5th & Jackson MAX Station', -122.6845, 45.509],
          ['Lincoln St/SW 3rd Ave MAX Station', -122.6795, 45.507],
          ['South Waterfront/SW Moody MAX Station', -122.6718, 45.501],
          ['OMSI/SE Water MAX Station', -122.663, 45.507],
          ['Clinton St/SE 12th Ave MAX Station', -122.6535, 45.503],
          ['SE 17th Ave & Rhine St MAX Station', -122.6475, 45.4965],
          ['SE 17th Ave & Holgate Blvd MAX Station', -122.647, 45.4895],
          ['SE Bybee Blvd MAX Station', -122.6345, 45.4745],
          ['SE Tacoma/Johnson Creek MAX Station', -122.629, 45.464],
          ['Milwaukie/Main St MAX Station', -122.6375, 45.4445],
        ]),
      ],
    ],
  },
  {
    id: 193,
    name: 'Portland Streetcar NS Line',
    mode: 'streetcar',
    parts: [
      [
        station([
          ['NW 23rd & Marshall', -122.6985, 45.5315],
          ['NW Lovejoy & 22nd', -122.6965, 45.5297],
          ['NW Northrup & 18th', -122.6905, 45.531],
          ['NW Northrup & 14th', -122.686, 45.5312],
          ['NW 11th & Johnson', -122.6825, 45.5287],
          ['NW 11th & Glisan', -122.6823, 45.5265],
          ['NW 10th & Couch', -122.6815, 45.5238],
          ['SW 10th & Alder', -122.6815, 45.5205],
          ['SW 11th & Clay', -122.6865, 45.515],
          ['SW Park & Market', -122.6848, 45.5125],
          ['PSU South/SW College', -122.6838, 45.5082],
          ['SW Harrison & 1st', -122.678, 45.5065],
          ['SW Moody & Meade', -122.672, 45.503],
          ['SW Moody & Gibbs', -122.6715, 45.499],
          ['SW Bond & Lane', -122.6705, 45.4955],
          ['SW Lowell & Bond', -122.6705, 45.492],
        ]),
      ],
    ],
  },
];

const BUS_STOP_SPACING_M = 1800;

/** Where two segments meet (ends included), or null. */
function crossing([a, b], [c, d]) {
  const r = [b[0] - a[0], b[1] - a[1]];
  const s = [d[0] - c[0], d[1] - c[1]];
  const den = r[0] * s[1] - r[1] * s[0];
  if (Math.abs(den) < 1e-14) return null; // parallel
  const t = ((c[0] - a[0]) * s[1] - (c[1] - a[1]) * s[0]) / den;
  const u = ((c[0] - a[0]) * r[1] - (c[1] - a[1]) * r[0]) / den;
  const eps = 1e-9;
  return t >= -eps && t <= 1 + eps && u >= -eps && u <= 1 + eps ? [a[0] + r[0] * t, a[1] + r[1] * t] : null;
}
const withoutQuadrant = (street) => street.replace(/^(\{Q\}|N|NE|NW|SE|SW|E|W) /, '');

/** Transfer stops where two bus routes' streets cross, named after both streets. */
function transferStops() {
  const legs = [];
  for (const route of ROUTES.filter((r) => r.mode === 'bus'))
    for (const part of route.parts) for (const piece of part) if (piece.street) legs.push({ route: route.id, ...piece });
  const found = [];
  for (let i = 0; i < legs.length; i++) {
    for (let j = i + 1; j < legs.length; j++) {
      const [A, B] = [legs[i], legs[j]];
      if (A.route === B.route) continue;
      for (let m = 1; m < A.pts.length; m++) {
        for (let n = 1; n < B.pts.length; n++) {
          const p = crossing([A.pts[m - 1], A.pts[m]], [B.pts[n - 1], B.pts[n]]);
          if (p) found.push({ name: `${A.street.replace('{Q}', quadrant(p))} & ${withoutQuadrant(B.street)}`, p, routes: [A.route, B.route] });
        }
      }
    }
  }
  return found;
}
const SAME_STOP_M = 60;

function makeTransit() {
  const rng = prng(7301);
  const stops = [];
  const addStop = (name, p, route, mode) => {
    const same = stops.find((s) => s.mode === mode && distM(s.p, p) < SAME_STOP_M);
    if (same) {
      same.routes.add(route);
      return;
    }
    stops.push({ name, p, mode, routes: new Set([route]) });
  };
  for (const t of transferStops()) for (const r of t.routes) addStop(t.name, t.p, r, 'bus');
  const routes = [];
  for (const route of ROUTES) {
    const lines = [];
    for (const part of route.parts) {
      const line = [];
      const append = (pts) => pts.forEach((p) => (line.length && distM(line[line.length - 1], p) < 1 ? null : line.push(p)));
      for (const piece of part) {
        if (piece.stations) {
          append(piece.stations.map(([, lon, lat]) => [lon, lat]));
          for (const [name, lon, lat] of piece.stations) addStop(name, [lon, lat], route.id, route.mode);
          continue;
        }
        append(piece.pts);
        for (const [name, lon, lat] of piece.stops) addStop(name, [lon, lat], route.id, route.mode);
        if (!piece.street) continue;
        // Stops every BUS_STOP_SPACING_M along the leg, the first half a spacing in.
        let want = BUS_STOP_SPACING_M / 2;
        let walked = 0;
        for (let i = 1; i < piece.pts.length; i++) {
          const [a, b] = [piece.pts[i - 1], piece.pts[i]];
          const len = distM(a, b);
          while (want <= walked + len) {
            const t = (want - walked) / len;
            const at = (u) => [a[0] + (b[0] - a[0]) * u, a[1] + (b[1] - a[1]) * u];
            // Move the stop to the nearest cross street, which names it.
            const eastWest = Math.abs((b[0] - a[0]) * M_PER_DEG_LON) > Math.abs((b[1] - a[1]) * M_PER_DEG_LAT);
            const axis = eastWest ? 0 : 1;
            const [cross, v] = (eastWest ? crossAvenue : crossStreet)(at(t));
            const p = at(Math.min(1, Math.max(0, (v - a[axis]) / (b[axis] - a[axis]))));
            addStop(`${piece.street.replace('{Q}', quadrant(p))} & ${cross}`, p, route.id, route.mode);
            want += BUS_STOP_SPACING_M;
          }
          walked += len;
        }
      }
      lines.push(line);
    }
    routes.push({ id: route.id, name: route.name, mode: route.mode, lines });
  }
  let id = 1000;
  for (const s of stops) {
    id += rng.int(1, 120);
    s.id = id;
    s.accessible = s.mode === 'bus' ? rng.chance(0.8) : true;
  }
  return { routes, stops };
}

// ---------------------------------------------------------------------------------------------
// Parcels: 25 blocks of 12 lots
// ---------------------------------------------------------------------------------------------

// [lon, lat of the block's south-west corner, street fronting the north row, street fronting the south row]
const BLOCKS = [
  [-122.64, 45.5036, 'Division St', 'Clinton St'],
  [-122.63, 45.5108, 'Hawthorne Blvd', 'Madison St'],
  [-122.62, 45.515, 'Belmont St', 'Yamhill St'],
  [-122.625, 45.4892, 'Holgate Blvd', 'Center St'],
  [-122.625, 45.4785, 'Woodstock Blvd', 'Martins St'],
  [-122.585, 45.518, 'Stark St', 'Washington St'],
  [-122.57, 45.4892, 'Holgate Blvd', 'Harold St'],
  [-122.68, 45.5168, 'Morrison St', 'Yamhill St'],
  [-122.677, 45.5108, 'Jefferson St', 'Columbia St'],
  [-122.658, 45.502, 'Clinton St', 'Woodward St'],
  [-122.712, 45.481, 'Vermont St', 'Nevada St'],
  [-122.722, 45.465, 'Multnomah Blvd', 'Canby St'],
  [-122.765, 45.49, 'Hamilton St', 'Dosch Rd'],
  [-122.53, 45.5035, 'Division St', 'Lincoln St'],
  [-122.54, 45.48, 'Foster Rd', 'Ramona St'],
  [-122.49, 45.518, 'Stark St', 'Washington St'],
  [-122.645, 45.5578, 'Alberta St', 'Sumner St'],
  [-122.63, 45.5475, 'Fremont St', 'Klickitat St'],
  [-122.62, 45.5368, 'Tillamook St', 'Hancock St'],
  [-122.58, 45.5615, 'Killingsworth St', 'Jessup St'],
  [-122.59, 45.5398, 'Knott St', 'Russell St'],
  [-122.695, 45.56, 'Going St', 'Basin Ave'],
  [-122.73, 45.575, 'Columbia Blvd', 'Bradford St'],
  [-122.53, 45.564, 'Killingsworth St', 'Portland Hwy'],
  [-122.48, 45.538, 'Halsey St', 'Wasco St'],
];

// The three parcels whose geometry is deliberately invalid (see samples/data/README.md).
const INVALID_PARCELS = { 1042: 'bow-tie', 1137: 'overlapping-parts', 1255: 'hole-outside-shell' };

function zoneFamily(code) {
  if (code === 'OS') return 'open';
  if (/^(IH|IG|EG)/.test(code)) return 'industrial';
  if (/^(CM|CX|CE)/.test(code)) return 'commercial';
  if (/^RM/.test(code)) return 'multi';
  return 'single';
}

const LOTS = {
  // lot frontage (ft), depth (ft), land uses with weights
  single: [
    50,
    100,
    [
      ['residential', 88],
      ['institutional', 3],
      ['vacant', 4],
      ['park', 2],
      ['multifamily', 3],
    ],
  ],
  multi: [
    75,
    100,
    [
      ['multifamily', 60],
      ['residential', 30],
      ['vacant', 5],
      ['institutional', 5],
    ],
  ],
  commercial: [
    100,
    100,
    [
      ['commercial', 48],
      ['mixed_use', 40],
      ['institutional', 6],
      ['vacant', 6],
    ],
  ],
  industrial: [
    150,
    200,
    [
      ['industrial', 85],
      ['utility', 6],
      ['vacant', 9],
    ],
  ],
  open: [100, 100, [['park', 100]]],
};
const VALUE_PER_SQFT = {
  residential: [35, 70],
  multifamily: [45, 90],
  commercial: [80, 200],
  mixed_use: [90, 220],
  industrial: [15, 35],
  institutional: [30, 60],
  park: [5, 15],
  vacant: [20, 45],
  utility: [10, 20],
};
const IMPROVEMENT = {
  residential: [150000, 650000],
  multifamily: [800000, 6000000],
  commercial: [400000, 5000000],
  mixed_use: [1500000, 12000000],
  industrial: [300000, 4000000],
  institutional: [1000000, 8000000],
  utility: [100000, 900000],
};
const BUILT = {
  residential: [1895, 2022],
  multifamily: [1910, 2023],
  commercial: [1905, 2023],
  mixed_use: [1998, 2024],
  industrial: [1940, 2015],
  institutional: [1905, 2010],
  utility: [1950, 2012],
};

function makeParcels(zoning) {
  const rng = prng(3003);
  const zoneAt = (p) => (zoning.find((z) => pointInRing(p, z.ring)) ?? zoning[0]).code;
  const parcels = [];
  const frontages = []; // where street trees can go: [point along the planting strip]
  const apns = new Set();
  let id = 1000;
  for (const [x0, y0, northStreet, southStreet] of BLOCKS) {
    const code = zoneAt([x0, y0]);
    const [wFt, dFt, uses] = LOTS[zoneFamily(code)];
    const d = (dFt * FT) / M_PER_DEG_LAT;
    for (const row of ['south', 'north']) {
      const yLo = row === 'south' ? y0 : y0 + d;
      let x = x0;
      for (let k = 0; k < 6; k++) {
        const lotFt =
          wFt *
          rng.weighted([
            [1, 6],
            [0.8, 1],
            [1.2, 2],
            [1.5, 1],
            [2, 1],
          ]);
        const w = (lotFt * FT) / M_PER_DEG_LON;
        const ring = rect(x, yLo, x + w, yLo + d);
        const centre = [x + w / 2, yLo + d / 2];
        const landUse = rng.weighted(uses);
        const street = row === 'north' ? northStreet : southStreet;
        const area = lotFt * dFt * rng.range(0.995, 1.005);
        const land = area * rng.range(...VALUE_PER_SQFT[landUse]);
        const improvement = IMPROVEMENT[landUse] ? rng.range(...IMPROVEMENT[landUse]) : 0;
        let apn;
        do apn = `R${rng.int(100000, 999999)}`;
        while (apns.has(apn));
        apns.add(apn);
        id += 1;
        parcels.push({
          id,
          apn,
          address: `${houseNumber(centre, row === 'north' ? 0 : 1)} ${quadrant(centre)} ${street}`,
          landUse,
          code,
          area,
          value: landUse === 'park' ? Math.round(land) : land + improvement,
          built: BUILT[landUse] ? rng.int(...BUILT[landUse]) : null,
          polys: [[ring]],
        });
        // Planting strip: about 4 m outside the lot line on the street side.
        const yStrip = row === 'north' ? yLo + d + 4 / M_PER_DEG_LAT : yLo - 4 / M_PER_DEG_LAT;
        frontages.push([x + w * 0.3, yStrip], [x + w * 0.75, yStrip]);
        x += w;
      }
    }
  }
  for (const [pid, kind] of Object.entries(INVALID_PARCELS)) {
    const p = parcels.find((q) => q.id === Number(pid));
    const [[ring]] = p.polys;
    const [[xa, ya], [xb], [, yb]] = [ring[0], ring[1], ring[2]];
    if (kind === 'bow-tie') {
      // Corners digitised in the wrong order: the ring crosses itself.
      p.polys = [
        [
          [
            [xa, ya],
            [xb, yb],
            [xb, ya],
            [xa, yb],
          ],
        ],
      ];
    } else if (kind === 'overlapping-parts') {
      // The lot digitised twice, the copy shifted by a quarter of its width: the parts overlap.
      const shift = (xb - xa) / 4;
      p.polys = [[ring], [ring.map(([x, y]) => [x + shift, y + (yb - ya) / 5])]];
    } else {
      // A garage footprint cut as a hole, but drawn on the neighbouring lot: the hole lies outside the shell.
      const w = xb - xa;
      const h = yb - ya;
      p.polys = [[ring, rect(xb + w * 0.2, ya + h * 0.6, xb + w * 0.45, ya + h * 0.85)]];
    }
  }
  return { parcels, frontages };
}

// ---------------------------------------------------------------------------------------------
// Street trees: along the parcels' frontages, and in parks
// ---------------------------------------------------------------------------------------------

// [species, common name, growth (in dbh per year), max dbh, weight on streets, weight in parks]
const TREES = [
  ['Acer rubrum', 'red maple', 0.45, 30, 12, 2],
  ['Acer platanoides', 'Norway maple', 0.4, 32, 10, 1],
  ['Prunus serrulata', 'Japanese flowering cherry', 0.35, 20, 10, 2],
  ['Pyrus calleryana', 'Callery pear', 0.4, 18, 8, 0],
  ['Quercus rubra', 'northern red oak', 0.45, 40, 6, 4],
  ['Fraxinus latifolia', 'Oregon ash', 0.35, 30, 3, 4],
  ['Cornus kousa', 'kousa dogwood', 0.25, 12, 6, 2],
  ['Carpinus betulus', 'European hornbeam', 0.3, 20, 6, 1],
  ['Liquidambar styraciflua', 'sweetgum', 0.45, 30, 6, 2],
  ['Tilia cordata', 'littleleaf linden', 0.35, 28, 6, 2],
  ['Ginkgo biloba', 'ginkgo', 0.3, 26, 5, 1],
  ['Pseudotsuga menziesii', 'Douglas-fir', 0.5, 60, 2, 12],
  ['Acer macrophyllum', 'bigleaf maple', 0.5, 48, 3, 8],
  ['Malus spp.', 'crabapple', 0.3, 14, 5, 1],
  ['Styrax japonicus', 'Japanese snowbell', 0.25, 10, 4, 0],
  ['Parrotia persica', 'Persian ironwood', 0.25, 16, 3, 1],
  ['Gleditsia triacanthos', 'honeylocust', 0.4, 26, 4, 1],
  ['Zelkova serrata', 'Japanese zelkova', 0.4, 28, 3, 1],
  ['Cercis canadensis', 'eastern redbud', 0.3, 14, 3, 1],
  ['Thuja plicata', 'western redcedar', 0.4, 50, 2, 8],
  ['Quercus garryana', 'Oregon white oak', 0.3, 40, 2, 6],
  ['Ulmus americana', 'American elm', 0.45, 44, 2, 5],
];
const STREET_TREES = 340;
const PARK_TREES = 60;

function makeTrees(frontages, parks) {
  const rng = prng(4004);
  const treeAt = (p, parkId, weightIndex, plantedFrom) => {
    const sp = rng.weighted(TREES.map((t) => [t, t[weightIndex]]));
    const planted = dateBetween(rng, plantedFrom, '2024-11-30');
    const age = 2025.5 - Number(planted.slice(0, 4));
    const dbh = Math.min(sp[3], 1 + age * sp[2] * rng.range(0.7, 1.3));
    const condition = rng.weighted([
      ['good', 55],
      ['fair', 30],
      ['poor', 12],
      ['dead', 3],
    ]);
    return { p, parkId, species: sp[0], common: sp[1], dbh: Math.round(dbh * 10) / 10, planted, condition };
  };
  const trees = [];
  const chosen = rng
    .shuffle(frontages.map((_, i) => i))
    .slice(0, STREET_TREES)
    .sort((a, b) => a - b);
  for (const i of chosen) {
    const [x, y] = frontages[i];
    trees.push(treeAt([x + rng.range(-3, 3) / M_PER_DEG_LON, y + rng.range(-0.5, 0.5) / M_PER_DEG_LAT], null, 4, '1940-01-01'));
  }
  // Park trees: more in bigger parks (square root of the area), at random points inside them.
  const weights = parks.map((p) => [p, Math.sqrt(p.acres)]);
  for (let k = 0; k < PARK_TREES; k++) {
    const park = rng.weighted(weights);
    const shell = park.polys[0][0];
    const xs = shell.map(([x]) => x);
    const ys = shell.map(([, y]) => y);
    let p;
    do p = [rng.range(Math.min(...xs), Math.max(...xs)), rng.range(Math.min(...ys), Math.max(...ys))];
    while (!pointInRing(p, shell));
    trees.push(treeAt(p, park.id, 5, '1900-01-01'));
  }
  let id = 100000;
  for (const t of trees) t.id = id += rng.int(1, 60);
  return trees;
}

// ---------------------------------------------------------------------------------------------
// Air-quality sensors
// ---------------------------------------------------------------------------------------------

function makeSensors() {
  const rng = prng(2020);
  const sensors = [
    { id: 'deq-se-lafayette', p: [-122.6021, 45.4965], installed: '2013-06-12 17:30:00+00' },
    { id: 'deq-n-roselawn', p: [-122.6656, 45.5612], installed: '2017-03-08 18:15:00+00' },
    { id: 'deq-nw-st-helens-rd', p: [-122.7425, 45.5685], installed: '2019-10-01 16:45:00+00' },
  ];
  const ids = new Set();
  while (sensors.length < 20) {
    let n;
    do n = rng.int(10000, 99999);
    while (ids.has(n));
    ids.add(n);
    sensors.push({
      id: `pa-${n}`,
      p: [rng.range(-122.74, -122.5), rng.range(45.45, 45.6)],
      installed: timestampBetween(rng, '2019-04-01', '2024-10-31'),
    });
  }
  for (const s of sensors)
    s.pm25 =
      Math.round(
        rng.weighted([
          [rng.range(2, 9), 70],
          [rng.range(9, 20), 25],
          [rng.range(20, 45), 5],
        ]) * 10,
      ) / 10;
  return sensors;
}

// ---------------------------------------------------------------------------------------------
// The SQL
// ---------------------------------------------------------------------------------------------

const LAND_USE_CODES = [
  ['residential', 'Single-dwelling residential: houses, duplexes and accessory dwelling units'],
  ['multifamily', 'Multi-dwelling residential: apartments, condominiums and rowhouse developments'],
  ['commercial', 'Retail, office and service commercial'],
  ['mixed_use', 'Ground-floor commercial with residential or office space above'],
  ['industrial', 'Manufacturing, warehousing, distribution and other industrial uses'],
  ['institutional', 'Schools, hospitals, places of worship and government facilities'],
  ['park', 'Public parks, natural areas and other open space'],
  ['vacant', 'Undeveloped or cleared land with no permanent structure'],
  ['utility', 'Utilities, rail yards and transportation rights-of-way'],
];

/** A migration's SQL without its session settings, extension and comment lines. */
function migrationSql(file) {
  const text = readFileSync(path.join(ROOT, 'samples', 'honua-config', 'migrations', file), 'utf8');
  return text
    .split('\n')
    .filter((line) => !/^\s*(SET |CREATE EXTENSION|--)/i.test(line))
    .join('\n')
    .trim();
}

const SCHEMA = `-- ---------------------------------------------------------------------------
-- Published layers: the CREATE TABLE statements of
-- samples/honua-config/migrations/001_initial_schema.sql and 002_add_parcels_layer.sql,
-- read from those files so the sample city always matches its migrations.
-- bike_lanes deliberately has no spatial index: migration 003 adds it.
-- ---------------------------------------------------------------------------

${migrationSql('001_initial_schema.sql')}

${migrationSql('002_add_parcels_layer.sql')}

-- ---------------------------------------------------------------------------
-- Tables not (yet) published as layers.
-- ---------------------------------------------------------------------------

CREATE TABLE IF NOT EXISTS parks (
  id        serial PRIMARY KEY,
  name      varchar(120) NOT NULL,
  acres     double precision,
  amenities text[],
  opened    date,
  geom      geometry(MultiPolygon, 4326) NOT NULL
);
CREATE INDEX IF NOT EXISTS idx_parks_geom ON parks USING GIST (geom);

CREATE TABLE IF NOT EXISTS street_trees (
  tree_id     bigint PRIMARY KEY,
  species     varchar(80),
  common_name varchar(80),
  dbh_in      real,
  planted     date,
  condition   varchar(20),
  park_id     integer REFERENCES parks (id),
  geom        geometry(Point, 4326) NOT NULL
);
CREATE INDEX IF NOT EXISTS idx_street_trees_geom ON street_trees USING GIST (geom);
CREATE INDEX IF NOT EXISTS idx_street_trees_park_id ON street_trees (park_id);

CREATE TABLE IF NOT EXISTS neighborhoods (
  id       integer PRIMARY KEY,
  name     varchar(80) NOT NULL,
  district varchar(40),
  geom     geometry(Polygon, 4326) NOT NULL
);
CREATE INDEX IF NOT EXISTS idx_neighborhoods_geom ON neighborhoods USING GIST (geom);

CREATE TABLE IF NOT EXISTS air_sensors (
  sensor_id   text PRIMARY KEY,
  installed   timestamptz,
  pm25_latest real,
  location    geography(Point, 4326) NOT NULL
);
CREATE INDEX IF NOT EXISTS idx_air_sensors_location ON air_sensors USING GIST (location);

CREATE TABLE IF NOT EXISTS land_use_codes (
  code        varchar(20) PRIMARY KEY,
  description text
);

CREATE SCHEMA IF NOT EXISTS transit;

CREATE TABLE IF NOT EXISTS transit.routes (
  route_id   integer PRIMARY KEY,
  route_name text,
  mode       varchar(20),
  geom       geometry(MultiLineString, 4326) NOT NULL
);
CREATE INDEX IF NOT EXISTS idx_transit_routes_geom ON transit.routes USING GIST (geom);

CREATE OR REPLACE VIEW protected_bike_lanes AS
  SELECT id, name, lane_type, geom
  FROM bike_lanes
  -- Written in the form PostgreSQL deparses it to, so a dump and restore reproduce it exactly.
  WHERE (lane_type)::text = ANY (ARRAY['protected'::text, 'buffered'::text]);
`;

const COMMENTS = `-- ---------------------------------------------------------------------------
-- Descriptions
-- ---------------------------------------------------------------------------

COMMENT ON TABLE bike_lanes IS 'Bicycle lane network maintained by the transportation department';
COMMENT ON COLUMN bike_lanes.name IS 'Street the lane runs along, with its quadrant prefix (e.g. SE Division St)';
COMMENT ON COLUMN bike_lanes.lane_type IS 'Facility type: protected, buffered, conventional, greenway or shared';
COMMENT ON COLUMN bike_lanes.width_ft IS 'Rideable width of the lane in feet, excluding any buffer';
COMMENT ON COLUMN bike_lanes.last_updated IS 'When the segment was last field-verified or edited';
COMMENT ON COLUMN bike_lanes.geom IS 'Lane centreline, WGS 84 longitude/latitude';

COMMENT ON TABLE zoning IS 'Base zoning districts adopted by city council';
COMMENT ON COLUMN zoning.zone_code IS 'Base zone code from the zoning code (e.g. R5, CM2, EG1, OS)';
COMMENT ON COLUMN zoning.max_height_ft IS 'Maximum building height allowed in the base zone, in feet';
COMMENT ON COLUMN zoning.adopted IS 'Date the current zone designation took effect';

COMMENT ON TABLE transit_stops IS 'Bus and light rail stops';
COMMENT ON COLUMN transit_stops.stop_name IS 'Public stop name: street and cross street, or the station name';
COMMENT ON COLUMN transit_stops.mode IS 'bus, light_rail or streetcar';
COMMENT ON COLUMN transit_stops.routes IS 'Comma-separated route numbers serving the stop (see transit.routes)';
COMMENT ON COLUMN transit_stops.wheelchair_accessible IS 'True when the stop has a level boarding area and an accessible path';

COMMENT ON TABLE parcels IS 'Tax lots from the county assessor';
COMMENT ON COLUMN parcels.apn IS 'Assessor parcel number (county property ID, R followed by six digits)';
COMMENT ON COLUMN parcels.land_use IS 'Current land use; see land_use_codes';
COMMENT ON COLUMN parcels.zoning_code IS 'Base zone of the lot as recorded by the assessor; matches zoning.zone_code but is not enforced';
COMMENT ON COLUMN parcels.area_sqft IS 'Lot area in square feet, from the recorded plat';
COMMENT ON COLUMN parcels.assessed_value IS 'Total assessed value (land plus improvements) in US dollars, current tax year';
COMMENT ON COLUMN parcels.year_built IS 'Year the primary structure was built; NULL for land without a structure';

COMMENT ON TABLE parks IS 'City parks and natural areas managed by the parks bureau';
COMMENT ON COLUMN parks.acres IS 'Park area in acres';
COMMENT ON COLUMN parks.amenities IS 'Facilities available in the park (playground, restrooms, trails, ...)';
COMMENT ON COLUMN parks.opened IS 'Date the park was acquired or opened to the public';

COMMENT ON TABLE street_trees IS 'Street and park tree inventory collected by volunteer tree-inventory teams';
COMMENT ON COLUMN street_trees.species IS 'Botanical name (genus and species)';
COMMENT ON COLUMN street_trees.dbh_in IS 'Trunk diameter at breast height (4.5 ft above grade), in inches';
COMMENT ON COLUMN street_trees.condition IS 'Assessed condition: good, fair, poor or dead';
COMMENT ON COLUMN street_trees.park_id IS 'Park the tree stands in; NULL for trees in the street right-of-way';

COMMENT ON TABLE neighborhoods IS 'Officially recognized neighborhood association boundaries';
COMMENT ON COLUMN neighborhoods.name IS 'Neighborhood association name';
COMMENT ON COLUMN neighborhoods.district IS 'District coalition the neighborhood association belongs to';

COMMENT ON TABLE air_sensors IS 'Air-quality sensors: state reference monitors (deq-*) and community low-cost sensors (pa-*)';
COMMENT ON COLUMN air_sensors.installed IS 'When the sensor started reporting';
COMMENT ON COLUMN air_sensors.pm25_latest IS 'Latest hourly average of fine particulate matter (PM2.5), in micrograms per cubic metre';
COMMENT ON COLUMN air_sensors.location IS 'Sensor location as a geography (WGS 84), for distances in metres';

COMMENT ON TABLE land_use_codes IS 'Lookup of the land-use categories used in parcels.land_use';
COMMENT ON COLUMN land_use_codes.code IS 'Land-use code as stored in parcels.land_use';
COMMENT ON COLUMN land_use_codes.description IS 'What the category covers';

COMMENT ON SCHEMA transit IS 'Transit agency data maintained outside the city GIS';
COMMENT ON TABLE transit.routes IS 'Transit routes (bus, light rail and streetcar) serving the city';
COMMENT ON COLUMN transit.routes.route_id IS 'Route number as shown to riders (MAX and streetcar lines use their internal numbers)';
COMMENT ON COLUMN transit.routes.mode IS 'bus, light_rail or streetcar';
COMMENT ON COLUMN transit.routes.geom IS 'Route alignment; routes that run in separate pieces have several lines';

COMMENT ON VIEW protected_bike_lanes IS 'Bike lanes physically or visually separated from traffic (protected and buffered lanes)';
`;

function build() {
  const zoning = makeZoning();
  const parks = makeParks();
  const neighborhoods = makeNeighborhoods();
  const bikeLanes = makeBikeLanes();
  const { routes, stops } = makeTransit();
  const { parcels, frontages } = makeParcels(zoning);
  const trees = makeTrees(frontages, parks);
  const sensors = makeSensors();

  for (const coords of [
    zoning.map((z) => z.ring),
    parks.map((p) => p.polys),
    neighborhoods.map((n) => n.ring),
    bikeLanes.map((b) => b.line),
    routes.map((r) => r.lines),
    stops.map((s) => s.p),
    parcels.map((p) => p.polys),
    trees.map((t) => t.p),
    sensors.map((s) => s.p),
  ])
    checkCoords(coords);

  const data = [
    inserts(
      'land_use_codes',
      ['code', 'description'],
      LAND_USE_CODES.map(([c, d]) => [str(c), str(d)]),
    ),
    inserts(
      'zoning',
      ['id', 'zone_code', 'zone_name', 'max_height_ft', 'adopted', 'geom'],
      zoning.map((z) => [z.id, str(z.code), str(z.name), z.height, str(z.adopted), geom(wkt.multiPolygon([[z.ring]]))]),
    ),
    inserts(
      'bike_lanes',
      ['id', 'name', 'lane_type', 'width_ft', 'last_updated', 'geom'],
      bikeLanes.map((b) => [b.id, str(b.name), str(b.type), numLit(b.width, 1), str(b.updated), geom(wkt.line(b.line))]),
    ),
    inserts(
      'transit.routes',
      ['route_id', 'route_name', 'mode', 'geom'],
      routes.map((r) => [r.id, str(r.name), str(r.mode), geom(wkt.multiLine(r.lines))]),
    ),
    inserts(
      'transit_stops',
      ['stop_id', 'stop_name', 'mode', 'routes', 'wheelchair_accessible', 'geom'],
      stops.map((s) => [s.id, str(s.name), str(s.mode), str([...s.routes].sort((a, b) => a - b).join(', ')), bool(s.accessible), geom(wkt.point(s.p))]),
    ),
    inserts(
      'parcels',
      ['parcel_id', 'apn', 'address', 'land_use', 'zoning_code', 'area_sqft', 'assessed_value', 'year_built', 'geom'],
      parcels.map((p) => [
        p.id,
        str(p.apn),
        str(p.address),
        str(p.landUse),
        str(p.code),
        numLit(p.area, 1),
        numLit(p.value, 2),
        numLit(p.built),
        geom(wkt.multiPolygon(p.polys)),
      ]),
    ),
    inserts(
      'parks',
      ['id', 'name', 'acres', 'amenities', 'opened', 'geom'],
      parks.map((p) => [p.id, str(p.name), numLit(p.acres, 2), textArray(p.amenities), str(p.opened), geom(wkt.multiPolygon(p.polys))]),
    ),
    `-- The ids above were given explicitly: move the serial's sequence past them.\nALTER SEQUENCE parks_id_seq RESTART WITH ${parks.length + 1};`,
    inserts(
      'street_trees',
      ['tree_id', 'species', 'common_name', 'dbh_in', 'planted', 'condition', 'park_id', 'geom'],
      trees.map((t) => [t.id, str(t.species), str(t.common), numLit(t.dbh, 1), str(t.planted), str(t.condition), numLit(t.parkId), geom(wkt.point(t.p))]),
    ),
    inserts(
      'neighborhoods',
      ['id', 'name', 'district', 'geom'],
      neighborhoods.map((n) => [n.id, str(n.name), str(n.district), geom(wkt.polygon([n.ring]))]),
    ),
    inserts(
      'air_sensors',
      ['sensor_id', 'installed', 'pm25_latest', 'location'],
      sensors.map((s) => [str(s.id), str(s.installed), numLit(s.pm25, 1), geog(wkt.point(s.p))]),
    ),
  ];

  const counts = {
    bike_lanes: bikeLanes.length,
    zoning: zoning.length,
    transit_stops: stops.length,
    parcels: parcels.length,
    parks: parks.length,
    street_trees: trees.length,
    neighborhoods: neighborhoods.length,
    air_sensors: sensors.length,
    land_use_codes: LAND_USE_CODES.length,
    'transit.routes': routes.length,
  };
  const header = `-- Honua sample city: a made-up city laid over Portland, Oregon (EPSG:4326).
-- GENERATED by scripts/make-sample-city.mjs; do not edit by hand. See samples/data/README.md.
--
-- Plain SQL for the simple query protocol (psql -f, PGlite db.exec). Load it once into an empty
-- database in which CREATE EXTENSION postgis has already run.
--
-- Rows: ${Object.entries(counts)
    .map(([t, n]) => `${t} ${n}`)
    .join(', ')}.
-- Invalid parcel geometries (on purpose): ${Object.entries(INVALID_PARCELS)
    .map(([id, kind]) => `${id} (${kind})`)
    .join(', ')}.
`;
  const sql = [
    header,
    SCHEMA,
    '-- ---------------------------------------------------------------------------\n-- Data\n-- ---------------------------------------------------------------------------\n',
    data.join('\n\n'),
    '',
    COMMENTS,
    'ANALYZE;',
    '',
  ].join('\n');
  return { sql, counts };
}

const { sql, counts } = build();
mkdirSync(path.dirname(OUT), { recursive: true });
writeFileSync(OUT, sql);
process.stdout.write(`wrote ${path.relative(ROOT, OUT)} (${Buffer.byteLength(sql)} bytes)\n`);
for (const [table, n] of Object.entries(counts)) process.stdout.write(`  ${table.padEnd(16)} ${n}\n`);
