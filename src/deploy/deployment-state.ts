import { HonuaError } from '../errors/index.js';

/**
 * The states of a deployment and the one table of transitions between them (DESIGN.md,
 * "Deployments"). Pending → Validating → Planning → AwaitingApproval → BackingUp → Applying →
 * PostValidating → Completed; a failure → Failed, or RollingBack → RolledBack once something was
 * changed; Rejected and Expired end an approval. A deployment outside its window waits in Pending
 * with a `notBefore`; an approved one that finds its window closed goes back to Pending. Any other
 * move is a bug and throws.
 */
export const DEPLOYMENT_STATES = [
  'Pending',
  'Validating',
  'Planning',
  'AwaitingApproval',
  'BackingUp',
  'Applying',
  'PostValidating',
  'Completed',
  'Failed',
  'RollingBack',
  'RolledBack',
  'Rejected',
  'Expired',
] as const;

export type DeploymentState = (typeof DEPLOYMENT_STATES)[number];

export const TRANSITIONS: Readonly<Record<DeploymentState, readonly DeploymentState[]>> = {
  Pending: ['Validating', 'Failed', 'Expired'],
  Validating: ['Planning', 'Failed'],
  Planning: ['AwaitingApproval', 'BackingUp', 'Pending', 'Failed', 'Expired'],
  AwaitingApproval: ['BackingUp', 'Pending', 'Rejected', 'Expired', 'Failed'],
  BackingUp: ['Applying', 'Failed'],
  Applying: ['PostValidating', 'RollingBack', 'Failed'],
  PostValidating: ['Completed', 'RollingBack', 'Failed'],
  RollingBack: ['RolledBack', 'Failed'],
  Completed: [],
  Failed: [],
  RolledBack: [],
  Rejected: [],
  Expired: [],
};

/** Nothing happens to a deployment in these any more. */
export const isTerminal = (state: DeploymentState): boolean => TRANSITIONS[state].length === 0;

/** States that wait for something outside the engine: a person (approval) or the clock (a window). */
export const isWaiting = (state: DeploymentState): boolean => state === 'Pending' || state === 'AwaitingApproval';

/** States in which the engine is working: a process that dies here leaves the deployment to be resumed. */
export const isRunning = (state: DeploymentState): boolean => !isTerminal(state) && !isWaiting(state);

/** States from which the database or the active snapshot may have been changed. */
export const hasChangedSomething = (state: DeploymentState): boolean => state === 'Applying' || state === 'PostValidating' || state === 'RollingBack';

export function assertTransition(from: DeploymentState, to: DeploymentState, id: string): void {
  if (!TRANSITIONS[from].includes(to)) {
    throw new HonuaError('illegal-transition', `deployment ${id} cannot go from ${from} to ${to}`, {
      hint: `From ${from} a deployment goes to ${TRANSITIONS[from].join(', ') || 'nothing (it has ended)'}.`,
      data: { id, from, to },
    });
  }
}
