import type { EffectivePolicy } from './effective-policy.js';
import type { SourceDescription } from '../source/index.js';
import type { DataSource } from './kinds/data-source.js';
import type { Kind } from './kinds/kind.js';
import type { Layer } from './kinds/layer.js';
import type { Migration } from './kinds/migration.js';
import type { ServerConfig } from './kinds/server-config.js';
import type { Service } from './kinds/service.js';

/**
 * A resource as the environment sees it after overlaying environments/common and expanding
 * `{{env}}`: the written form (what the diff compares) and where it came from.
 */
export interface ResourceDocument {
  kind: Kind;
  name: string;
  /** `Kind/name` (layers: `Layer/<service>::<name>`), unique within an environment. */
  key: string;
  value: Record<string, unknown>;
  file: string;
  /** The environment file that overlays a common one. */
  overlay?: string;
}

/** What git says an environment should be: the engine's input for planning and applying. */
export interface DesiredState {
  environment: string;
  /** The environment's folder name as written (dev, development, ...). */
  folder: string;
  source: SourceDescription;
  dataSources: DataSource[];
  services: Service[];
  layers: Layer[];
  server?: ServerConfig;
  /** Migrations that run in this environment, in dependency order. */
  migrations: Migration[];
  policy: EffectivePolicy;
  /** Published resources in written form (DataSource, Service, Layer, ServerConfig), sorted by key. */
  resources: ResourceDocument[];
  /** The text of every file the resources and the policy were read from, by path (shared with the loaded repository, not copied). */
  files: ReadonlyMap<string, string>;
}

export const resourceKey = (kind: string, name: string): string => `${kind}/${name}`;
