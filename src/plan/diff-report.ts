import type { DesiredState, Migration } from '../config/index.js';
import { findBreakingChanges } from './breaking-changes.js';
import { diffResources } from './diff.js';
import type { DiffReport, SourceRef } from './formats.js';
import { sourceRef } from './plan.js';

/** Kinds that differ between environments on purpose (hosts, credentials, server settings); never promoted. */
const ENVIRONMENT_SPECIFIC = new Set(['DataSource', 'ServerConfig']);

function migrationChanges(before: readonly Migration[], after: readonly Migration[]): DiffReport['migrations'] {
  const b = new Map(before.map((m) => [m.name, m]));
  const a = new Map(after.map((m) => [m.name, m]));
  return {
    added: [...a.keys()].filter((k) => !b.has(k)),
    removed: [...b.keys()].filter((k) => !a.has(k)),
    // Checksums are taken before {{env}} expansion, so the same migration compares equal across environments.
    modified: [...a.keys()].filter((k) => b.has(k) && b.get(k)?.checksum !== a.get(k)?.checksum),
  };
}

/** One environment at two points in history (two commits, a commit and the working tree, two directories). */
export function diffCommits(before: DesiredState, after: DesiredState): DiffReport {
  const diff = diffResources(before.resources, after.resources);
  const breakingChanges = findBreakingChanges(before, after);
  return {
    schemaVersion: 'honua.diff/v1',
    mode: 'commits',
    environment: after.environment,
    from: sourceRef(before.source),
    to: sourceRef(after.source),
    summary: { ...diff.summary, breaking: breakingChanges.length },
    changes: diff.changes,
    environmentSpecific: [],
    breakingChanges,
    migrations: migrationChanges(before.migrations, after.migrations),
  };
}

/**
 * The promotion view: what `target` (e.g. production) would receive if it took `source`'s
 * (e.g. staging's) configuration. `+` means the target gains it. Datasources and server
 * configuration differ per environment by design; they are listed apart and not counted.
 */
export function diffEnvironments(source: DesiredState, target: DesiredState): DiffReport {
  const published = (s: DesiredState) => s.resources.filter((r) => !ENVIRONMENT_SPECIFIC.has(r.kind));
  const specific = (s: DesiredState) => s.resources.filter((r) => ENVIRONMENT_SPECIFIC.has(r.kind));
  const diff = diffResources(published(target), published(source));
  const envDiff = diffResources(specific(target), specific(source));
  const breakingChanges = findBreakingChanges(target, source);
  const ref = (s: DesiredState): SourceRef => ({ ...sourceRef(s.source), type: 'environment', environment: s.environment });
  return {
    schemaVersion: 'honua.diff/v1',
    mode: 'environments',
    from: ref(source),
    to: ref(target),
    summary: { ...diff.summary, breaking: breakingChanges.length },
    changes: diff.changes,
    environmentSpecific: envDiff.changes,
    breakingChanges,
    migrations: migrationChanges(target.migrations, source.migrations),
  };
}

export const hasDifferences = (r: DiffReport): boolean =>
  r.changes.length > 0 || r.migrations.added.length + r.migrations.removed.length + r.migrations.modified.length > 0;
