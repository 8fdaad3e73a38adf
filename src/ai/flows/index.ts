export * from './dr-flow.js';
export * from './flow-context.js';
export * from './migrate-plan-flow.js';
export * from './promote-flow.js';
export * from './review-flow.js';
export * from './rollback-flow.js';
