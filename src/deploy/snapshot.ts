import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { DesiredState } from '../config/index.js';

/**
 * The deployed snapshot (`honua.snapshot/v1`): an environment's resolved configuration at a
 * commit, exactly what `validate` builds — data sources, services, layers, the server
 * configuration, the migrations and the policy — stored with the deployment that made it and
 * marked active when it completes. It is the engine's "actual state": the server serves exactly
 * this, never a working tree, and a rollback reactivates an older one.
 */
export const SnapshotSchema = z.object({
  schemaVersion: z.literal('honua.snapshot/v1'),
  id: z.string(),
  environment: z.string(),
  commit: z.string(),
  dirty: z.boolean().optional(),
  createdAt: z.string(),
  deploymentId: z.string(),
  /** sha256 over the resolved resources and migrations: equal when two commits configure the environment the same way. */
  contentDigest: z.string(),
  state: z.object({
    folder: z.string(),
    dataSources: z.array(z.record(z.string(), z.unknown())),
    services: z.array(z.record(z.string(), z.unknown())),
    layers: z.array(z.record(z.string(), z.unknown())),
    server: z.record(z.string(), z.unknown()).optional(),
    /** The migrations as written (their down steps revert them later, whatever the repository has by then). */
    migrations: z.array(z.looseObject({ id: z.string(), name: z.string(), checksum: z.string() })),
    policy: z.record(z.string(), z.unknown()),
    resources: z.array(z.object({ kind: z.string(), name: z.string(), key: z.string(), value: z.record(z.string(), z.unknown()) })),
  }),
});
export type Snapshot = z.infer<typeof SnapshotSchema>;

/** What two states configure, as one digest: equal when the environment would serve the same. */
export function contentDigest(state: Pick<DesiredState, 'resources' | 'migrations'>): string {
  const hash = createHash('sha256');
  for (const r of state.resources) hash.update(`${r.key}\t${JSON.stringify(r.value)}\n`);
  for (const m of state.migrations) hash.update(`migration ${m.name}\t${m.checksum}\n`);
  return `sha256:${hash.digest('hex')}`;
}

const plain = <T>(value: T): Record<string, unknown> => JSON.parse(JSON.stringify(value)) as Record<string, unknown>;

export function snapshotOf(state: DesiredState, meta: { commit: string; dirty?: boolean; deploymentId: string; at: Date }): Snapshot {
  const digest = contentDigest(state);
  return {
    schemaVersion: 'honua.snapshot/v1',
    id: `${state.environment}-${meta.commit.slice(0, 7)}-${digest.slice(7, 15)}`,
    environment: state.environment,
    commit: meta.commit,
    ...(meta.dirty ? { dirty: true } : {}),
    createdAt: meta.at.toISOString(),
    deploymentId: meta.deploymentId,
    contentDigest: digest,
    state: {
      folder: state.folder,
      dataSources: state.dataSources.map(plain),
      services: state.services.map(plain),
      layers: state.layers.map(plain),
      ...(state.server ? { server: plain(state.server) } : {}),
      migrations: state.migrations.map(plain) as Snapshot['state']['migrations'],
      policy: plain(state.policy),
      resources: state.resources.map((r) => ({ kind: r.kind, name: r.name, key: r.key, value: r.value })),
    },
  };
}
