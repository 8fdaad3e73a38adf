import { z } from 'zod';
import { DeploymentRecordSchema, EnvironmentStatusSchema } from '../../deploy/index.js';
import { EnvironmentInfoSchema } from '../../engine/index.js';
import { PlanSchema } from '../../plan/index.js';

/**
 * The admin API's own OpenAPI 3.0 document (/admin/v1/openapi.json). Response bodies are the
 * engine's published formats, exported from the same zod schemas the CLI's --json uses, so a
 * client generated from this document reads `honua status --json` too.
 */
let cached: Record<string, unknown> | undefined;

const schema = (s: z.ZodType): Record<string, unknown> => {
  const out = z.toJSONSchema(s, { io: 'output', unrepresentable: 'any', target: 'openapi-3.0' }) as Record<string, unknown>;
  delete out.$schema;
  return out;
};

const ok = (ref: string, description: string, array = false) => ({
  200: {
    description,
    content: {
      'application/json': { schema: array ? { type: 'array', items: { $ref: `#/components/schemas/${ref}` } } : { $ref: `#/components/schemas/${ref}` } },
    },
  },
  401: { $ref: '#/components/responses/unauthenticated' },
  403: { $ref: '#/components/responses/forbidden' },
  404: { $ref: '#/components/responses/error' },
  409: { $ref: '#/components/responses/error' },
  422: { $ref: '#/components/responses/error' },
});

const env = {
  name: 'environment',
  in: 'path',
  required: true,
  schema: { type: 'string' },
  description: 'development, staging, production, or an alias (dev, prod)',
};
const id = { name: 'id', in: 'path', required: true, schema: { type: 'string' }, description: 'A deployment id (prod-20261004123456-abc1234)' };
const jsonBody = (properties: Record<string, unknown>, required: string[] = []) => ({
  required: required.length > 0,
  content: { 'application/json': { schema: { type: 'object', additionalProperties: false, properties, ...(required.length ? { required } : {}) } } },
});

export function adminOpenApi(): Record<string, unknown> {
  cached ??= {
    openapi: '3.0.3',
    info: {
      title: 'Honua admin API',
      version: '1',
      description:
        'Deployments, approvals, rollbacks and status of the environments this server knows. Every operation needs `Authorization: Bearer <token>` (a token from `honua user add`); the same rules as the CLI apply. Every call is audited.',
    },
    servers: [{ url: '/admin/v1' }],
    security: [{ bearer: [] }],
    paths: {
      '/health': { get: { summary: 'What this server serves: the snapshot, its commit, the number of collections', responses: ok('health', 'The server') } },
      '/maintenance': {
        get: { summary: 'Whether the server is in maintenance mode', responses: ok('maintenance', 'The maintenance state') },
        post: {
          summary: 'Turn maintenance mode on or off (admin or operator role): items and features answer 503 with Retry-After, /readyz is not ready',
          requestBody: jsonBody(
            { enabled: { type: 'boolean' }, reason: { type: 'string', maxLength: 500 }, retryAfterSeconds: { type: 'integer', minimum: 1, maximum: 86400 } },
            ['enabled'],
          ),
          responses: ok('maintenance', 'The maintenance state'),
        },
      },
      '/whoami': { get: { summary: 'The user the token names', responses: ok('user', 'The user') } },
      '/environments': { get: { summary: 'The environments of the repository', responses: ok('environment', 'The environments', true) } },
      '/status': {
        get: { summary: 'Every environment’s status (honua status --json)', responses: ok('environmentStatus', 'The status of each environment', true) },
      },
      '/environments/{environment}/status': {
        get: { summary: 'One environment’s status', parameters: [env], responses: ok('environmentStatus', 'The status') },
      },
      '/environments/{environment}/deployments': {
        get: {
          summary: 'An environment’s deployments, newest first',
          parameters: [env, { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 1000 } }],
          responses: ok('deployment', 'The deployments', true),
        },
      },
      '/environments/{environment}/plan': {
        get: {
          summary: 'The plan of deploying a commit (default HEAD) to the environment',
          parameters: [
            env,
            { name: 'ref', in: 'query', required: false, schema: { type: 'string' } },
            { name: 'against', in: 'query', required: false, schema: { type: 'string' } },
          ],
          responses: ok('plan', 'The plan'),
        },
      },
      '/deployments/{id}': {
        get: { summary: 'One deployment (honua deployment show --json)', parameters: [id], responses: ok('deployment', 'The deployment') },
      },
      '/deployments/{id}/approve': {
        post: {
          summary: 'Approve a deployment that awaits approval (the token’s user must be an approver the policy allows)',
          parameters: [id],
          requestBody: jsonBody({ comment: { type: 'string', maxLength: 2000 } }),
          responses: ok('deployment', 'The deployment after the approval (it goes on when it has its approvals)'),
        },
      },
      '/deployments/{id}/reject': {
        post: {
          summary: 'Reject a deployment that awaits approval',
          parameters: [id],
          requestBody: jsonBody({ comment: { type: 'string', maxLength: 2000 } }),
          responses: ok('deployment', 'The rejected deployment'),
        },
      },
      '/environments/{environment}/rollback': {
        post: {
          summary: 'Roll the environment back to the previous deployment, or the one named',
          parameters: [env],
          requestBody: jsonBody({ toDeployment: { type: 'string' }, toCommit: { type: 'string' } }),
          responses: ok('deployment', 'The rollback deployment'),
        },
      },
      '/environments/{environment}/restore': {
        post: {
          summary: 'Rebuild the environment from a commit (and a database backup)',
          parameters: [env],
          requestBody: jsonBody(
            { commit: { type: 'string' }, includeDatabase: { type: 'boolean' }, backupId: { type: 'string' }, force: { type: 'boolean' } },
            ['commit'],
          ),
          responses: ok('deployment', 'The restore deployment'),
        },
      },
    },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'A token from honua user add (never in the URL)' } },
      responses: {
        unauthenticated: {
          description: 'No token, or one that names nobody',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/error' } } },
        },
        forbidden: {
          description: 'The user may not do this (not an approver, four eyes)',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/error' } } },
        },
        error: { description: 'An error with its code (docs/errors.md)', content: { 'application/json': { schema: { $ref: '#/components/schemas/error' } } } },
      },
      schemas: {
        error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message'],
              properties: {
                code: { type: 'string' },
                message: { type: 'string' },
                hint: { type: 'string' },
                fault: { type: 'string' },
                data: { type: 'object' },
              },
            },
          },
        },
        health: {
          type: 'object',
          properties: {
            status: { type: 'string' },
            environment: { type: 'string' },
            snapshot: { type: 'string' },
            commit: { type: 'string' },
            source: { type: 'string', enum: ['snapshot', 'working tree'] },
            collections: { type: 'integer' },
          },
        },
        user: {
          type: 'object',
          properties: {
            name: { type: 'string' },
            email: { type: 'string' },
            teams: { type: 'array', items: { type: 'string' } },
            roles: { type: 'array', items: { type: 'string' } },
          },
        },
        environment: schema(EnvironmentInfoSchema),
        environmentStatus: schema(EnvironmentStatusSchema),
        deployment: schema(DeploymentRecordSchema),
        plan: schema(PlanSchema),
      },
    },
  };
  return cached;
}
