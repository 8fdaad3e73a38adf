import type { DataSource, DesiredState, EffectivePolicy, Layer, Migration, ServerConfig, Service } from '../config/index.js';
import type { Snapshot } from './snapshot.js';

/**
 * A stored snapshot as the desired-state shape the planner compares: what is deployed is the
 * baseline of the next plan (DESIGN.md: desired × actual → plan), and a rollback's target.
 */
export function stateOfSnapshot(snapshot: Snapshot): DesiredState {
  const s = snapshot.state;
  return {
    environment: snapshot.environment,
    folder: s.folder,
    source: { type: 'git', root: '', ref: `snapshot ${snapshot.id}`, commit: snapshot.commit, shortCommit: snapshot.commit.slice(0, 7) },
    dataSources: s.dataSources as unknown as DataSource[],
    services: s.services as unknown as Service[],
    layers: s.layers as unknown as Layer[],
    ...(s.server ? { server: s.server as unknown as ServerConfig } : {}),
    migrations: s.migrations as unknown as Migration[],
    policy: s.policy as unknown as EffectivePolicy,
    resources: s.resources.map((r) => ({ kind: r.kind as DesiredState['resources'][number]['kind'], name: r.name, key: r.key, value: r.value, file: '' })),
    files: new Map(),
  };
}
