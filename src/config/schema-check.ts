import type { z } from 'zod';
import { type Kind, schemaFor } from './kinds/kind.js';
import { type Layered, placeIn, problemAt } from './place.js';
import type { Problem } from './problem.js';
import { findingsFromIssues, type SchemaFinding } from './schema-issues.js';

/**
 * Checks a document against its kind's schema. Results are cached by object identity: a common
 * document that no environment overrides is the same object in every environment, so it is
 * checked once however many environments there are.
 */
export type SchemaResult = { ok: true; data: Record<string, unknown> } | { ok: false; findings: SchemaFinding[] };

const cache = new WeakMap<object, SchemaResult>();

export function checkSchema(kind: Kind, value: Record<string, unknown>): SchemaResult {
  const hit = cache.get(value);
  if (hit) return hit;
  const schema: z.ZodType = schemaFor(kind, value);
  const parsed = schema.safeParse(value);
  const result: SchemaResult = parsed.success
    ? { ok: true, data: parsed.data as Record<string, unknown> }
    : { ok: false, findings: findingsFromIssues(parsed.error.issues, schema as unknown as z.core.$ZodType, value) };
  cache.set(value, result);
  return result;
}

/** Schema findings as problems, positioned in the document (or overlay) that wrote each path. */
export function findingProblems(findings: readonly SchemaFinding[], layered: Layered, environment?: string): Problem[] {
  return findings.map((f) =>
    problemAt(placeIn(layered, f.path, f.at), {
      code: f.code,
      message: f.message,
      ...(f.hint ? { hint: f.hint } : {}),
      ...(environment ? { environment } : {}),
    }),
  );
}
