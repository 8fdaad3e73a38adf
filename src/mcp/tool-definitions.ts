import { z } from 'zod';
import type { AnyTool } from '../../tools/index.js';

/**
 * A tool as MCP lists it (tools/list): name, title, description, JSON Schemas for input and
 * output, and annotations. MCP 2025-06-18 §Tools: `inputSchema` is a JSON Schema object,
 * `outputSchema` describes `structuredContent`; annotations are hints, so readOnlyHint is set
 * explicitly on every tool rather than left to the client's default.
 */
export interface McpToolDefinition {
  name: string;
  title: string;
  description: string;
  inputSchema: { type: 'object'; [key: string]: unknown };
  outputSchema: { type: 'object'; [key: string]: unknown };
  annotations: { title: string; readOnlyHint: boolean; destructiveHint?: boolean; idempotentHint?: boolean; openWorldHint?: boolean };
  _meta: { 'honua/class': string };
}

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): { type: 'object'; [key: string]: unknown } {
  const out = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  delete out.$schema;
  return { ...out, type: 'object' };
}

export function mcpToolDefinition(tool: AnyTool): McpToolDefinition {
  return {
    name: tool.name,
    title: tool.title,
    description: tool.description,
    inputSchema: jsonSchema(tool.input, 'input'),
    outputSchema: jsonSchema(tool.output, 'output'),
    annotations: { title: tool.title, ...tool.annotations },
    _meta: { 'honua/class': tool.toolClass },
  };
}
