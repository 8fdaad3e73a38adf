export * from './databases.js';
export * from './home.js';
export * from './repository.js';
export * from './runtime.js';
export * from './sample-workspace.js';
export * from './snapshots.js';
export * from './state-stores.js';
