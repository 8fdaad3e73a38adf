import type { Step } from './step.js';
import { failed } from './step.js';

/** Where the planner's answers are read, and what the person asked of every proposal. */
export interface PlannerSurface {
  /** `ask`: one shot, nobody can answer a question, so a question ends with the commands that answer it; `chat`: a conversation. */
  kind: 'ask' | 'chat';
  /** The command that runs a request again with this run's options (and `extra` flags), for `ask`. */
  rerun?: (request: string, extra?: string[]) => string;
  /** Every proposal the planner writes is followed by a pull request from its branch (open_pull_request), as if each request had asked for one. */
  pullRequest?: boolean;
}

export type PlannerMode = 'read-only' | 'propose' | 'operate';

/**
 * The session's mode, read from the tools the runner offers this turn: it offers only the tools
 * its mode allows (ToolRunner.available), so a tool that is not offered would be denied. The
 * planner never calls one; it says how to get the mode instead.
 */
export function modeOf(tools: ReadonlySet<string>): PlannerMode {
  if (['request_deployment', 'schedule_deployment', 'request_rollback', 'request_restore'].some((t) => tools.has(t))) return 'operate';
  return tools.has('write_proposal') ? 'propose' : 'read-only';
}

/** How the person gets a session in `mode` where they are: the same request again with the flag (ask), or the chat command. */
export function howToSwitch(surface: PlannerSurface, mode: 'propose' | 'operate', request: string): string {
  if (surface.kind === 'ask' && surface.rerun) return `Run it again in ${mode} mode:\n  ${surface.rerun(request, ['--mode', mode])}`;
  return mode === 'propose' ? 'Switch with /mode propose and ask again.' : 'Switch with /mode operate (or start `honua-ai chat --mode operate`) and ask again.';
}

/** What read-only mode stops, and how to allow it where the person is. */
export function needsPropose(surface: PlannerSurface, tool: string, request: string): Step {
  return failed(
    `That needs ${tool === 'write_proposal' ? 'a proposal' : `the ${tool} tool`}, which this session's read-only mode does not allow. ${howToSwitch(surface, 'propose', request)}`,
  );
}

/**
 * An operation (deploy, schedule, roll back, restore) asked for outside operate mode: how to get
 * an operate session, and the command a person runs themselves. Operate calls are confirmed by a
 * person each time, and what they start still goes through the environment's policy.
 */
export function needsOperate(surface: PlannerSurface, mode: PlannerMode, what: string, request: string, byPerson: string): Step {
  return failed(
    [
      `${what} needs an operate session, and this one is in ${mode} mode, so I did not try. In operate mode a person confirms each operation, and it still goes through the environment's policy (its approval and its window).`,
      howToSwitch(surface, 'operate', request),
      `Or a person runs it: ${byPerson}`,
    ].join('\n'),
  );
}
