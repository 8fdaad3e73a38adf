import type { ToolClass } from './gate.js';
import { printable, quoteUntrusted } from './untrusted.js';

/**
 * A human's answer to "may the consultant do this?". The gate asks; a confirmer answers. The
 * terminal asks on the TTY, the MCP server asks the client through elicitation, scripts pass
 * --yes (which covers propose calls only, never operate).
 *
 * What the person reads is built by Honua from facts it computed itself (the branch, the files,
 * lines changed, which files are policies, the SQL that will be committed). Text that came from
 * the model or from outside (a commit message, a name) is never part of those lines: it is shown
 * separately, quoted on one line with control characters escaped, so it cannot pose as Honua.
 */
export interface ConfirmationRequest {
  tool: string;
  title: string;
  toolClass: ToolClass;
  /** What will happen, in one sentence written by Honua. */
  summary: string;
  /** Facts Honua computed, one per line (files and lines changed, targets, SQL). */
  details?: string[];
  /** What the person must not miss (a policy file changes, a push to a remote), shown first. */
  warnings?: string[];
  /** Text written by the model or read from outside, shown quoted under its label. */
  quoted?: Array<{ label: string; text: string }>;
  /** The call's arguments, redacted. */
  arguments: unknown;
}

export type Confirmation = { confirmed: true; by: string } | { confirmed: false; reason: string; by?: string };

export interface Confirmer {
  /** Who or what answers, for the audit log: 'terminal', 'mcp-elicitation', '--yes', 'none'. */
  readonly kind: string;
  confirm(request: ConfirmationRequest): Promise<Confirmation>;
}

/**
 * The question as a person reads it, the same in a terminal and in an MCP client. Every line
 * Honua did not write is escaped, so no line of it can be forged.
 */
export function renderConfirmation(request: ConfirmationRequest): string {
  const out: string[] = [
    `Honua asks before ${request.toolClass === 'operate' ? 'an' : 'a'} ${request.toolClass} action (${request.tool}):`,
    printable(request.summary),
  ];
  for (const w of request.warnings ?? []) out.push(`  ⚠ ${printable(w)}`);
  for (const d of request.details ?? []) out.push(`  ${printable(d)}`);
  for (const q of request.quoted ?? []) out.push(`  ${printable(q.label)}: ${quoteUntrusted(q.text)}`);
  return out.join('\n');
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
