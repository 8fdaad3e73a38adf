export * from './decision.js';
export * from './evaluate.js';
export * from './schedule.js';
export * from './schedule-time.js';
