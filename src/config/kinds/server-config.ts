import { z } from 'zod';
import { baseMetadata, envelope, Name, SecretValue } from './common.js';

/**
 * ServerConfig: how the Honua server of an environment runs, including the `gitops` block of
 * seed 002 (repository, environment, polling, state store) exactly as written there.
 */
export const GitOpsSchema = z.strictObject({
  enabled: z.boolean(),
  repository: z.strictObject({
    url: z.string().min(1),
    branch: z.string().optional(),
    path: z.string().optional().meta({ description: 'Local clone the controller keeps.' }),
    subdirectory: z.string().optional().meta({ description: 'Config repository root inside the git repository.' }),
    auth: z.strictObject({ token: SecretValue.optional(), sshKeyPath: z.string().optional() }).optional(),
  }),
  environment: z.string().min(1),
  polling: z
    .strictObject({
      intervalSeconds: z.number().int().min(5).max(86_400).optional(),
      jitterSeconds: z.number().int().min(0).optional(),
    })
    .optional(),
  stateStore: z
    .discriminatedUnion('type', [
      z.strictObject({ type: z.literal('file'), path: z.string() }),
      z.strictObject({ type: z.literal('postgres'), dataSource: Name.optional(), url: SecretValue.optional(), schema: z.string().optional() }),
    ])
    .optional(),
  webhook: z.strictObject({ enabled: z.boolean().optional(), path: z.string().optional(), secret: SecretValue.optional() }).optional(),
});

export const ServerConfigSchema = z.strictObject({
  ...envelope('ServerConfig'),
  metadata: z.strictObject({ ...baseMetadata, name: baseMetadata.name.optional() }).optional(),
  spec: z.strictObject({
    server: z
      .strictObject({
        host: z.string().optional(),
        port: z.number().int().min(0).max(65535).optional(),
        baseUrl: z.string().optional().meta({ description: 'Public base URL, used in links and the OpenAPI document.' }),
        basePath: z.string().optional().meta({ description: 'Path prefix of the OGC API (default /ogc).' }),
        cors: z.strictObject({ origins: z.array(z.string()) }).optional(),
      })
      .optional(),
    ogc: z
      .strictObject({
        title: z.string().optional(),
        description: z.string().optional(),
        defaultItemLimit: z.number().int().min(1).optional(),
        maxItemLimit: z.number().int().min(1).optional(),
      })
      .optional(),
    admin: z.strictObject({ enabled: z.boolean().optional(), token: SecretValue.optional() }).optional(),
    logging: z.strictObject({ level: z.enum(['debug', 'info', 'warn', 'error']).optional() }).optional(),
    gitops: GitOpsSchema.optional(),
    users: z
      .array(
        z.strictObject({
          name: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/i),
          email: z.string().email(),
          teams: z.array(z.string()).optional(),
          roles: z.array(z.string()).optional(),
          tokenSha256: z
            .string()
            .regex(/^[0-9a-f]{64}$/)
            .meta({ description: "sha256 of the person's token, as honua user add writes it; never the token itself." }),
        }),
      )
      .optional()
      .meta({ description: 'People who may approve deployments of this environment, besides the users file ($HONUA_HOME/users.yaml).' }),
  }),
});
export type WrittenServerConfig = z.infer<typeof ServerConfigSchema>;
export type ServerConfig = WrittenServerConfig['spec'] & { name: string };
