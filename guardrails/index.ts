export * from './audit-log.js';
export * from './confirmer.js';
export * from './gate.js';
export * from './redact.js';
export * from './untrusted.js';
