import type { Intent } from './intent.js';
import type { NormalizedRequest } from './normalize-request.js';

/** One row of the rule table: a name (for reading and tests) and a recognizer that claims a request or passes. */
export interface IntentRule {
  name: string;
  match(t: NormalizedRequest): Intent | undefined;
}

export const unknown = (reason: string): Intent => ({ kind: 'unknown', reason });
