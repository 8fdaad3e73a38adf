import { z } from 'zod';
import { type RollbackPreview, rollbackPreview } from '../src/engine/index.js';
import { defineTool } from './define-tool.js';
import { DeploymentOut, deploymentSummary } from './deployment-facts.js';
import { NOT_AN_APPROVAL } from './operate-facts.js';

export const requestRollback = defineTool({
  name: 'request_rollback',
  title: 'Request a rollback',
  description:
    'Asks the engine to roll an environment back to an earlier completed deployment (default: the one before what runs now): its snapshot is reactivated and the migrations applied since are reverted by their down steps, then verified. Operate class: a person confirms every call (never covered by --yes) and is shown what will be undone first. Afterwards, propose the revert commit so git matches what runs again.',
  toolClass: 'operate',
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
  input: z.object({
    environment: z.string(),
    toDeployment: z.string().optional().describe('Roll back to this deployment (id).'),
    toCommit: z.string().optional().describe('Roll back to the deployment of this commit.'),
  }),
  output: DeploymentOut.extend({
    rolledBackTo: z.string().optional().describe('The deployment whose snapshot runs again.'),
    undone: z.array(z.string()).describe('The deployments undone.'),
    revertedMigrations: z.array(z.string()),
  }),
  async preview(input, { engine }) {
    const p = await rollbackPreview(engine, input);
    return {
      summary: `Roll ${p.environment} back to ${p.target.id} (commit ${p.target.commit.slice(0, 7)}).`,
      details: [
        ...(p.current ? [`Now running: ${p.current.id} (commit ${p.current.commit.slice(0, 7)}).`] : []),
        `Undone: ${p.undone.length > 0 ? p.undone.map((d) => `${d.id} (${d.kind})`).join(', ') : 'the active snapshot only'}.`,
        `Migrations reverted (down steps): ${p.downMigrations.length > 0 ? p.downMigrations.join(', ') : 'none'}.`,
        `Data: ${p.data}`,
        NOT_AN_APPROVAL,
      ],
      ...(p.downMigrations.length > 0 ? { warnings: ['Down steps will run against the database.'] } : {}),
      state: p,
    };
  },
  async run(input, { engine }, prepared) {
    const record = await engine.rollback(
      {
        environment: input.environment,
        ...(input.toDeployment ? { toDeployment: input.toDeployment } : {}),
        ...(input.toCommit ? { toCommit: input.toCommit } : {}),
      },
      { via: 'consultant' },
    );
    // What was undone is what the preview found after the target (record.rollbackOf is the target itself).
    const undone = (prepared as RollbackPreview | undefined)?.undone.map((d) => d.id) ?? [];
    return {
      ...deploymentSummary(record),
      ...(record.rollbackOf ? { rolledBackTo: record.rollbackOf } : {}),
      undone,
      revertedMigrations: record.migrationsReverted,
    };
  },
});
