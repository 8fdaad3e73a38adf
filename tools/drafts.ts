import type { Draft, ToolSession } from './define-tool.js';

/** Keeps generated files in the session under a short id, so write_proposal commits them verbatim. */
export function saveDraft(session: ToolSession, draft: Omit<Draft, 'id'>, base: string): Draft {
  let n = 1;
  while (session.drafts.has(`${base}-${n}`)) n++;
  const saved = { ...draft, id: `${base}-${n}` };
  session.drafts.set(saved.id, saved);
  return saved;
}
