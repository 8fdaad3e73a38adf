import type { Intent } from './intent.js';

/**
 * A request for the operations and questions about environments, written back in words the parser
 * reads as the same intent (a test holds that): the request a one-shot `ask` suggests running
 * again, with an answer folded in or a flag added.
 */
export function requestText(intent: Intent): string {
  const env = (prefix: string, e: string | undefined): string => (e ? `${prefix}${e}` : '');
  switch (intent.kind) {
    case 'deploy':
      return `deploy ${intent.migration ? `migration ${intent.migration} ` : intent.ref ? `${intent.ref} ` : ''}${env('to ', intent.environment)}`.trim();
    case 'schedule':
      return `schedule ${intent.migration ? `migration ${intent.migration}` : intent.ref ? intent.ref : 'a deployment'}${env(' for ', intent.environment)}${intent.at ? ` ${intent.at}` : ''}${intent.nextWindow ? ' or the next allowed slot' : ''}`;
    case 'rollback':
      return `roll back ${intent.environment ?? ''}${intent.toDeployment ? ` to ${intent.toDeployment}` : intent.toCommit ? ` to commit ${intent.toCommit}` : ''}`
        .replace(/\s+/g, ' ')
        .trim();
    case 'restore':
      return `restore ${intent.environment ?? 'the environment'}${intent.includeDatabase === false ? ' configuration only' : intent.backupId ? ` from backup ${intent.backupId}` : ' from the latest backup'}${intent.commit ? ` at commit ${intent.commit}` : ''}`;
    case 'promote':
      return `promote ${intent.from ?? ''}${env(' to ', intent.to)}${intent.at ? ` ${intent.at}` : ''}${intent.nextWindow ? ' or the next allowed slot' : ''}`
        .replace(/\s+/g, ' ')
        .trim();
    case 'review':
      return intent.target
        ? `review ${intent.target}${env(' for ', intent.environment)}`
        : intent.latestDeployment
          ? `review the last ${intent.environment ?? ''} deployment`.replace(/\s+/g, ' ')
          : `review the plan${env(' for ', intent.environment)}`;
    case 'history':
      return `show the ${intent.limit ? `last ${intent.limit} ` : ''}${intent.outcome ?? ''} deployments${env(' in ', intent.environment)}`.replace(
        /\s+/g,
        ' ',
      );
    case 'incident':
      return intent.deployment ? `show the incident of ${intent.deployment}` : `what failed${env(' in ', intent.environment)}?`;
    case 'deployment':
      return `show deployment ${intent.id}`;
    case 'status':
      return `status${env(' of ', intent.environment)}`;
    case 'health':
      return intent.layer ? `is the ${intent.layer} layer healthy${env(' in ', intent.environment)}?` : `is ${intent.environment ?? 'everything'} healthy?`;
    case 'backups':
      return `list backups${env(' of ', intent.environment)}`;
    case 'open-pull-request':
      return `open a pull request for ${intent.branch ?? '<branch>'}`;
    default:
      // Table-bound requests are written by the planner, which knows the table they resolved to.
      return '';
  }
}
