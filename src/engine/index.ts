export * from './base-policy.js';
export * from './contract.js';
export * from './engine.js';
export * from './file-validation.js';
export * from './json-schemas.js';
export * from './local-engine.js';
export * from './traced-engine.js';
export * from './workspace.js';
