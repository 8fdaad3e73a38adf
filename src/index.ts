/**
 * Honua as a library: the configuration model and loader, plans, policies and sources. The
 * `honua` command is built on exactly this surface.
 */
export * from './config/index.js';
export * from './errors/index.js';
export * from './plan/index.js';
export * from './policy/index.js';
export * from './source/index.js';
