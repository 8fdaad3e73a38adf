import { z } from 'zod';
import { HonuaError } from '../src/errors/index.js';
import { defineTool } from './define-tool.js';
import { DeploymentOut, deploymentSummary } from './deployment-facts.js';
import { NOT_AN_APPROVAL } from './operate-facts.js';

export const requestRestore = defineTool({
  name: 'request_restore',
  title: 'Request a restore',
  description:
    "Disaster recovery: asks the engine to rebuild an environment from a commit's configuration and, with includeDatabase, its database from a backup (default: the latest) — as a deployment, verified afterwards. Data written after the backup is lost: say how much (the backup's age) before asking. Operate class: a person confirms every call (never covered by --yes).",
  toolClass: 'operate',
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
  input: z.object({
    environment: z.string(),
    commit: z.string().optional().describe("The configuration to restore (default: the last successful deployment's commit, else HEAD)."),
    includeDatabase: z.boolean().default(true).describe('Also restore the database from a backup.'),
    backupId: z.string().optional().describe('Which backup (default: the latest).'),
  }),
  output: DeploymentOut.extend({
    backup: z.string().optional().describe('The backup the database was restored from.'),
    safetyBackup: z.string().optional().describe('The backup of the database as it was just before the restore (taken by the deployment).'),
  }),
  async preview(input, { engine }) {
    const environment = input.environment;
    const history = await engine.deployments({ environment, limit: 100 });
    const lastGood = history.find((d) => d.state === 'Completed');
    const commit = input.commit ?? lastGood?.commit ?? 'HEAD';
    const details = [
      `Configuration: commit ${commit.slice(0, 12)}${input.commit ? '' : lastGood ? ` (the last successful deployment, ${lastGood.id})` : ' (HEAD)'}.`,
    ];
    const warnings: string[] = [];
    let backupId = input.backupId;
    if (input.includeDatabase) {
      const { backups } = await engine.backups({ environment });
      const backup = input.backupId ? backups.find((b) => b.id === input.backupId) : backups[0];
      if (!backup)
        throw new HonuaError(
          'backup-not-found',
          input.backupId ? `there is no backup ${input.backupId} of ${environment}` : `there is no backup of ${environment} to restore`,
        );
      backupId = backup.id;
      const hours = Math.round(((engine.workspace.clock().getTime() - Date.parse(backup.createdAt)) / 3600_000) * 10) / 10;
      details.push(`Database: backup ${backup.id} taken ${backup.createdAt} (${hours} h ago), ${Object.keys(backup.tables).length} tables.`);
      warnings.push(`The database is replaced by the backup: data written in the last ${hours} h (since ${backup.createdAt}) is lost.`);
    }
    details.push('Then the layers are verified (health checks, OGC probe); the server reloads when it is done.', NOT_AN_APPROVAL);
    return {
      summary: `Restore ${environment}${input.includeDatabase ? ' (configuration and database)' : ' (configuration only)'}.`,
      details,
      warnings,
      state: { commit, backupId },
    };
  },
  async run(input, { engine }, prepared) {
    const state = prepared as { commit: string; backupId?: string } | undefined;
    const commit = state?.commit ?? input.commit ?? 'HEAD';
    const backupId = state?.backupId ?? input.backupId;
    const record = await engine.restore(
      { environment: input.environment, commit, includeDatabase: input.includeDatabase, ...(backupId ? { backupId } : {}) },
      { via: 'consultant' },
    );
    const restoredFrom = record.restore?.backupId ?? backupId;
    return { ...deploymentSummary(record), ...(restoredFrom ? { backup: restoredFrom } : {}), ...(record.backup ? { safetyBackup: record.backup.id } : {}) };
  },
});
