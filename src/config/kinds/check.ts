import { HonuaError } from '../../errors/index.js';
import { z } from 'zod';
import { parseDuration } from '../duration.js';
import { type Expectation, parseExpectation } from '../expectation.js';
import { Duration, ExpectationText } from './common.js';

/**
 * Checks shared by layer health checks and migration validations. `query`, `geometry` and
 * `performance` run SQL and judge the result (performance checks judge the EXPLAIN plan or the
 * time taken); `ogc` requests an endpoint of the running server.
 */
const sqlCheck = <T extends 'query' | 'geometry' | 'performance'>(type: T) =>
  z.strictObject({
    type: z.literal(type),
    name: z.string().optional(),
    description: z.string().optional(),
    query: z.string().min(1),
    expected: ExpectationText,
    timeout: Duration.optional(),
    analyze: z.boolean().optional().meta({ description: 'Run EXPLAIN ANALYZE (executes the query). Off by default; never on by default in production.' }),
  });

export const OgcCheckSchema = z.strictObject({
  type: z.literal('ogc'),
  name: z.string().optional(),
  description: z.string().optional(),
  endpoint: z
    .string()
    .regex(/^\//, 'an endpoint starts with "/"')
    .meta({ examples: ['/ogc/collections/parcels'] }),
  expectedStatus: z.number().int().min(100).max(599).optional(),
  timeout: Duration.optional(),
});

export const CheckSchema = z.discriminatedUnion('type', [sqlCheck('query'), sqlCheck('geometry'), sqlCheck('performance'), OgcCheckSchema]);
export type WrittenCheck = z.infer<typeof CheckSchema>;

export const PreconditionSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('table-exists'), table: z.string(), schema: z.string().optional() }),
  z.strictObject({ type: z.literal('column-exists'), table: z.string(), column: z.string(), schema: z.string().optional() }),
  z.strictObject({ type: z.literal('extension-exists'), extension: z.string() }),
  z.strictObject({ type: z.literal('index-exists'), index: z.string(), schema: z.string().optional() }),
  z.strictObject({ type: z.literal('query'), name: z.string().optional(), query: z.string(), expected: ExpectationText }),
]);
export type Precondition = z.infer<typeof PreconditionSchema>;

export type Check =
  | {
      type: 'query' | 'geometry' | 'performance';
      name: string;
      query: string;
      expected: string;
      expectation: Expectation;
      timeoutMs?: number;
      analyze: boolean;
    }
  | { type: 'ogc'; name: string; endpoint: string; expectedStatus: number; timeoutMs?: number };

export function normalizeCheck(c: WrittenCheck, index: number): Check {
  const timeoutMs = c.timeout === undefined ? undefined : parseDuration(c.timeout);
  if (c.type === 'ogc') {
    return {
      type: 'ogc',
      name: c.name ?? `GET ${c.endpoint}`,
      endpoint: c.endpoint,
      expectedStatus: c.expectedStatus ?? 200,
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
    };
  }
  const parsed = parseExpectation(c.expected);
  if (!parsed.ok) throw new HonuaError('internal-error', `normalizeCheck called on an invalid check: ${parsed.message}`);
  return {
    type: c.type,
    name: c.name ?? `${c.type} check ${index + 1}`,
    query: c.query.trim(),
    expected: String(c.expected),
    expectation: parsed.expectation,
    analyze: c.analyze ?? false,
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  };
}
