export { elicitationConfirmer } from './elicitation-confirmer.js';
export { serveHttp } from './http.js';
export type { HttpOptions, RunningHttp } from './http.js';
export { createMcpServer, MCP_INSTRUCTIONS } from './server.js';
export type { McpServerOptions } from './server.js';
export { mcpToolDefinition } from './tool-definitions.js';
export type { McpToolDefinition } from './tool-definitions.js';
