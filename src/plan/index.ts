export * from './breaking-changes.js';
export * from './diff-report.js';
export * from './diff.js';
export * from './formats.js';
export * from './plan.js';
export * from './policy-check-report.js';
export * from './risk.js';
