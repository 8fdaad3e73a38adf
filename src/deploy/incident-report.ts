import { z } from 'zod';
import type { DeploymentRecord } from './deployment-record.js';

/**
 * The incident report a rollback writes (seed 004's example): what failed and the evidence,
 * the timeline, what was undone, the state the environment was left in, and what to do next.
 * Markdown for people, JSON (`honua.incident/v1`) for tools; both from the deployment record.
 */
export const IncidentSchema = z.object({
  schemaVersion: z.literal('honua.incident/v1'),
  id: z.string(),
  deployment: z.string(),
  environment: z.string(),
  commit: z.string(),
  status: z.enum(['ROLLED BACK', 'FAILED']),
  reason: z.string(),
  phase: z.string(),
  evidence: z.array(z.object({ check: z.string(), source: z.string(), detail: z.string(), passed: z.boolean() })),
  timeline: z.array(z.object({ at: z.string(), state: z.string(), reason: z.string() })),
  undone: z.array(z.string()),
  leftIn: z.string(),
  quarantined: z.boolean(),
  durationMs: z.number(),
  recommendations: z.array(z.string()),
});
export type Incident = z.infer<typeof IncidentSchema>;

export function incidentOf(record: DeploymentRecord, outcome: { status: 'ROLLED BACK' | 'FAILED'; leftIn: string; quarantined: boolean; at: Date }): Incident {
  const failed = record.verification?.checks.filter((c) => !c.passed) ?? [];
  const evidence = [
    ...(record.verification?.checks ?? []).map((c) => ({ check: c.name, source: c.source, detail: c.detail, passed: c.passed })),
    ...(record.error && failed.length === 0 ? [{ check: record.error.code, source: record.error.phase, detail: record.error.message, passed: false }] : []),
  ];
  const undone = [
    ...record.migrationsReverted.map((m) => `reverted migration ${m}`),
    ...record.steps.filter((s) => s.key === 'restore-backup').map((s) => `restored the database from ${s.detail}`),
    ...record.steps.filter((s) => s.key === 'reactivate').map((s) => s.detail),
  ];
  const recommendations: string[] = [];
  const text = `${record.error?.message ?? ''} ${failed.map((f) => f.detail).join(' ')}`;
  if (/Index Scan|plan:|performance|timeout|canceling statement/i.test(text)) {
    recommendations.push('Review the query plan and its performance on production-sized data (EXPLAIN ANALYZE in staging with a copy of the data).');
    recommendations.push('Build indexes with CREATE INDEX CONCURRENTLY so a slow build does not block the table.');
  }
  if (/precondition/i.test(text))
    recommendations.push("Check the migration's preconditions against the environment's database (honua migrate status, honua db inspect).");
  if (/does not exist|no such|relation/i.test(text))
    recommendations.push("A table, column or index the change expects is missing: compare the environment's schema with staging (honua db inspect).");
  recommendations.push(
    `Reproduce in a lower environment, fix, and commit again; ${record.commit.slice(0, 7)} stays quarantined until a newer commit arrives (honua deploy --force overrides).`,
  );
  return {
    schemaVersion: 'honua.incident/v1',
    id: `INC-${record.id}`,
    deployment: record.id,
    environment: record.environment,
    commit: record.commit,
    status: outcome.status,
    reason: failed.length > 0 ? `post-deployment check failed: ${failed.map((f) => f.name).join(', ')}` : (record.error?.message ?? 'unknown'),
    phase: record.error?.phase ?? 'PostValidating',
    evidence,
    timeline: record.transitions.map((t) => ({ at: t.at, state: t.to, reason: t.reason })),
    undone,
    leftIn: outcome.leftIn,
    quarantined: outcome.quarantined,
    durationMs: new Date(outcome.at).getTime() - new Date(record.createdAt).getTime(),
    recommendations,
  };
}

export function incidentMarkdown(i: Incident): string {
  const lines = [
    `# Incident ${i.id}: ${i.environment} deployment ${i.status.toLowerCase()}`,
    '',
    `- **Deployment:** ${i.deployment}`,
    `- **Environment:** ${i.environment}`,
    `- **Commit:** ${i.commit}${i.quarantined ? ' (quarantined)' : ''}`,
    `- **Status:** ${i.status}`,
    `- **Reason:** ${i.reason}`,
    `- **Failed in:** ${i.phase}`,
    `- **Duration:** ${(i.durationMs / 1000).toFixed(1)} s`,
    `- **Environment left in:** ${i.leftIn}`,
    '',
    '## Evidence',
    '',
    ...(i.evidence.length > 0 ? i.evidence.map((e) => `- ${e.passed ? '✓' : '✗'} ${e.check} (${e.source}): ${e.detail}`) : ['- (no checks ran)']),
    '',
    '## Timeline (UTC)',
    '',
    ...i.timeline.map((t) => `- ${t.at} — ${t.state}: ${t.reason}`),
    '',
    '## What was undone',
    '',
    ...(i.undone.length > 0 ? i.undone.map((u) => `- ${u}`) : ['- nothing was changed, or nothing could be undone']),
    '',
    '## Recommendations',
    '',
    ...i.recommendations.map((r, n) => `${n + 1}. ${r}`),
    '',
  ];
  return lines.join('\n');
}
