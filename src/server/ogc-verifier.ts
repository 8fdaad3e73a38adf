import type { FastifyInstance } from 'fastify';
import type { CheckResult, Snapshot, Verifier, VerifyInput } from '../deploy/index.js';
import { createServerApp } from './app.js';
import { probeApp } from './ogc-probe.js';
import { buildRegistry, type Collection, type Registry } from './registry.js';
import { RegistryHolder } from './registry-holder.js';

/**
 * The server's part of a deployment's PostValidating phase. Before anything else it builds the
 * new snapshot's registry off to the side and probes it in process — the same Fastify app the
 * server runs, over the candidate registry: landing page, conformance, the API definition, each
 * changed collection (all of them on a first deployment) and a first items page within the
 * layer's latency budget, and the layers' `type: ogc` health checks. When a server runs in this
 * process (the admin API approved or rolled back), it then reloads that server and probes the
 * live app the same way. Any failure fails the verification, so the policy's automatic rollback
 * takes it back.
 */
export interface LiveServer {
  readonly environment: string;
  readonly basePath: string;
  readonly app: FastifyInstance;
  readonly registry: Registry;
  reload(reason: string): Promise<unknown>;
}

export class OgcVerifier implements Verifier {
  readonly name = 'OGC API';

  constructor(private readonly options: { basePath?: string; live?: () => LiveServer | undefined } = {}) {}

  async verify(input: VerifyInput): Promise<CheckResult[]> {
    const basePath = this.options.basePath ?? '/ogc';
    const results: CheckResult[] = [];
    const registry = await buildRegistry(input.snapshot, { database: async () => input.database, poolKey: () => 'verify' });
    const app = await createServerApp({ holder: new RegistryHolder(registry), basePath });
    try {
      results.push(...(await probeApp(app, { basePath, label: 'candidate', collections: changedCollections(registry, input.previousSnapshot, input.layer) })));
    } finally {
      await app.close();
    }
    const live = this.options.live?.();
    if (live && live.environment === input.environment) {
      await live.reload(`deployment ${input.snapshot.deploymentId}`);
      if (live.registry.id === input.snapshot.id) {
        results.push(
          ...(await probeApp(live.app, {
            basePath: live.basePath,
            label: 'live',
            collections: changedCollections(live.registry, input.previousSnapshot, input.layer),
          })),
        );
      }
    }
    for (const r of results) input.onCheck?.(r);
    return results;
  }
}

/** The collections whose layer differs from the previous snapshot's, or all of them (a first deployment, `honua test`). */
export function changedCollections(registry: Registry, previous: Snapshot | undefined, only?: string): Collection[] {
  const all = [...registry.collections.values()].filter((c) => only === undefined || c.id === only || c.layer.name === only);
  if (!previous) return all;
  const before = new Map((previous.state.layers as Array<{ id: string }>).map((l) => [l.id, JSON.stringify(l)]));
  return all.filter((c) => before.get(c.id) !== JSON.stringify(c.layer));
}
