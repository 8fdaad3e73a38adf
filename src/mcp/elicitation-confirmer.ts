import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { RequestId } from '@modelcontextprotocol/sdk/types.js';
import { type Confirmer, renderConfirmation, quoteUntrusted } from '../../guardrails/index.js';

export interface ElicitationCall {
  /** The tools/call being confirmed: the question travels as a request related to it. */
  requestId?: RequestId;
  /** Aborted when the client cancels the tools/call; the question is withdrawn with it. */
  signal?: AbortSignal;
}

/**
 * Confirmation through MCP elicitation (MCP 2025-06-18 §Elicitation): the server asks the
 * client to show the person a yes/no form. A client that did not declare the elicitation
 * capability cannot ask anyone, so the call is refused: Honua fails closed, it never assumes yes.
 *
 * `current` names the tools/call on whose behalf the question is asked. Over Streamable HTTP a
 * server-to-client request that relates to no client request can only go on the optional
 * standalone GET stream, and is dropped when the client has not opened one (MCP 2025-06-18
 * §Streamable HTTP: the client MAY issue a GET); related to the tools/call, it goes on that
 * POST's own response stream, which every client reads.
 */
export function elicitationConfirmer(server: Server, current: () => ElicitationCall | undefined = () => undefined): Confirmer {
  return {
    kind: 'mcp-elicitation',
    async confirm(request) {
      // The name is whatever the client declared at initialize: recorded as such, never as a verified identity.
      const declared = server.getClientVersion()?.name;
      const client = declared ? `MCP client ${quoteUntrusted(declared, 80)}` : 'the MCP client';
      const by = `${client} (name declared by the client; elicitation)`;
      if (!server.getClientCapabilities()?.elicitation) {
        return {
          confirmed: false,
          reason: `${request.tool} needs a person to confirm it, and ${client} does not support MCP elicitation, so nobody can be asked; Honua refuses rather than assume yes (use honua-ai chat, or a client with elicitation)`,
        };
      }
      const call = current();
      try {
        const answer = await server.elicitInput(
          {
            message: `${renderConfirmation(request)}\n\nAllow it?`,
            requestedSchema: {
              type: 'object',
              properties: { allow: { type: 'boolean', title: 'Allow', description: `Run ${request.title} now` } },
              required: ['allow'],
            },
          },
          { ...(call?.requestId !== undefined ? { relatedRequestId: call.requestId } : {}), ...(call?.signal ? { signal: call.signal } : {}) },
        );
        if (answer.action === 'accept' && answer.content?.allow === true) return { confirmed: true, by };
        return { confirmed: false, reason: answer.action === 'accept' ? 'the person did not allow it' : `the person chose ${answer.action}`, by };
      } catch (error) {
        return { confirmed: false, reason: `the confirmation request failed (${error instanceof Error ? error.message : String(error)}); refused` };
      }
    },
  };
}
