/**
 * The gate: for each tool call, from the tool's class and the session's mode, decide whether it
 * runs (allow), runs only after a human confirms (ask), or does not run (deny, with a reason a
 * model and a person can both read).
 *
 *   class \ mode   read-only   propose   operate
 *   read           allow       allow     allow
 *   propose        deny        ask       ask
 *   operate        deny        deny      ask
 *
 * A propose tool without side effects (it drafts files in memory, like generate_layer) is
 * allowed without asking where its class is allowed: there is nothing to confirm until the
 * draft is written, and writing it asks.
 *
 * There is no class that approves: approval belongs to humans and no tool can grant it.
 */
export type ToolClass = 'read' | 'propose' | 'operate';
export type SessionMode = 'read-only' | 'propose' | 'operate';

export const TOOL_CLASSES: readonly ToolClass[] = ['read', 'propose', 'operate'];
export const SESSION_MODES: readonly SessionMode[] = ['read-only', 'propose', 'operate'];

export type GateDecision = { outcome: 'allow' } | { outcome: 'ask' } | { outcome: 'deny'; reason: string };

const RANK: Record<ToolClass, number> = { read: 0, propose: 1, operate: 2 };
const MODE_RANK: Record<SessionMode, number> = { 'read-only': 0, propose: 1, operate: 2 };

/** Whether a session in `mode` may call tools of `toolClass` at all (with confirmation where needed). */
export const modeAllows = (mode: SessionMode, toolClass: ToolClass): boolean => RANK[toolClass] <= MODE_RANK[mode];

export function decide(toolClass: ToolClass, mode: SessionMode, options: { sideEffects?: boolean } = {}): GateDecision {
  if (!modeAllows(mode, toolClass)) {
    const needed = toolClass === 'propose' ? 'propose' : 'operate';
    return {
      outcome: 'deny',
      reason: `this session is in ${mode} mode, which does not allow ${toolClass} tools; a person can start it in ${needed} mode (--mode ${needed}) if they want this`,
    };
  }
  return toolClass === 'read' || options.sideEffects === false ? { outcome: 'allow' } : { outcome: 'ask' };
}

export function parseMode(text: string): SessionMode | undefined {
  const t = text.trim().toLowerCase();
  if (t === 'read-only' || t === 'readonly' || t === 'read') return 'read-only';
  if (t === 'propose' || t === 'operate') return t;
  return undefined;
}
