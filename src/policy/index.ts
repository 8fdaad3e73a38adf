export { PolicyCheckSchema, PolicyDecisionSchema } from './decision.js';
export type { PolicyCheck, PolicyDecision } from './decision.js';
export { blackoutInstant, defaultPolicy, mergePolicy, settingsFromEntry, settingsFromPerEnvironment } from './effective-policy.js';
export type { Blackout, EffectivePolicy, PolicyConflict, PolicyLayer, PolicySetting } from './effective-policy.js';
export { evaluatePolicy, ruleMatches } from './evaluate.js';
export type { EvaluationContext, PlanFacts } from './evaluate.js';
export { activeBlackout, describeWindow, earliestAllowed, formatLocal, inWindow, windowOpenings } from './schedule.js';
export type { Window } from './schedule.js';
