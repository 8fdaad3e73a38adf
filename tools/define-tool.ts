import type { z } from 'zod';
import type { Engine } from '../src/engine/engine.js';
import type { SessionMode, ToolClass } from '../guardrails/gate.js';

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
  /** false: the tool only touches this machine's repository and database. */
  openWorldHint?: boolean;
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
  /** What the call will do, in a sentence for the person asked to confirm it. */
  describe?(input: z.infer<I>): string;
  run(input: z.infer<I>, context: ToolContext): Promise<z.infer<O>>;
}

/** Identity with types: keeps each tool file a single declaration. */
export const defineTool = <I extends z.ZodObject, O extends z.ZodObject>(tool: Tool<I, O>): Tool<I, O> => tool;

/** Any tool, for registries (input and output types erased). */
export type AnyTool = Tool<z.ZodObject, z.ZodObject>;
