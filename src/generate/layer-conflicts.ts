import type { DesiredState } from '../config/index.js';
import type { TableInfo } from '../db/index.js';
import { GenerateError } from '../errors/index.js';

/**
 * What stops a generated layer before anyone sees it, checked against every target environment:
 * the service must be there; a layer of that name must not be; and a table already published
 * gets a second layer only when it is given a name of its own (then it is on purpose).
 */
export function assertServiceIn(states: readonly DesiredState[], service: string): void {
  for (const s of states) {
    if (!s.services.some((x) => x.name === service)) {
      throw new GenerateError('unknown-service', `${s.environment} has no service "${service}"`, {
        hint: `Its services: ${s.services.map((x) => x.name).join(', ') || 'none'}.`,
        fault: 'model',
      });
    }
  }
}

export function assertLayerIsNew(states: readonly DesiredState[], layer: { name: string; service: string; named: boolean }, table: TableInfo): void {
  for (const s of states) {
    const same = s.layers.find((l) => l.name === layer.name && l.service === layer.service);
    if (same) {
      throw new GenerateError('layer-exists', `${s.environment} already has the layer ${same.id}, in ${same.origin.file}`, {
        hint: `To change it, edit ${same.origin.file}. To publish ${table.schema}.${table.name} as a second layer, give it another name (name / --name, e.g. ${layer.name}-2).`,
        data: { layer: same.id, file: same.origin.file, environment: s.environment, suggestedName: `${layer.name}-2` },
        fault: 'user',
      });
    }
    const publishing = s.layers.find((l) => l.storage.table === table.name && (l.storage.schema ?? 'public') === table.schema);
    if (publishing && !layer.named) {
      throw new GenerateError(
        'table-already-published',
        `${table.schema}.${table.name} is already published in ${s.environment} as ${publishing.id}, in ${publishing.origin.file}`,
        {
          hint: `To change that layer, edit ${publishing.origin.file}. For a second layer on the same table, give it its own name (name / --name, e.g. ${layer.name}-2).`,
          data: { layer: publishing.id, file: publishing.origin.file, environment: s.environment, suggestedName: `${layer.name}-2` },
          fault: 'user',
        },
      );
    }
  }
}
