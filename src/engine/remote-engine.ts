import { type ErrorCode, errorCodes, HonuaError, UsageError } from '../errors/index.js';
import type { DeploymentRecord, EnvironmentStatus, User } from '../deploy/index.js';
import type { ApprovalRequest, DeploymentsRequest, EnvironmentInfo, RestoreRequest, RollbackRequest, StatusRequest } from './contract.js';
import type { Engine } from './engine.js';

/**
 * The Engine over HTTP: `--server URL` (or $HONUA_SERVER) sends status, deployments, one
 * deployment, approve, reject, rollback and restore to a Honua server's admin API, so a person
 * approves on the machine that deploys without a copy of its state. The person's token travels in
 * the Authorization header only, and never over plain HTTP to another host. Everything else
 * (validate, plan, the database) stays with the local engine; a deployment-changing call the
 * admin API does not offer (deploy, resume) is refused rather than run locally behind the
 * person's back.
 */
export interface AdminClientOptions {
  url: string;
  /** The token used when a request carries none. */
  token?: string | undefined;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

const LOOPBACK = /^(localhost|127(?:\.\d+){3}|\[::1\])$/i;
const KNOWN = new Set<string>(errorCodes());

export class AdminApiClient {
  readonly base: string;

  constructor(private readonly options: AdminClientOptions) {
    let url: URL;
    try {
      url = new URL(options.url);
    } catch {
      throw new UsageError('bad-argument', `--server "${options.url}" is not a URL`, {
        hint: 'e.g. --server https://honua.example.org or http://127.0.0.1:5555',
      });
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new UsageError('bad-argument', `--server "${options.url}" is not an http(s) URL`);
    if (url.protocol === 'http:' && !LOOPBACK.test(url.hostname)) {
      throw new UsageError('bad-argument', `--server ${url.origin} is plain HTTP to another host: your token would cross the network unencrypted`, {
        hint: 'Use https://, or a loopback address (an SSH tunnel: ssh -L 5555:127.0.0.1:5555 host).',
      });
    }
    if (url.username || url.password)
      throw new UsageError('bad-argument', '--server must not carry credentials in the URL; the token goes in HONUA_TOKEN or --token-file');
    this.base = `${url.origin}${url.pathname.replace(/\/$/, '')}/admin/v1`;
  }

  async request<T>(method: 'GET' | 'POST', path: string, options: { token?: string | undefined; body?: unknown } = {}): Promise<T> {
    const token = options.token ?? this.options.token;
    if (token === undefined) {
      throw new HonuaError('unauthenticated', 'the admin API needs your token', { hint: 'Set HONUA_TOKEN or pass --token-file (honua user add makes one).' });
    }
    const doFetch = this.options.fetch ?? fetch;
    let response: Response;
    try {
      response = await doFetch(`${this.base}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/json',
          ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
        redirect: 'error',
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 30 * 60_000),
      });
    } catch (cause) {
      throw new HonuaError('server-unreachable', `the Honua server at ${this.base} does not answer (${(cause as Error).message})`, {
        hint: 'Check --server / HONUA_SERVER, and that honua serve runs there.',
        cause,
      });
    }
    const text = await response.text();
    let body: unknown;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      throw new HonuaError('server-error', `${this.base}${path} answered ${response.status} with something that is not JSON`);
    }
    if (!response.ok) {
      const e = (body as { error?: { code?: string; message?: string; hint?: string; data?: Record<string, unknown> } } | undefined)?.error;
      const code = e?.code !== undefined && KNOWN.has(e.code) ? (e.code as ErrorCode) : 'server-error';
      throw new HonuaError(code, e?.message ?? `${this.base}${path} answered ${response.status}`, {
        ...(e?.hint ? { hint: e.hint } : {}),
        data: { ...(e?.data ?? {}), status: response.status, server: this.base },
      });
    }
    return body as T;
  }
}

const seg = encodeURIComponent;

/** Methods that change deployments but have no admin API endpoint: refused when the person asked for the server explicitly. */
const NOT_REMOTE = new Set(['deploy', 'resume', 'runDue', 'verify', 'userAdd', 'userRemove', 'userList', 'backupCreate', 'backupRestore', 'migrate']);

export function remoteEngine(
  local: Engine,
  client: AdminApiClient,
  options: {
    strict?: boolean;
    /** Calls that may still run here under `strict` (the consultant's health check reads the database here). */
    local?: readonly string[];
  } = {},
): Engine {
  const remote: Partial<Engine> = {
    environments: () => client.request<EnvironmentInfo[]>('GET', '/environments'),
    status: async (request?: StatusRequest) =>
      request?.environment !== undefined
        ? [await client.request<EnvironmentStatus>('GET', `/environments/${seg(request.environment)}/status`)]
        : client.request<EnvironmentStatus[]>('GET', '/status'),
    deployments: (request: DeploymentsRequest) =>
      client.request<DeploymentRecord[]>(
        'GET',
        `/environments/${seg(request.environment)}/deployments${request.limit !== undefined ? `?limit=${request.limit}` : ''}`,
      ),
    deployment: (id: string) => client.request<DeploymentRecord>('GET', `/deployments/${seg(id)}`),
    approve: (request: ApprovalRequest) =>
      client.request<DeploymentRecord>('POST', `/deployments/${seg(request.id)}/approve`, {
        token: request.token,
        body: request.comment !== undefined ? { comment: request.comment } : {},
      }),
    reject: (request: ApprovalRequest) =>
      client.request<DeploymentRecord>('POST', `/deployments/${seg(request.id)}/reject`, {
        token: request.token,
        body: request.comment !== undefined ? { comment: request.comment } : {},
      }),
    rollback: (request: RollbackRequest) =>
      client.request<DeploymentRecord>('POST', `/environments/${seg(request.environment)}/rollback`, {
        token: request.token,
        body: { ...(request.toDeployment ? { toDeployment: request.toDeployment } : {}), ...(request.toCommit ? { toCommit: request.toCommit } : {}) },
      }),
    restore: (request: RestoreRequest) => {
      const { token, waitMs: _waitMs, environment, ...body } = request;
      return client.request<DeploymentRecord>('POST', `/environments/${seg(environment)}/restore`, { token, body });
    },
    identify: (request: { token: string }) => client.request<User>('GET', '/whoami', { token: request.token }),
  };
  return new Proxy(local, {
    get(target, property, receiver) {
      if (typeof property === 'string' && property in remote) return remote[property as keyof Engine];
      if (options.strict && typeof property === 'string' && NOT_REMOTE.has(property) && !options.local?.includes(property)) {
        return () =>
          Promise.reject(
            new UsageError('not-over-admin-api', `${property} does not run through the admin API (--server ${client.base.replace(/\/admin\/v1$/, '')})`, {
              hint: 'Run it where the repository and the state are, without --server.',
            }),
          );
      }
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
