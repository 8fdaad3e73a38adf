import type { Collection, Registry } from '../registry.js';
import { encodeId } from './base-url.js';

/**
 * HTML alternates of every OGC resource (the html conformance class): plain pages a person can
 * browse, and a map of the features (Leaflet, served by this server from node_modules — no CDN).
 * Every value that comes from the configuration or the data is escaped.
 */
export const escapeHtml = (text: unknown): string =>
  String(text ?? '').replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] as string);

export function page(title: string, base: string, body: string, options: { map?: boolean; json?: string } = {}): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
${options.map ? `<link rel="stylesheet" href="${escapeHtml(base)}/static/leaflet/leaflet.css">` : ''}
<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:72rem;color:#1d2733}a{color:#0b5cad}table{border-collapse:collapse}td,th{border:1px solid #ccd;padding:.25rem .5rem;text-align:left;font-size:.9rem}#map{height:28rem;margin:1rem 0;border:1px solid #ccd}code{background:#f3f5f8;padding:0 .2rem}</style>
</head><body>
<nav><a href="${escapeHtml(base)}/?f=html">Home</a> · <a href="${escapeHtml(base)}/collections?f=html">Collections</a> · <a href="${escapeHtml(base)}/api?f=html">API</a> · <a href="${escapeHtml(base)}/conformance?f=html">Conformance</a></nav>
<h1>${escapeHtml(title)}</h1>
${body}
${options.map ? `<script src="${escapeHtml(base)}/static/leaflet/leaflet.js"></script>` : ''}
${
  options.json
    ? `<script>
const data = ${options.json.replace(/</g, '\\u003c')};
const map = L.map('map');
const layer = L.geoJSON(data).addTo(map);
if (layer.getBounds().isValid()) map.fitBounds(layer.getBounds()); else map.setView([0, 0], 2);
</script>`
    : ''
}
</body></html>
`;
}

export function landingHtml(r: Registry, base: string): string {
  return page(
    r.title,
    base,
    `<p>${escapeHtml(r.description)}</p>
<p>Environment <code>${escapeHtml(r.environment)}</code>, ${r.source === 'snapshot' ? `snapshot <code>${escapeHtml(r.id)}</code>` : 'the working tree (nothing deployed yet)'} at commit <code>${escapeHtml(r.commit.slice(0, 7))}</code>.</p>
<ul><li><a href="${escapeHtml(base)}/collections?f=html">${r.collections.size} collections</a></li><li><a href="${escapeHtml(base)}/api">the OpenAPI definition</a> (<a href="${escapeHtml(base)}/api?f=html">as HTML</a>)</li><li><a href="${escapeHtml(base)}/conformance?f=html">conformance classes</a></li></ul>`,
  );
}

export function conformanceHtml(base: string, classes: string[]): string {
  return page('Conformance', base, `<ul>${classes.map((c) => `<li><code>${escapeHtml(c)}</code></li>`).join('')}</ul>`);
}

export function collectionsHtml(r: Registry, base: string): string {
  const rows = [...r.collections.values()]
    .map(
      (c) =>
        `<tr><td><a href="${escapeHtml(base)}/collections/${escapeHtml(encodeId(c.id))}?f=html">${escapeHtml(c.id)}</a></td><td>${escapeHtml(c.title)}</td><td>${escapeHtml(c.description ?? '')}</td></tr>`,
    )
    .join('');
  return page('Collections', base, `<table><tr><th>id</th><th>title</th><th>description</th></tr>${rows}</table>`);
}

export function collectionHtml(c: Collection, base: string): string {
  const href = `${base}/collections/${encodeId(c.id)}`;
  return page(
    c.title,
    base,
    `<p>${escapeHtml(c.description ?? '')}</p>
<p><a href="${escapeHtml(href)}/items?f=html">Browse the features</a> · <a href="${escapeHtml(href)}/items">GeoJSON</a></p>
<table><tr><th>id</th><td><code>${escapeHtml(c.id)}</code></td></tr><tr><th>geometry</th><td>${escapeHtml(c.layer.geometryType)}</td></tr>
<tr><th>extent (CRS84)</th><td>${escapeHtml((c.bbox ?? []).map((n) => n.toFixed(5)).join(', '))}</td></tr>
<tr><th>CRS</th><td>${c.crs.map((x) => `<code>${escapeHtml(x.uri)}</code>`).join('<br>')}</td></tr>
<tr><th>properties</th><td>${c.fields.map((f) => `${escapeHtml(f.name)} <small>(${escapeHtml(f.type)})</small>`).join(', ')}</td></tr></table>`,
  );
}

export function itemsHtml(c: Collection, base: string, features: string[], links: Array<{ rel: string; href: string }>): string {
  const parsed = features.map((f) => JSON.parse(f) as { id: unknown; properties: Record<string, unknown> });
  const names = c.fields.map((f) => f.name);
  const rows = parsed
    .map(
      (f) =>
        `<tr><td><a href="${escapeHtml(base)}/collections/${escapeHtml(encodeId(c.id))}/items/${escapeHtml(encodeURIComponent(String(f.id)))}?f=html">${escapeHtml(f.id)}</a></td>${names.map((n) => `<td>${escapeHtml(f.properties[n])}</td>`).join('')}</tr>`,
    )
    .join('');
  const nav = links
    .filter((l) => l.rel === 'next' || l.rel === 'prev')
    .map((l) => `<a href="${escapeHtml(l.href.replace(/([?&])f=[^&]*/, '$1').replace(/[?&]$/, ''))}${l.href.includes('?') ? '&' : '?'}f=html">${l.rel}</a>`)
    .join(' · ');
  return page(
    `${c.title}: features`,
    base,
    `<div id="map"></div><p>${features.length} feature(s). ${nav}</p><table><tr><th>id</th>${names.map((n) => `<th>${escapeHtml(n)}</th>`).join('')}</tr>${rows}</table>`,
    { map: true, json: `{"type":"FeatureCollection","features":[${features.join(',')}]}` },
  );
}

export function itemHtml(c: Collection, base: string, feature: string): string {
  const f = JSON.parse(feature) as { id: unknown; properties: Record<string, unknown> };
  const rows = Object.entries(f.properties)
    .map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`)
    .join('');
  return page(`${c.title} ${String(f.id)}`, base, `<div id="map"></div><table>${rows}</table>`, { map: true, json: feature });
}

export function apiHtml(base: string, paths: string[]): string {
  return page(
    'API',
    base,
    `<p>The OpenAPI 3.0 definition: <a href="${escapeHtml(base)}/api">${escapeHtml(base)}/api</a>.</p><ul>${paths.map((p) => `<li><code>GET ${escapeHtml(p)}</code></li>`).join('')}</ul>`,
  );
}
