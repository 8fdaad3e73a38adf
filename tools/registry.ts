import type { AnyTool } from './define-tool.js';
import { describeTable } from './describe-table.js';
import { diffConfig } from './diff-config.js';
import { generateLayerTool } from './generate-layer.js';
import { generateMigrationTool } from './generate-migration.js';
import { lintMigrationTool } from './lint-migration.js';
import { listEnvironments } from './list-environments.js';
import { listTables } from './list-tables.js';
import { planDeployment } from './plan-deployment.js';
import { readConfigFile } from './read-config-file.js';
import { validateConfig } from './validate-config.js';
import { writeProposal } from './write-proposal.js';
import { deploymentStatus } from './deployment-status.js';
import { listDeployments } from './list-deployments.js';
import { showDeployment } from './show-deployment.js';
import { reviewPlanTool } from './review-plan.js';
import { environmentHealth } from './environment-health.js';
import { listBackups } from './list-backups.js';
import { readIncident } from './read-incident.js';
import { openPullRequestTool } from './open-pull-request.js';
import { proposePromotion } from './propose-promotion.js';
import { requestDeployment } from './request-deployment.js';
import { requestRollback } from './request-rollback.js';
import { requestRestore } from './request-restore.js';
import { scheduleDeployment } from './schedule-deployment.js';

/**
 * Every tool the consultant has, in the order models and MCP clients see them. There is no
 * approve tool here, and none may be added: approval belongs to humans (DESIGN.md, "The
 * consultant"); a test fails if a tool's name or description offers to approve.
 */
export const TOOLS: readonly AnyTool[] = [
  listEnvironments,
  listTables,
  describeTable,
  readConfigFile,
  validateConfig,
  diffConfig,
  planDeployment,
  lintMigrationTool,
  generateLayerTool,
  generateMigrationTool,
  deploymentStatus,
  listDeployments,
  showDeployment,
  reviewPlanTool,
  environmentHealth,
  listBackups,
  readIncident,
  writeProposal,
  openPullRequestTool,
  proposePromotion,
  requestDeployment,
  scheduleDeployment,
  requestRollback,
  requestRestore,
] as unknown as AnyTool[];
