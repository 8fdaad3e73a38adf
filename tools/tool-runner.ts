import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { type ErrorCode, HonuaError, isHonuaError } from '../src/errors/index.js';
import type { AnyTool, ToolContext, ToolPreview, ToolSession } from './define-tool.js';
import type { Engine } from '../src/engine/index.js';
import {
  type AuditEntry,
  type AuditLog,
  type ConfirmationRequest,
  type Confirmer,
  decide,
  modeAllows,
  type SessionMode,
  type Redactor,
  defangValue,
  wrapUntrusted,
} from '../guardrails/index.js';

/**
 * The one door to the tools. Every call, from a model in chat or from an MCP client, goes
 * through `call`: the arguments are checked against the tool's schema, the gate decides from the
 * tool's class and the session's mode, a human confirms where the gate says ask, the tool runs,
 * its result is checked against its output schema and redacted, and one line goes to the audit
 * log — whatever happened, including calls to tools that do not exist.
 */
export type CallStatus = 'ok' | 'error' | 'denied' | 'refused' | 'unknown-tool' | 'invalid-arguments' | 'cancelled';

export interface CallResult {
  status: CallStatus;
  tool: string;
  /** The tool's structured output (redacted), when it ran. */
  structured?: Record<string, unknown>;
  /** What the model reads: trusted framing, data inside an untrusted-data wrapper. */
  text: string;
  /** Error code and message when it did not succeed. */
  error?: { code: ErrorCode; message: string; hint?: string; data?: Record<string, unknown> };
  decision: 'allow' | 'ask' | 'deny';
  confirmedBy?: string;
  durationMs: number;
}

export interface RunnerOptions {
  tools: readonly AnyTool[];
  engine: Engine;
  mode: SessionMode;
  confirmer: Confirmer;
  audit: AuditLog;
  redactor: Redactor;
  actor: string;
  /** Where calls come from, for the audit log: chat, ask, mcp. */
  via: string;
  sessionId?: string;
  clock?: () => Date;
}

/** The facts of an error a caller acts on (the next allowed slot, an existing PR, a reset time); nothing else of its data leaves. */
const SHARED_DATA = ['nextAllowed', 'nextAllowedLocal', 'requested', 'number', 'url', 'resetAt', 'suggestions'];
function sharedData(data: Record<string, unknown>): Record<string, unknown> | undefined {
  const out = Object.fromEntries(Object.entries(data).filter(([k]) => SHARED_DATA.includes(k)));
  return Object.keys(out).length > 0 ? out : undefined;
}

export class ToolRunner {
  readonly session: ToolSession;
  private readonly byName: Map<string, AnyTool>;

  constructor(private readonly options: RunnerOptions) {
    this.session = { id: options.sessionId ?? randomUUID().slice(0, 8), actor: options.actor, mode: options.mode, drafts: new Map() };
    this.byName = new Map(options.tools.map((t) => [t.name, t]));
  }

  get mode(): SessionMode {
    return this.session.mode;
  }

  set mode(mode: SessionMode) {
    this.session.mode = mode;
  }

  get redactor(): Redactor {
    return this.options.redactor;
  }

  /** The tools this session's mode allows (the others are not shown to the model at all). */
  available(): AnyTool[] {
    return this.options.tools.filter((t) => modeAllows(this.session.mode, t.toolClass));
  }

  tool(name: string): AnyTool | undefined {
    return this.byName.get(name);
  }

  async call(name: string, rawArguments: unknown, signal?: AbortSignal): Promise<CallResult> {
    const started = Date.now();
    const tool = this.byName.get(name);
    const args = this.options.redactor.value(rawArguments ?? {});
    const base = {
      time: (this.options.clock?.() ?? new Date()).toISOString(),
      session: this.session.id,
      actor: this.options.actor,
      via: this.options.via,
      tool: name,
      mode: this.session.mode,
      arguments: args,
    };
    const finish = (result: Omit<CallResult, 'durationMs' | 'tool'>, entry: Partial<AuditEntry> & Pick<AuditEntry, 'outcome'>): CallResult => {
      const durationMs = Date.now() - started;
      this.options.audit.append({ ...base, toolClass: tool?.toolClass ?? 'unknown', decision: result.decision, ...entry, durationMs } as AuditEntry);
      return { ...result, tool: name, durationMs };
    };

    if (!tool) {
      const known = this.available().map((t) => t.name);
      const message = `there is no tool "${name}"${/approv/i.test(name) ? '; approval is a human decision and no tool can grant it' : ''}`;
      return finish(
        {
          status: 'unknown-tool',
          decision: 'deny',
          error: { code: 'unknown-tool', message },
          text: `Error: ${message}. Available tools: ${known.join(', ')}.`,
        },
        { outcome: 'refused', reason: 'unknown tool', error: { code: 'unknown-tool', message } },
      );
    }
    const gate = decide(tool.toolClass, this.session.mode, { sideEffects: !tool.annotations.readOnlyHint });
    if (gate.outcome === 'deny') {
      return finish(
        {
          status: 'denied',
          decision: 'deny',
          error: { code: 'denied', message: gate.reason },
          text: `Refused: ${tool.name} was not run because ${gate.reason}.`,
        },
        { outcome: 'denied', reason: gate.reason },
      );
    }
    const parsed = tool.input.safeParse(rawArguments ?? {});
    if (!parsed.success) {
      const message = this.options.redactor.text(z.prettifyError(parsed.error));
      return finish(
        {
          status: 'invalid-arguments',
          decision: gate.outcome,
          error: { code: 'invalid-arguments', message },
          text: `Error: the arguments of ${tool.name} do not match its input schema:\n${message}`,
        },
        { outcome: 'error', error: { code: 'invalid-arguments', message } },
      );
    }
    let confirmedBy: string | undefined;
    const context: ToolContext = {
      engine: this.options.engine,
      session: this.session,
      redact: (text) => this.options.redactor.text(text),
      ...(signal ? { signal } : {}),
    };
    const failed = (error: unknown): CallResult => {
      const e: { code: ErrorCode; message: string; hint?: string; data?: Record<string, unknown> } = isHonuaError(error)
        ? {
            code: error.code,
            message: error.message,
            ...(error.hint ? { hint: error.hint } : {}),
            ...(sharedData(error.data) ? { data: sharedData(error.data) } : {}),
          }
        : { code: 'internal-error', message: error instanceof Error ? error.message : String(error) };
      const redacted = this.options.redactor.value(e);
      const body = `${redacted.message}${redacted.hint ? `\nHint: ${redacted.hint}` : ''}`;
      return finish(
        {
          status: 'error',
          decision: gate.outcome,
          error: redacted,
          text: `Error (${redacted.code}) from ${tool.name}:\n${wrapUntrusted(body, `error from ${tool.name}`)}`,
          ...(confirmedBy ? { confirmedBy } : {}),
        },
        { outcome: 'error', error: { code: redacted.code, message: redacted.message }, ...(confirmedBy ? { confirmedBy } : {}) },
      );
    };
    // Everything that can be checked is checked before anyone is asked; the person confirms what the preview shows.
    let preview: ToolPreview | undefined;
    if (tool.preview) {
      try {
        preview = await tool.preview(parsed.data, context);
      } catch (error) {
        return failed(error);
      }
    }
    if (gate.outcome === 'ask') {
      const redact = this.options.redactor;
      const request: ConfirmationRequest = preview
        ? {
            tool: tool.name,
            title: tool.title,
            toolClass: tool.toolClass,
            summary: redact.text(preview.summary),
            ...(preview.details ? { details: preview.details.map((d) => redact.text(d)) } : {}),
            ...(preview.warnings ? { warnings: preview.warnings.map((w) => redact.text(w)) } : {}),
            ...(preview.quoted ? { quoted: preview.quoted.map((q) => ({ label: q.label, text: redact.text(q.text) })) } : {}),
            arguments: args,
          }
        : {
            tool: tool.name,
            title: tool.title,
            toolClass: tool.toolClass,
            summary: `${tool.title}.`,
            quoted: [{ label: 'arguments (from the model)', text: JSON.stringify(args) }],
            arguments: args,
          };
      const answer = await this.options.confirmer.confirm(request);
      if (!answer.confirmed) {
        return finish(
          {
            status: 'refused',
            decision: 'ask',
            error: { code: 'not-confirmed', message: answer.reason },
            text: `Refused: ${tool.name} was not run: ${answer.reason}. Do not retry it unless the person asks.`,
          },
          { outcome: 'refused', reason: answer.reason, ...(answer.by ? { confirmedBy: answer.by } : {}) },
        );
      }
      confirmedBy = answer.by;
    }
    if (signal?.aborted) {
      return finish(
        { status: 'cancelled', decision: gate.outcome, error: { code: 'cancelled', message: 'cancelled' }, text: 'Cancelled before it ran.' },
        { outcome: 'cancelled' },
      );
    }
    try {
      const output = await tool.run(parsed.data, context, preview?.state);
      const checked = tool.output.safeParse(output);
      if (!checked.success)
        throw new HonuaError('internal-error', `${tool.name} returned output that does not match its schema: ${z.prettifyError(checked.error)}`);
      // Raw strings from outside (names, values) cannot forge a wrapper tag; secrets are removed.
      const structured = this.options.redactor.value(defangValue(checked.data as Record<string, unknown>));
      return finish(
        {
          status: 'ok',
          decision: gate.outcome,
          structured,
          text: wrapUntrusted(JSON.stringify(structured, null, 1), `honua tool ${tool.name}`),
          ...(confirmedBy ? { confirmedBy } : {}),
        },
        { outcome: 'ok', ...(confirmedBy ? { confirmedBy } : {}) },
      );
    } catch (error) {
      return failed(error);
    }
  }
}
