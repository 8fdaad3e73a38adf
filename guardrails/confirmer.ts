import type { ToolClass } from './gate.js';

/**
 * A human's answer to "may the consultant do this?". The gate asks; a confirmer answers. The
 * terminal asks on the TTY, the MCP server asks the client through elicitation, scripts pass
 * --yes (which covers propose calls only, never operate).
 */
export interface ConfirmationRequest {
  tool: string;
  title: string;
  toolClass: ToolClass;
  /** What will happen, in words, for the person deciding. */
  summary: string;
  /** The call's arguments, redacted. */
  arguments: unknown;
}

export type Confirmation = { confirmed: true; by: string } | { confirmed: false; reason: string; by?: string };

export interface Confirmer {
  /** Who or what answers, for the audit log: 'terminal', 'mcp-elicitation', '--yes', 'none'. */
  readonly kind: string;
  confirm(request: ConfirmationRequest): Promise<Confirmation>;
}

/** A non-interactive session: nobody is there to ask, so every call that needs a human is refused. */
export const noConfirmer: Confirmer = {
  kind: 'none',
  confirm: async (request) => ({
    confirmed: false,
    reason: `${request.tool} needs a person to confirm it, and this session is not interactive; run it interactively${request.toolClass === 'propose' ? ', or pass --yes to allow proposals' : ''}`,
  }),
};

/**
 * --yes: a person said in advance that proposals (a branch, files, a commit; nothing live) are fine.
 * It never covers operate calls, which change what is deployed; those still need a human at the time.
 */
export function assumeYes(user: string, fallback: Confirmer = noConfirmer): Confirmer {
  return {
    kind: '--yes',
    confirm: async (request) => (request.toolClass === 'propose' ? { confirmed: true, by: `${user} (--yes)` } : fallback.confirm(request)),
  };
}
