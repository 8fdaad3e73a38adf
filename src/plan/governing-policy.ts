import type { DesiredState, EffectivePolicy } from '../config/index.js';

/**
 * Which policy judges a change: the deployed one when something is deployed; else the one at the
 * change's base commit; the change's own only when it has no base at all (a directory outside
 * git). A change is never judged by a policy it brings itself.
 */
export interface GoverningPolicy {
  policy: EffectivePolicy;
  source: 'baseline' | 'base' | 'desired';
}

export function governingPolicy(input: {
  desired: DesiredState;
  baseline: DesiredState | null;
  basePolicy?: { policy: EffectivePolicy } | undefined;
}): GoverningPolicy {
  if (input.baseline) return { policy: input.baseline.policy, source: 'baseline' };
  if (input.basePolicy) return { policy: input.basePolicy.policy, source: 'base' };
  return { policy: input.desired.policy, source: 'desired' };
}
