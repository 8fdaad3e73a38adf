import { randomBytes } from 'node:crypto';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type Command, Option } from 'commander';
import { TOOLS } from '../../../tools/index.js';
import { honuaHome } from '../../runtime/index.js';
import { UsageError } from '../../errors/index.js';
import { serveHttp, createMcpServer } from '../../mcp/index.js';
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
  tokenFile?: string;
  allowOrigin?: string[];
}

/**
 * The HTTP bearer token: from --token-file, else $HONUA_MCP_TOKEN, else a new random one written
 * to $HONUA_HOME/mcp/token (mode 0600). Never from argv (every user of the machine can read a
 * process's arguments), never printed.
 */
function bearerToken(io: Io, opts: McpFlags): { token: string; from: string } {
  if (opts.token !== undefined) {
    throw new UsageError('token-on-command-line', '--token puts the secret where every user of this machine can read it (the process list)', {
      hint: 'Put it in HONUA_MCP_TOKEN or in a file passed with --token-file, or leave both out to have one generated.',
    });
  }
  if (opts.tokenFile !== undefined) {
    const file = path.resolve(io.cwd, opts.tokenFile);
    try {
      return { token: readFileSync(file, 'utf8').trim(), from: file };
    } catch (cause) {
      throw new UsageError('token-file-unreadable', `cannot read the token file ${file}`, { cause });
    }
  }
  if (io.env.HONUA_MCP_TOKEN) return { token: io.env.HONUA_MCP_TOKEN, from: '$HONUA_MCP_TOKEN' };
  const dir = path.join(honuaHome(io.env), 'mcp');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, 'token');
  const token = randomBytes(32).toString('base64url');
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return { token, from: `${file} (new, readable by you only)` };
}

export function registerMcp(program: Command, io: Io, done: CommandResult, waitForExit: (close: () => Promise<void>) => Promise<void>): void {
  addSessionOptions(program.command('mcp').description("Serve the consultant's tools over the Model Context Protocol (stdio or HTTP)"), 'read-only')
    .option('--transport <transport>', 'stdio | http', 'stdio')
    .option('--host <host>', 'http: address to listen on', '127.0.0.1')
    .option('--port <port>', 'http: port (0 picks a free one)', '8765')
    .option(
      '--token-file <file>',
      'http: file holding the bearer token clients must send (default: $HONUA_MCP_TOKEN, else a new random one in $HONUA_HOME/mcp/token)',
    )
    .option('--allow-origin <origin...>', "http: browser origins allowed besides the server's own (e.g. http://localhost:6274)")
    .addOption(new Option('--token <token>', 'refused: a token on the command line is visible to every user').hideHelp())
    .addHelpText(
      'after',
      `
Modes: read-only (default) lists only the read tools; propose adds generate_* and write_proposal
(write_proposal asks the person through MCP elicitation, and is refused if the client cannot ask);
operate adds operate tools. No mode has a tool that approves anything.

Examples:
  honua-ai mcp --repo ~/honua-config                         # stdio, for an editor's MCP config
  honua-ai mcp --mode propose --repo ~/honua-config
  HONUA_MCP_TOKEN=$(openssl rand -base64 32) honua-ai mcp --transport http --port 8765
  honua-ai mcp --transport http --token-file ~/.config/honua/mcp-token`,
    )
    .action(async (opts: McpFlags) => {
      const mode = sessionMode(opts.mode, 'read-only');
      if (opts.transport !== 'stdio' && opts.transport !== 'http')
        throw new UsageError('bad-transport', `--transport "${opts.transport}" is not stdio or http`);
      const redactor = redactorFor(io.env, opts);
      const audit = auditLogFor(io, opts, redactor);
      const engine = await engineFor(io, opts, { mode });
      const version = packageVersion();
      const newServer = (actor: string) => createMcpServer({ tools: TOOLS, engine, mode, audit, redactor, actor, version }).server;
      // Every line this command writes goes through the session's redactor.
      const log = (line: string) => void io.stderr.write(`${redactor.text(line)}\n`);
      log(
        `honua-ai mcp: ${mode} mode, repository ${engine.workspace.repoDir ?? '(none)'}, database from ${engine.workspace.describeDatabase()}, audit log ${audit.path}`,
      );
      const warnings = engine.connectionWarnings().then((list) => list.forEach((w) => log(`warning: ${w}`)));
      if (opts.transport === 'stdio') {
        const server = newServer(`${osUser(io.env)} via stdio`);
        const transport = new StdioServerTransport();
        await server.connect(transport);
        await waitForExit(async () => {
          await warnings;
          await server.close();
          await engine.close();
        });
        done.code = EXIT.ok;
        return;
      }
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('bad-port', `--port "${opts.port}" is not a port number`);
      const { token, from } = bearerToken(io, opts);
      redactor.addSecret(token);
      if (!['127.0.0.1', 'localhost', '::1'].includes(opts.host))
        log(`warning: listening on ${opts.host}, not loopback: anyone who can reach it and holds the token can use the tools`);
      const http = await serveHttp({
        host: opts.host,
        port,
        token,
        newSession: () => newServer(`${osUser(io.env)} via http`),
        log,
        ...(opts.allowOrigin ? { allowedOrigins: opts.allowOrigin } : {}),
      });
      log(`listening on ${http.url}`);
      log(`bearer token from ${from}`);
      await waitForExit(async () => {
        await warnings;
        await http.close();
        await engine.close();
      });
      done.code = EXIT.ok;
    });
}
