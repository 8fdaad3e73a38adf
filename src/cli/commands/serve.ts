import path from 'node:path';
import type { Command } from 'commander';
import { FileAuditLog, Redactor } from '../../../guardrails/index.js';
import { parseDuration } from '../../config/index.js';
import { UsageError } from '../../errors/index.js';
import { createRuntime } from '../../runtime/index.js';
import { HonuaServer, OgcVerifier, ServerDatabases, workingTreeSnapshot } from '../../server/index.js';
import { EXIT } from '../exit-codes.js';
import { type Io, Style } from '../io.js';
import type { CommandResult } from '../program.js';

interface ServeOptions {
  repo?: string;
  databaseUrl?: string;
  datasource?: string;
  state?: string;
  json?: boolean;
  environment: string;
  port: string;
  host: string;
  baseUrl?: string;
  basePath: string;
  poll: string;
  dueEvery: string;
  admin: boolean;
}

/**
 * `honua serve`: the environment's active snapshot as OGC API Features, the admin API, /metrics,
 * /healthz and /readyz, reloaded without a restart when a deployment activates another snapshot.
 * With no repository it serves the sample city (the sample workspace, development, embedded), and
 * an environment never deployed is served from its working tree, saying so.
 */
export function registerServe(program: Command, io: Io, done: CommandResult): void {
  program
    .command('serve')
    .description(
      "Serve an environment's deployed snapshot as OGC API Features (with the admin API, /metrics, /healthz, /readyz); reloads when a deployment activates another",
    )
    .option('--repo <dir>', 'config repository (default: the current directory, else the sample workspace)')
    .option('--database-url <url>', "serve every layer from this database, instead of the environments' DataSources")
    .option('--datasource <name>', 'the DataSource, when the environment has several')
    .option('--state <store>', 'where deployments live: a directory, a postgres:// URL, or "config"; default $HONUA_STATE, else $HONUA_HOME/state')
    .option('-e, --environment <env>', 'the environment to serve', 'development')
    .option('--port <n>', 'the port (0: any free one)', '5555')
    .option('--host <host>', 'the address to listen on', '127.0.0.1')
    .option('--base-url <url>', 'the public root URL clients reach (behind a proxy); links use it')
    .option('--base-path <path>', 'the OGC API path prefix', '/ogc')
    .option('--poll <duration>', 'how often to re-read the state besides change notifications (0: never)', '2s')
    .option('--due-every <duration>', 'how often to start what is due: scheduled deployments, windows that opened, expired approvals (0: never)', '30s')
    .option('--no-admin', 'do not serve the admin API (/admin/v1)')
    .option('--json', 'print one JSON line with the URLs once listening')
    .addHelpText(
      'after',
      `
Endpoints: /ogc (landing), /ogc/conformance, /ogc/api, /ogc/collections[/{service::layer}[/items[/{id}]]],
/admin/v1 (bearer token from honua user add; /admin/v1/openapi.json), /metrics, /healthz, /readyz.
With --json: one line {"url", "ogc", "admin", "environment", "snapshot", "source"} once listening.
Stops on Ctrl-C (SIGINT) or SIGTERM, letting requests in flight finish. docs/server.md has the details.`,
    )
    .action(async (opts: ServeOptions) => {
      const port = Number(opts.port);
      if (!/^\d+$/.test(opts.port) || port > 65535) throw new UsageError('bad-port', `--port "${opts.port}" is not a port number`);
      const poll = opts.poll === '0' ? 0 : parseDuration(opts.poll);
      if (poll === undefined) throw new UsageError('bad-duration', `--poll "${opts.poll}" is not a duration`);
      const dueEvery = opts.dueEvery === '0' ? 0 : parseDuration(opts.dueEvery);
      if (dueEvery === undefined) throw new UsageError('bad-duration', `--due-every "${opts.dueEvery}" is not a duration`);
      if (opts.baseUrl !== undefined && !/^https?:\/\/[^\s]+$/i.test(opts.baseUrl))
        throw new UsageError('bad-argument', `--base-url "${opts.baseUrl}" is not an http(s) URL`);
      const log = (line: string) => void io.stderr.write(`honua serve: ${line}\n`);
      const environment = opts.environment;
      let live: HonuaServer | undefined;
      const runtime = await createRuntime({
        cwd: io.cwd,
        env: io.env,
        repo: opts.repo,
        sampleWorkspace: true,
        environment,
        databaseUrl: opts.databaseUrl,
        datasource: opts.datasource,
        state: opts.state,
        verifiers: [new OgcVerifier({ basePath: opts.basePath, live: () => live })],
        log,
      });
      try {
        const engine = runtime.engine();
        const store = await runtime.stateStore(environment);
        const redactor = new Redactor();
        redactor.addFromEnv(io.env);
        live = await HonuaServer.create({
          environment,
          store,
          engine: opts.admin ? engine : undefined,
          databases: new ServerDatabases({
            env: io.env,
            home: runtime.home,
            databaseUrl: opts.databaseUrl,
            embedded: () => runtime.database(environment),
            log,
          }),
          fallback: async () => (runtime.repoDir === undefined ? undefined : workingTreeSnapshot(await runtime.config(), environment, runtime.clock())),
          basePath: opts.basePath,
          baseUrl: opts.baseUrl,
          audit: new FileAuditLog(path.join(runtime.home, 'audit', 'admin-api.jsonl'), redactor),
          pollMs: poll,
          scheduleMs: dueEvery,
          log,
        });
        const server = live;
        const registry = server.registry;
        if (registry.source === 'working tree') {
          log(
            `${environment} has no deployment in ${store.description}; serving its configuration from the working tree of ${runtime.repoDir} (${runtime.repoFrom}). Deploy it to serve a snapshot: honua deploy -e ${environment}${runtime.repoFrom === 'workspace' ? ` --repo ${runtime.repoDir}` : ''}`,
          );
        }
        await server.watch();
        const address = await server.listen(port, opts.host);
        const root = (opts.baseUrl ?? address).replace(/\/$/, '');
        const ogc = `${root}${server.basePath}`;
        if (opts.json) {
          io.stdout.write(
            `${JSON.stringify({ url: root, ogc, admin: opts.admin ? `${root}/admin/v1` : null, environment, snapshot: registry.id, source: registry.source })}\n`,
          );
        } else {
          const style = Style.detect(io, 'stdout', program.opts().color as boolean | undefined);
          io.stdout.write(
            `${style.green('✓')} serving ${environment} (${registry.source === 'snapshot' ? `snapshot ${registry.id}, commit ${registry.commit.slice(0, 7)}` : 'working tree, not deployed'}): ${registry.collections.size} collection(s)\n` +
              `  OGC API     ${ogc}\n` +
              `${opts.admin ? `  admin API   ${root}/admin/v1 (bearer token)\n` : ''}` +
              `  metrics     ${root}/metrics · health ${root}/healthz · ready ${root}/readyz\n` +
              `  ${style.dim('Ctrl-C to stop')}\n`,
          );
        }
        await new Promise<void>((resolve) => {
          const stop = () => {
            process.off('SIGINT', stop);
            process.off('SIGTERM', stop);
            resolve();
          };
          process.on('SIGINT', stop);
          process.on('SIGTERM', stop);
        });
        log('stopping: letting requests in flight finish');
        await server.close();
        done.code = EXIT.ok;
      } finally {
        await runtime.close();
      }
    });
}
