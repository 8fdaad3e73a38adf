import { readFileSync } from 'node:fs';
import { canonicalEnvironment } from '../config/index.js';
import { type Incident, IncidentSchema, incidentOf } from '../deploy/index.js';
import { HonuaError } from '../errors/index.js';
import type { Engine } from './engine.js';

/**
 * The incident report of a deployment that failed or was rolled back (`read_incident`): the JSON
 * the deployer wrote next to its Markdown, else — a record from before reports, or a report file
 * gone — rebuilt from the record. Without an id, the environment's latest failure.
 */
export async function incident(engine: Engine, request: { id?: string | undefined; environment?: string | undefined }): Promise<Incident> {
  let id = request.id;
  if (id === undefined) {
    const environment = canonicalEnvironment(request.environment ?? engine.workspace.defaultEnvironment);
    const failed = (await engine.deployments({ environment, limit: 100 })).find((d) => d.state === 'Failed' || d.state === 'RolledBack');
    if (!failed) throw new HonuaError('deployment-not-found', `no deployment failed or was rolled back in ${environment} (of the last 100)`);
    id = failed.id;
  }
  const record = await engine.deployment(id);
  if (record.state !== 'Failed' && record.state !== 'RolledBack')
    throw new HonuaError('deployment-not-found', `${record.id} did not fail (it is ${record.state}), so it has no incident report`);
  if (record.incidentReport) {
    try {
      return IncidentSchema.parse(JSON.parse(readFileSync(record.incidentReport.json, 'utf8')));
    } catch {
      // rebuilt below
    }
  }
  return incidentOf(record, {
    status: record.state === 'RolledBack' ? 'ROLLED BACK' : 'FAILED',
    leftIn: record.state,
    quarantined: false,
    at: new Date(record.finishedAt ?? record.updatedAt),
  });
}
