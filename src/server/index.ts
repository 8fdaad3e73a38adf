/**
 * The Honua server (`honua serve`): OGC API Features over the active snapshot, the admin API,
 * metrics and health, hot reload, and the OGC verification deployments run.
 */
export * from './admin/admin-openapi.js';
export * from './admin/admin-routes.js';
export * from './app.js';
export * from './honua-server.js';
export * from './metrics.js';
export * from './ogc-probe.js';
export * from './ogc-verifier.js';
export * from './ogc/base-url.js';
export * from './ogc/conformance-classes.js';
export * from './ogc/documents.js';
export * from './ogc/items-query.js';
export * from './ogc/items-sql.js';
export * from './ogc/ogc-error.js';
export * from './ogc/openapi.js';
export * from './registry-holder.js';
export * from './registry.js';
export * from './server-databases.js';
export * from './working-tree.js';
export * from './conformance-probe.js';
export * from './maintenance.js';
