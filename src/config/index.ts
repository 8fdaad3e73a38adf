export { parseApprover, formatApprover } from './approver.js';
export type { Approver } from './approver.js';
export { buildEnvironment } from './build-environment.js';
export { compare, describeComparison, formatComparison, parseComparison } from './comparison.js';
export type { Comparator, Comparison } from './comparison.js';
export { crsSrid, crsUri, isValidCrs, normalizeCrs, sameCrs } from './crs.js';
export { resourceKey } from './desired-state.js';
export type { DesiredState, ResourceDocument } from './desired-state.js';
export { formatDuration, parseDuration } from './duration.js';
export {
  canonicalEnvironment,
  COMMON_ENVIRONMENT,
  isProduction,
  sameEnvironment,
  shortEnvironment,
  sortEnvironments,
} from './environment.js';
export { describeExpectation, isPlanExpectation, parseExpectation } from './expectation.js';
export type { Expectation, ExpectationResult, PlanNodeType } from './expectation.js';
export * from './kinds/index.js';
export { classifyPath, loadRepo, parseFile } from './load.js';
export { formatPath, locate } from './locate.js';
export type { PathSegment } from './locate.js';
export { dedupeProblems, isError, problem, PROBLEM_CODES, problemCodes, ProblemSchema, sortProblems } from './problem.js';
export type { Position, Problem, ProblemCode, Severity } from './problem.js';
export { indexRepo } from './repo-index.js';
export type { RepoIndex } from './repo-index.js';
export type { Area, LoadedRepo, SourceDocument, SourceFile } from './source-document.js';
export { suggest } from './suggest.js';
export { expandString, expandValue } from './template.js';
export { EnvironmentSummarySchema, selectEnvironments, validateRepo, ValidationReportSchema } from './validate.js';
export type { EnvironmentSummary, ValidationReport } from './validate.js';
export { formatClock, parseHourRanges, parseWeekday, weekdayName } from './window.js';
export type { HourRange } from './window.js';
