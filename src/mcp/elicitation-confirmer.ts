import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { Confirmer } from '../../guardrails/confirmer.js';

/**
 * Confirmation through MCP elicitation (MCP 2025-06-18 §Elicitation): the server asks the
 * client to show the person a yes/no form. A client that did not declare the elicitation
 * capability cannot ask anyone, so the call is refused: Honua fails closed, it never assumes yes.
 */
export function elicitationConfirmer(server: Server): Confirmer {
  return {
    kind: 'mcp-elicitation',
    async confirm(request) {
      const client = server.getClientVersion()?.name ?? 'the MCP client';
      if (!server.getClientCapabilities()?.elicitation) {
        return {
          confirmed: false,
          reason: `${request.tool} needs a person to confirm it, and ${client} does not support MCP elicitation, so nobody can be asked; Honua refuses rather than assume yes (use honua-ai chat, or a client with elicitation)`,
        };
      }
      try {
        const answer = await server.elicitInput({
          message: `Honua asks before a ${request.toolClass} action:\n${request.summary}\n\nAllow it?`,
          requestedSchema: {
            type: 'object',
            properties: { allow: { type: 'boolean', title: 'Allow', description: `Run ${request.title} now` } },
            required: ['allow'],
          },
        });
        if (answer.action === 'accept' && answer.content?.allow === true) return { confirmed: true, by: `${client} (elicitation)` };
        return { confirmed: false, reason: answer.action === 'accept' ? 'the person did not allow it' : `the person chose ${answer.action}`, by: `${client} (elicitation)` };
      } catch (error) {
        return { confirmed: false, reason: `the confirmation request failed (${error instanceof Error ? error.message : String(error)}); refused` };
      }
    },
  };
}
