import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Engine } from '../../engine/index.js';
import type { User } from '../../deploy/index.js';
import { HonuaError, isHonuaError } from '../../errors/index.js';
import type { AuditLog } from '../../../guardrails/index.js';
import type { Maintenance } from '../maintenance.js';
import { restoresDatabase, withRestoreMaintenance } from '../restore-maintenance.js';
import { adminOpenApi } from './admin-openapi.js';

/**
 * The admin API (/admin/v1): what `honua status`, `deployments`, `deployment approve|reject`,
 * `rollback` and `restore` do, over HTTP, for people and for a remote engine (`--server`). Every
 * call but the API's own description needs a bearer token that names a user (the users file or the
 * environment's ServerConfig users): 401 without one or with one nobody has; the engine then
 * applies the same rules as the CLI (an approval by someone the policy does not list is 403).
 * Tokens are read from the Authorization header only — one in the query string is refused, since
 * URLs end up in logs. Every call is audited (who, what, the outcome), without the token.
 */
export interface AdminOptions {
  engine: Engine;
  audit?: AuditLog | undefined;
  /** The server's maintenance mode, when it has one (GET/POST /maintenance). */
  maintenance?: Maintenance | undefined;
  /** Called after a call that may have changed what is active (approve, reject, rollback, restore): the server reloads. */
  changed?: (environment: string) => Promise<void>;
}

const ApproveBody = z.strictObject({ comment: z.string().max(2000).optional() }).default({});
const RollbackBody = z.strictObject({ toDeployment: z.string().min(1).optional(), toCommit: z.string().min(1).optional() }).default({});
const RestoreBody = z.strictObject({
  commit: z.string().min(1),
  includeDatabase: z.boolean().optional(),
  backupId: z.string().min(1).optional(),
  force: z.boolean().optional(),
});

const MaintenanceBody = z.strictObject({
  enabled: z.boolean(),
  reason: z.string().min(1).max(500).optional(),
  retryAfterSeconds: z.number().int().min(1).max(86_400).optional(),
});

const JSON_TYPE = 'application/json';
const TOKEN_IN_QUERY = /(^|&)(token|access_token|api_key|apikey)=/i;

function bearer(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header === undefined) return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!m) throw new HonuaError('unauthenticated', 'the Authorization header is not "Bearer <token>"');
  return m[1];
}

function errorBody(error: unknown): { status: number; body: Record<string, unknown> } {
  if (isHonuaError(error)) {
    if (error.fault === 'system') return { status: error.httpStatus, body: { error: { code: error.code, message: 'internal error', fault: 'system' } } };
    return { status: error.httpStatus, body: { error: error.toJSON() } };
  }
  if (error instanceof z.ZodError) {
    return {
      status: 400,
      body: { error: { code: 'bad-request', message: error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '), fault: 'user' } },
    };
  }
  return { status: 500, body: { error: { code: 'internal-error', message: 'internal error', fault: 'system' } } };
}

export async function adminRoutes(app: FastifyInstance, options: AdminOptions): Promise<void> {
  const { engine } = options;
  const prefix = '/admin/v1';

  type Handler = (ctx: { request: FastifyRequest; user: User; params: Record<string, string>; query: URLSearchParams }) => Promise<unknown>;

  const route = (method: 'GET' | 'POST', url: string, environmentOf: (params: Record<string, string>) => string | undefined, fn: Handler) => {
    app.route({
      method,
      url: `${prefix}${url}`,
      handler: async (request: FastifyRequest, reply: FastifyReply) => {
        const started = performance.now();
        const params = request.params as Record<string, string>;
        const query = new URLSearchParams((request.raw.url ?? '').split('?')[1] ?? '');
        let user: User | undefined;
        let outcome: 'ok' | 'error' | 'denied' = 'ok';
        let failure: { code: string; message: string } | undefined;
        try {
          if (TOKEN_IN_QUERY.test(query.toString())) {
            throw new HonuaError('unauthenticated', 'tokens are accepted only in the Authorization header, never in the URL (URLs are logged)');
          }
          const token = bearer(request);
          if (token === undefined)
            throw new HonuaError('unauthenticated', 'the admin API needs a token: Authorization: Bearer <token> (honua user add makes one)');
          user = await engine.identify({ token, environment: environmentOf(params) });
          const result = await fn({ request, user, params, query });
          return reply.type(JSON_TYPE).send(JSON.stringify(result));
        } catch (error) {
          const { status, body } = errorBody(error);
          outcome = status === 401 || status === 403 ? 'denied' : 'error';
          failure = { code: String((body.error as { code: string }).code), message: String((body.error as { message: string }).message) };
          if (status === 401) reply.header('www-authenticate', 'Bearer realm="honua-admin"');
          return reply.code(status).type(JSON_TYPE).send(JSON.stringify(body));
        } finally {
          options.audit?.append({
            time: new Date().toISOString(),
            session: randomUUID(),
            actor: user?.name ?? 'anonymous',
            via: 'admin-api',
            tool: `${method} ${url}`,
            toolClass: method === 'GET' ? 'read' : 'operate',
            mode: 'admin',
            arguments: { params, ...(method === 'POST' ? { body: request.body ?? {} } : {}), remote: request.ip },
            decision: outcome === 'denied' ? 'deny' : 'allow',
            outcome,
            ...(failure ? { error: failure } : {}),
            durationMs: Math.round(performance.now() - started),
          });
        }
      },
    });
  };
  const env = (p: Record<string, string>) => p.environment;
  const none = () => undefined;
  const limitOf = (query: URLSearchParams): number | undefined => {
    const text = query.get('limit');
    if (text === null) return undefined;
    if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > 1000)
      throw new HonuaError('bad-number', `limit "${text}" is not a whole number from 1 to 1000`);
    return Number(text);
  };
  const after = async (environment: string) => {
    await options.changed?.(environment).catch(() => undefined);
  };

  // The API's own description: public, like any OpenAPI document.
  app.get(`${prefix}/openapi.json`, async (_request, reply) => reply.type('application/vnd.oai.openapi+json;version=3.0').send(JSON.stringify(adminOpenApi())));

  route('GET', '/health', none, async ({ request }) => ({
    status: 'ok',
    environment: request.registry.environment,
    snapshot: request.registry.id,
    commit: request.registry.commit,
    source: request.registry.source,
    collections: request.registry.collections.size,
  }));
  const maintenance = options.maintenance;
  if (maintenance) {
    route('GET', '/maintenance', none, async () => ({ enabled: maintenance.state !== undefined, ...(maintenance.state ?? {}) }));
    route('POST', '/maintenance', none, async ({ request, user }) => {
      if (!user.roles.some((r) => r === 'admin' || r === 'operator')) {
        throw new HonuaError('not-an-operator', `${user.name} has neither the admin nor the operator role; maintenance mode is theirs to set`, {
          hint: 'honua user add NAME --email E --role operator gives it.',
        });
      }
      const body = MaintenanceBody.parse(request.body ?? {});
      if (!body.enabled) {
        maintenance.disable();
        return { enabled: false };
      }
      return { enabled: true, ...maintenance.enable(body.reason ?? 'maintenance', body.retryAfterSeconds ?? 300, user.name) };
    });
  }
  route('GET', '/whoami', none, async ({ user }) => ({ name: user.name, email: user.email, teams: user.teams, roles: user.roles }));
  route('GET', '/environments', none, async () => engine.environments());
  route('GET', '/status', none, async () => engine.status({}));
  route('GET', '/environments/:environment/status', env, async ({ params }) => {
    const [status] = await engine.status({ environment: params.environment as string });
    return status;
  });
  route('GET', '/environments/:environment/deployments', env, async ({ params, query }) => {
    const limit = limitOf(query);
    return engine.deployments({ environment: params.environment as string, ...(limit !== undefined ? { limit } : {}) });
  });
  route('GET', '/environments/:environment/plan', env, async ({ params, query }) => {
    const ref = query.get('ref');
    const against = query.get('against');
    return engine.plan({ environment: params.environment as string, ...(ref ? { ref } : {}), ...(against ? { against } : {}) });
  });
  route('GET', '/deployments/:id', none, async ({ params }) => engine.deployment(params.id as string));

  const tokenOf = (request: FastifyRequest) => bearer(request) as string;
  route('POST', '/deployments/:id/approve', none, async ({ request, params, user }) => {
    const body = ApproveBody.parse(request.body ?? {});
    const waiting = await engine.deployment(params.id as string);
    return withRestoreMaintenance(maintenance, restoresDatabase(waiting), `restoring ${waiting.environment} from a backup`, user.name, async () => {
      const record = await engine.approve({ id: params.id as string, token: tokenOf(request), ...body }, { via: 'admin-api' });
      await after(record.environment);
      return record;
    });
  });
  route('POST', '/deployments/:id/reject', none, async ({ request, params }) => {
    const body = ApproveBody.parse(request.body ?? {});
    const record = await engine.reject({ id: params.id as string, token: tokenOf(request), ...body }, { via: 'admin-api' });
    await after(record.environment);
    return record;
  });
  route('POST', '/environments/:environment/rollback', env, async ({ request, params }) => {
    const body = RollbackBody.parse(request.body ?? {});
    const record = await engine.rollback({ environment: params.environment as string, token: tokenOf(request), ...body }, { via: 'admin-api' });
    await after(record.environment);
    return record;
  });
  route('POST', '/environments/:environment/restore', env, async ({ request, params, user }) => {
    const body = RestoreBody.parse(request.body ?? {});
    const restoring = body.includeDatabase === true;
    return withRestoreMaintenance(maintenance, restoring, `restoring ${params.environment as string} from a backup`, user.name, async () => {
      const record = await engine.restore({ environment: params.environment as string, token: tokenOf(request), ...body }, { via: 'admin-api' });
      await after(record.environment);
      return record;
    });
  });
}
