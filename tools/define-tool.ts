import type { z } from 'zod';
import type { Engine } from '../src/engine/index.js';
import type { SessionMode, ToolClass } from '../guardrails/index.js';

/**
 * A tool the consultant may call. Each declares, for the model and for MCP clients, a name, a
 * title, a description written for a model, zod input and output schemas (the output is returned
 * as structured data), its class (read, propose, operate) and MCP annotations; its handler calls
 * the Engine and nothing below it. Tools never approve anything: there is no such class.
 */
export interface ToolAnnotations {
  /** Set explicitly on every tool (MCP defaults it to false when absent). */
  readOnlyHint: boolean;
  destructiveHint?: boolean;
  idempotentHint?: boolean;
  /** false: the tool only touches this machine's repository and database; true: it reaches other hosts (a push to origin). */
  openWorldHint?: boolean;
}

/**
 * What a call that needs a person's confirmation will do, worked out before anyone is asked:
 * every check that can fail runs here (paths, names, validation), so a person is never asked
 * about a call that cannot succeed, and what they confirm is exactly what `run` then does.
 * `summary`, `details` and `warnings` are written by the tool from facts it computed; text from
 * the model or from outside goes in `quoted`, which is shown quoted on one line.
 */
export interface ToolPreview {
  summary: string;
  details?: string[];
  warnings?: string[];
  quoted?: Array<{ label: string; text: string }>;
  /** What `run` needs to do exactly what was shown (kept in memory, never shown or logged). */
  state?: unknown;
}

/** Files generated in this session, kept so a proposal can commit them verbatim by id. */
export interface Draft {
  id: string;
  kind: 'layer' | 'migration';
  summary: string;
  files: Array<{ path: string; content: string }>;
}

export interface ToolSession {
  id: string;
  /** Who the session acts for (OS user, MCP client). */
  actor: string;
  mode: SessionMode;
  drafts: Map<string, Draft>;
}

export interface ToolContext {
  engine: Engine;
  session: ToolSession;
  /** Removes secrets from text that leaves this machine (a pull request's title and body). */
  redact?: (text: string) => string;
  signal?: AbortSignal;
}

export interface Tool<I extends z.ZodObject = z.ZodObject, O extends z.ZodObject = z.ZodObject> {
  name: string;
  title: string;
  description: string;
  toolClass: ToolClass;
  annotations: ToolAnnotations;
  input: I;
  output: O;
  /** Checks and describes a call before a person is asked to confirm it (tools with side effects). */
  preview?(input: z.infer<I>, context: ToolContext): Promise<ToolPreview>;
  /** Runs the call; `prepared` is the state of the preview the person confirmed, when there was one. */
  run(input: z.infer<I>, context: ToolContext, prepared?: unknown): Promise<z.infer<O>>;
}

/** Identity with types: keeps each tool file a single declaration. */
export const defineTool = <I extends z.ZodObject, O extends z.ZodObject>(tool: Tool<I, O>): Tool<I, O> => tool;

/** Any tool, for registries (input and output types erased). */
export type AnyTool = Tool<z.ZodObject, z.ZodObject>;
