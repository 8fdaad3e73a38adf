import type { Intent } from './intent.js';
import { requestText } from './request-text.js';
import { type Done, type Step, call, lastOf } from './step.js';
import type { PlannerMode, PlannerSurface } from './surface.js';

/** What a question waits for: the next message names it, and the request goes on with it. */
export type Awaiting = 'table' | 'service' | 'environment';

/**
 * What a flow of the planner sees and may do in one step: the calls done this turn, the tools the
 * session offers (and so its mode), where the answer is read, and the planner's memory — a
 * question whose answer continues the request, an assumption said first in the answer.
 */
export interface Flow {
  done: readonly Done[];
  tools: ReadonlySet<string>;
  mode: PlannerMode;
  surface: PlannerSurface;
  last(name: string): Done | undefined;
  /** A question; with `pending`, the next message that names one of its options answers it. */
  ask(text: string, answers: Array<{ label: string; request: string }>, pending?: { intent: Intent; awaiting: Awaiting; options: string[] }): Step;
  /** Said first in the answer ("I took prod to mean production."). */
  assume(text: string): void;
}

export function flowOf(base: Omit<Flow, 'last'>): Flow {
  return { ...base, last: (name) => lastOf(base.done, name) };
}

/** The repository's environments, from list_environments (in the repository's order). */
export function environmentNames(d: Done | undefined): string[] {
  return ((d?.data as { environments?: Array<{ name: string }> } | undefined)?.environments ?? []).map((e) => e.name);
}

/** Asks which environment a request is for, naming the repository's (read first); the answer continues the request. */
export function whichEnvironment(flow: Flow, intent: Intent, doing: string): Step {
  const envs = flow.last('list_environments');
  if (!envs) return call('list_environments');
  const names = environmentNames(envs);
  return flow.ask(
    `Which environment should I ${doing}?${names.length > 0 ? ` The repository has: ${names.join(', ')}.` : ''}`,
    names.map((e) => ({ label: e, request: requestText({ ...intent, environment: e } as Intent) })),
    { intent, awaiting: 'environment', options: names },
  );
}
