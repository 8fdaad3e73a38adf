import { randomBytes } from 'node:crypto';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { Command } from 'commander';
import { TOOLS } from '../../../tools/index.js';
import { UsageError } from '../../errors/index.js';
import { serveHttp } from '../../mcp/http.js';
import { createMcpServer } from '../../mcp/server.js';
import { EXIT } from '../exit-codes.js';
import type { Io } from '../io.js';
import { packageVersion, type CommandResult } from '../program.js';
import { addSessionOptions, auditLogFor, engineFor, osUser, redactorFor, sessionMode, type SessionFlags } from './session-options.js';

/**
 * `honua-ai mcp`: the tool layer as an MCP server, for editors and agents (Claude Desktop,
 * VS Code, Cursor, ...). stdio by default (stdout carries only protocol messages; logs go to
 * stderr); Streamable HTTP on 127.0.0.1 with a bearer token on request.
 */
interface McpFlags extends SessionFlags {
  transport: string;
  host: string;
  port: string;
  token?: string;
}

export function registerMcp(program: Command, io: Io, done: CommandResult, waitForExit: (close: () => Promise<void>) => Promise<void>): void {
  addSessionOptions(program.command('mcp').description('Serve the consultant\'s tools over the Model Context Protocol (stdio or HTTP)'), 'read-only')
    .option('--transport <transport>', 'stdio | http', 'stdio')
    .option('--host <host>', 'http: address to listen on', '127.0.0.1')
    .option('--port <port>', 'http: port (0 picks a free one)', '8765')
    .option('--token <token>', 'http: bearer token clients must send (default: $HONUA_MCP_TOKEN, else a random one printed on stderr)')
    .addHelpText('after', `
Modes: read-only (default) lists only the read tools; propose adds generate_* and write_proposal
(write_proposal asks the person through MCP elicitation, and is refused if the client cannot ask);
operate adds operate tools. No mode has a tool that approves anything.

Examples:
  honua-ai mcp --repo ~/honua-config                         # stdio, for an editor's MCP config
  honua-ai mcp --mode propose --repo ~/honua-config
  HONUA_MCP_TOKEN=secret honua-ai mcp --transport http --port 8765`)
    .action(async (opts: McpFlags) => {
      const mode = sessionMode(opts.mode, 'read-only');
      if (opts.transport !== 'stdio' && opts.transport !== 'http') throw new UsageError('bad-transport', `--transport "${opts.transport}" is not stdio or http`);
      const redactor = redactorFor(io.env, opts);
      const audit = auditLogFor(io, opts, redactor);
      const { engine, context } = await engineFor(io, opts);
      const version = packageVersion();
      const newServer = (actor: string) => createMcpServer({ tools: TOOLS, engine, mode, audit, redactor, actor, version }).server;
      const log = (line: string) => void io.stderr.write(`${line}\n`);
      log(`honua-ai mcp: ${mode} mode, repository ${context.repoDir ?? '(none)'}, database from ${context.databaseFrom}, audit log ${audit.path}`);
      if (opts.transport === 'stdio') {
        const server = newServer(`${osUser(io.env)} via stdio`);
        const transport = new StdioServerTransport();
        await server.connect(transport);
        await waitForExit(async () => {
          await server.close();
          await engine.close();
        });
        done.code = EXIT.ok;
        return;
      }
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('bad-port', `--port "${opts.port}" is not a port number`);
      const token = opts.token ?? io.env.HONUA_MCP_TOKEN ?? randomBytes(24).toString('base64url');
      redactor.addSecret(token);
      if (!['127.0.0.1', 'localhost', '::1'].includes(opts.host)) log(`warning: listening on ${opts.host}, not loopback: anyone who can reach it and holds the token can use the tools`);
      const http = await serveHttp({ host: opts.host, port, token, newSession: () => newServer(`${osUser(io.env)} via http`), log });
      log(`listening on ${http.url}`);
      if (opts.token === undefined && io.env.HONUA_MCP_TOKEN === undefined) log(`bearer token: ${token}`);
      await waitForExit(async () => {
        await http.close();
        await engine.close();
      });
      done.code = EXIT.ok;
    });
}
