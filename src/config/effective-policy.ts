import { DateTime } from 'luxon';
import { parseApprover, formatApprover } from './approver.js';
import { isProduction } from './environment.js';
import { parseDuration } from './duration.js';
import type { AllEnvironmentsPolicy, ApprovalRule, EnvironmentPolicyEntry, PerEnvironmentPolicy } from './kinds/deployment-policy.js';
import { type HourRange, parseHourRanges, parseWeekday } from './window.js';

/**
 * The one policy the engine evaluates for an environment, whichever written shape(s) it came
 * from. Precedence: built-in defaults < .gitops/deployment-policy.yaml entry < per-environment
 * policy (the more specific file wins; setting one rule differently in both is a warning).
 */
export interface Blackout {
  name?: string;
  /** UTC instants (ISO 8601). */
  start: string;
  end: string;
  reason?: string;
}

export interface EffectivePolicy {
  environment: string;
  /** Files the policy came from; empty when the built-in default applies. */
  sources: string[];
  isDefault: boolean;
  /** false: every deployment needs approval. true: only when an approval rule matches. */
  autoApprove: boolean;
  approvalRules: ApprovalRule[];
  approvers: string[];
  minApprovals: number;
  fourEyes: boolean;
  approvalTimeoutMs?: number;
  allowBreakingChanges: boolean;
  requiresValidation: boolean;
  /** Deployment window; absent means any time. Days are ISO weekdays (Monday = 1). */
  window?: { days: number[]; hours: HourRange[]; timezone: string };
  /** The policy's time zone (the window's, else UTC), used to show times. */
  timezone: string;
  blackouts: Blackout[];
  cooldownMs: number;
  maxConcurrentDeployments: number;
  requireBackup: boolean;
  rollback: { automatic: boolean; timeoutMs: number; healthCheckIntervalMs: number };
  healthCheckTimeoutMs: number;
  validation: { preDeployment: string[]; postDeployment: string[] };
}

export function defaultPolicy(environment: string): EffectivePolicy {
  const prod = isProduction(environment);
  return {
    environment,
    sources: [],
    isDefault: true,
    autoApprove: !prod,
    approvalRules: [],
    approvers: [],
    minApprovals: 1,
    fourEyes: prod,
    allowBreakingChanges: !prod,
    requiresValidation: true,
    timezone: 'UTC',
    blackouts: [],
    cooldownMs: 0,
    maxConcurrentDeployments: 1,
    requireBackup: prod,
    rollback: { automatic: true, timeoutMs: 300_000, healthCheckIntervalMs: 30_000 },
    healthCheckTimeoutMs: 300_000,
    validation: { preDeployment: ['syntaxCheck', 'policyCheck', 'breakingChangeDetection'], postDeployment: ['healthCheck'] },
  };
}

/** A setting one written policy contributes, with the dotted path it was written at. */
export interface PolicySetting {
  field: keyof EffectivePolicy | `rollback.${string}` | `validation.${string}` | 'window';
  value: unknown;
  /** Path inside the written document, for positions of conflicts. */
  path: Array<string | number>;
}

const ms = (v: string | number | undefined): number | undefined => (v === undefined ? undefined : parseDuration(v));

/** Instant of a blackout bound: date-only values are midnight in `zone`; values without offset are in `zone`. */
export function blackoutInstant(text: string, zone: string): string {
  const dt = DateTime.fromISO(text.replace(' ', 'T'), { zone, setZone: true });
  return (dt.isValid ? dt : DateTime.fromISO(text, { zone })).toUTC().toISO() ?? text;
}

function windowSettings(
  w: { allowedDays?: string[] | undefined; allowedHours?: string | undefined; timezone?: string | undefined } | undefined,
  base: Array<string | number>,
): PolicySetting[] {
  if (!w) return [];
  const timezone = w.timezone ?? 'UTC';
  const days = (w.allowedDays ?? ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday']).map((d) => parseWeekday(d) ?? 0);
  const hours = w.allowedHours ? (parseHourRanges(w.allowedHours) ?? []) : [];
  return [
    { field: 'window', value: { days, hours, timezone }, path: base },
    { field: 'timezone', value: timezone, path: [...base, 'timezone'] },
  ];
}

/** Blackouts as written; their instants are resolved after merging, in the effective policy's zone. */
interface WrittenBlackout {
  name?: string;
  start: string;
  end: string;
  reason?: string;
  timezone?: string;
}

function blackoutSettings(list: EnvironmentPolicyEntry['blackoutPeriods'], base: Array<string | number>): PolicySetting[] {
  if (!list) return [];
  const value: WrittenBlackout[] = list.map((b) => ({ ...b }));
  return [{ field: 'blackouts', value, path: base }];
}

const approvers = (list: string[]): string[] =>
  list.map((a) => {
    const p = parseApprover(a);
    return p ? formatApprover(p) : a;
  });

/** Settings written in a seed-002 entry (`.gitops/deployment-policy.yaml`, `environments.<env>`). */
export function settingsFromEntry(entry: EnvironmentPolicyEntry, base: Array<string | number>): PolicySetting[] {
  const s: PolicySetting[] = [];
  const add = (field: PolicySetting['field'], value: unknown, ...path: Array<string | number>): void => {
    if (value !== undefined) s.push({ field, value, path: [...base, ...path] });
  };
  add('autoApprove', entry.autoApprove, 'autoApprove');
  add('requiresValidation', entry.requiresValidation, 'requiresValidation');
  add('allowBreakingChanges', entry.allowBreakingChanges, 'allowBreakingChanges');
  add('approvalRules', entry.approvalRules, 'approvalRules');
  add('approvers', entry.approvers && approvers(entry.approvers), 'approvers');
  add('minApprovals', entry.minApprovals, 'minApprovals');
  add('fourEyes', entry.fourEyes, 'fourEyes');
  add('approvalTimeoutMs', ms(entry.approvalTimeout), 'approvalTimeout');
  add(
    'requireBackup',
    entry.safety?.requireBackup ?? entry.constraints?.requireBackup,
    entry.safety?.requireBackup !== undefined ? 'safety' : 'constraints',
    'requireBackup',
  );
  add('healthCheckTimeoutMs', ms(entry.safety?.healthCheckTimeout), 'safety', 'healthCheckTimeout');
  add('rollback.automatic', entry.safety?.rollbackOnFailure, 'safety', 'rollbackOnFailure');
  add('cooldownMs', ms(entry.constraints?.cooldownPeriod), 'constraints', 'cooldownPeriod');
  add('maxConcurrentDeployments', entry.constraints?.maxConcurrentDeployments, 'constraints', 'maxConcurrentDeployments');
  s.push(...windowSettings(entry.deploymentWindow, [...base, 'deploymentWindow']));
  s.push(...blackoutSettings(entry.blackoutPeriods, [...base, 'blackoutPeriods']));
  return s;
}

/** Settings written in a seed-000 policy (`policies/<env>-policy.yaml`). */
export function settingsFromPerEnvironment(doc: PerEnvironmentPolicy): PolicySetting[] {
  const spec = doc.spec;
  const s: PolicySetting[] = [];
  const add = (field: PolicySetting['field'], value: unknown, ...path: Array<string | number>): void => {
    if (value !== undefined) s.push({ field, value, path: ['spec', ...path] });
  };
  if (spec.approval?.required !== undefined) add('autoApprove', !spec.approval.required, 'approval', 'required');
  else add('autoApprove', spec.autoApprove, 'autoApprove');
  add('allowBreakingChanges', spec.allowBreakingChanges, 'allowBreakingChanges');
  add('approvalRules', spec.approval?.rules, 'approval', 'rules');
  add('approvers', spec.approval?.approvers && approvers(spec.approval.approvers), 'approval', 'approvers');
  add('minApprovals', spec.approval?.minApprovals, 'approval', 'minApprovals');
  add('fourEyes', spec.approval?.fourEyes, 'approval', 'fourEyes');
  add('approvalTimeoutMs', ms(spec.approval?.timeout), 'approval', 'timeout');
  add('rollback.automatic', spec.rollback?.automatic, 'rollback', 'automatic');
  add('rollback.timeoutMs', ms(spec.rollback?.timeout), 'rollback', 'timeout');
  add('rollback.healthCheckIntervalMs', ms(spec.rollback?.healthCheckInterval), 'rollback', 'healthCheckInterval');
  add('maxConcurrentDeployments', spec.constraints?.maxConcurrentDeployments, 'constraints', 'maxConcurrentDeployments');
  add('cooldownMs', ms(spec.constraints?.cooldownPeriod), 'constraints', 'cooldownPeriod');
  add('requireBackup', spec.constraints?.requireBackup, 'constraints', 'requireBackup');
  add('validation.preDeployment', spec.validation?.preDeployment, 'validation', 'preDeployment');
  add('validation.postDeployment', spec.validation?.postDeployment, 'validation', 'postDeployment');
  s.push(...windowSettings(spec.deploymentWindow, ['spec', 'deploymentWindow']));
  s.push(...blackoutSettings(spec.blackoutPeriods, ['spec', 'blackoutPeriods']));
  return s;
}

export interface PolicyLayer {
  file: string;
  settings: PolicySetting[];
}

export interface PolicyConflict {
  field: string;
  winner: { file: string; path: Array<string | number>; value: unknown };
  loser: { file: string; path: Array<string | number>; value: unknown };
}

/** Applies layers in order (later wins) on the defaults; reports settings two layers disagree on. */
export function mergePolicy(environment: string, layers: PolicyLayer[]): { policy: EffectivePolicy; conflicts: PolicyConflict[] } {
  const policy = defaultPolicy(environment);
  const setBy = new Map<string, { file: string; path: Array<string | number>; value: unknown }>();
  const conflicts: PolicyConflict[] = [];
  for (const layer of layers) {
    for (const s of layer.settings) {
      const prev = setBy.get(s.field);
      if (prev && prev.file !== layer.file && JSON.stringify(prev.value) !== JSON.stringify(s.value)) {
        conflicts.push({ field: s.field, winner: { file: layer.file, path: s.path, value: s.value }, loser: prev });
      }
      setBy.set(s.field, { file: layer.file, path: s.path, value: s.value });
      const dot = s.field.indexOf('.');
      if (dot > 0) {
        const group = (policy as unknown as Record<string, Record<string, unknown>>)[s.field.slice(0, dot)];
        if (group) group[s.field.slice(dot + 1)] = s.value;
      } else {
        (policy as unknown as Record<string, unknown>)[s.field] = s.value;
      }
    }
  }
  // Blackout bounds without an offset are wall-clock times in the policy's zone, wherever they were written.
  policy.blackouts = (policy.blackouts as unknown as WrittenBlackout[]).map((b) => {
    const zone = b.timezone ?? policy.timezone;
    const out: Blackout = { start: blackoutInstant(b.start, zone), end: blackoutInstant(b.end, zone) };
    if (b.name !== undefined) out.name = b.name;
    if (b.reason !== undefined) out.reason = b.reason;
    return out;
  });
  policy.sources = layers.map((l) => l.file);
  policy.isDefault = layers.length === 0;
  return { policy, conflicts };
}

/** Settings for `environment` from a seed-002 document, when it has an entry for it. */
export function entryFor(doc: AllEnvironmentsPolicy, matches: (key: string) => boolean): { key: string; entry: EnvironmentPolicyEntry } | undefined {
  for (const [key, entry] of Object.entries(doc.environments)) if (matches(key)) return { key, entry };
  return undefined;
}
