import { z } from 'zod';
import type { DeploymentRecord } from './deployment-record.js';

/**
 * The four DORA figures of an environment, from its deployment history: how often it deploys
 * (Completed per day over the window), how often a deployment that changed something fails
 * (RolledBack or Failed after applying, over all that changed something), how long it takes to
 * recover (from such a failure to the next Completed), and the lead time from commit to
 * Completed. Pure; the status command and the server's metrics use the same function.
 */
export const DoraSchema = z.object({
  windowDays: z.number(),
  deployments: z.number().int(),
  deploymentsPerDay: z.number(),
  changeFailureRate: z.number().nullable(),
  meanTimeToRecoverMs: z.number().nullable(),
  leadTimeMs: z.object({ median: z.number(), p90: z.number() }).nullable(),
});
export type Dora = z.infer<typeof DoraSchema>;

const quantile = (sorted: number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] as number;

const changedSomething = (r: DeploymentRecord): boolean => r.transitions.some((t) => t.to === 'Applying');

export function dora(history: readonly DeploymentRecord[], now: Date, windowDays = 30): Dora {
  const since = now.getTime() - windowDays * 86_400_000;
  const inWindow = history.filter((r) => new Date(r.createdAt).getTime() >= since).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  const completed = inWindow.filter((r) => r.state === 'Completed');
  const changing = inWindow.filter((r) => changedSomething(r) && (r.state === 'Completed' || r.state === 'RolledBack' || r.state === 'Failed'));
  const failures = changing.filter((r) => r.state !== 'Completed');
  const recoveries: number[] = [];
  for (const f of failures) {
    const failedAt = new Date(f.finishedAt ?? f.updatedAt).getTime();
    const next = completed.find((c) => new Date(c.finishedAt ?? c.updatedAt).getTime() > failedAt);
    if (next) recoveries.push(new Date(next.finishedAt ?? next.updatedAt).getTime() - failedAt);
  }
  const leads = completed
    .filter((c) => c.commitTime && c.finishedAt)
    .map((c) => new Date(c.finishedAt as string).getTime() - new Date(c.commitTime as string).getTime())
    .filter((ms) => ms >= 0)
    .sort((a, b) => a - b);
  return {
    windowDays,
    deployments: completed.length,
    deploymentsPerDay: Math.round((completed.length / windowDays) * 1000) / 1000,
    changeFailureRate: changing.length === 0 ? null : Math.round((failures.length / changing.length) * 1000) / 1000,
    meanTimeToRecoverMs: recoveries.length === 0 ? null : Math.round(recoveries.reduce((a, b) => a + b, 0) / recoveries.length),
    leadTimeMs: leads.length === 0 ? null : { median: quantile(leads, 0.5), p90: quantile(leads, 0.9) },
  };
}
