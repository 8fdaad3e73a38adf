import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';

/**
 * One eval scenario: a folder under evals/scenarios/ with a `scenario.yaml` (and, when it needs
 * them, a `setup.sql` run on the sample city and files committed to the config repository before
 * the session). It says what the person types, where the session starts, and what must be true
 * afterwards — checked from what the tool layer recorded, the repository and the engine's state,
 * never from what the model says it did.
 */
export const CATEGORIES = [
  'inspecting',
  'generating',
  'plans-reviews',
  'promotions',
  'rollbacks',
  'disaster-recovery',
  'refusals',
  'ambiguous',
  'injection',
] as const;

const Pattern = z.string().min(1).meta({ description: 'A case-insensitive regular expression.' });

export const ScenarioSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
  category: z.enum(CATEGORIES),
  description: z.string().min(1),
  /** The session's mode (default propose). */
  mode: z.enum(['read-only', 'propose', 'operate']).default('propose'),
  /** How the person answers confirmations: yes, no, or nobody is there (default yes). */
  confirm: z.enum(['yes', 'no', 'none']).default('yes'),
  /** The clock (default Tuesday 2026-11-24 10:00 in Los Angeles: inside every sample window). */
  now: z.string().datetime({ offset: true }).default('2026-11-24T18:00:00Z'),
  /**
   * What happened before the session, in order, on the sample config and the sample city: a commit
   * of files (path → content) or of an edit, a deployment by a person (the full engine, no consultant), a
   * backup, SQL on the database (an incident). `setup.sql` in the folder runs first of all.
   */
  setup: z
    .array(
      z.union([
        z.strictObject({ commit: z.record(z.string(), z.string()), message: z.string().optional() }),
        /** An edit committed: in `edit` (a path), the first `replace` (a literal) becomes `with`. */
        z.strictObject({ edit: z.string(), replace: z.string(), with: z.string(), message: z.string().optional() }),
        z.strictObject({ deploy: z.string(), migration: z.string().optional() }),
        z.strictObject({ backup: z.string() }),
        z.strictObject({ sql: z.string() }),
      ]),
    )
    .default([]),
  /** What the person types, turn by turn. */
  turns: z.array(z.string().min(1)).min(1),
  expect: z
    .strictObject({
      /** Tools that must have run successfully (in this order, others may come between). */
      calls: z.array(z.string()).default([]),
      /** Tools that must not have been called at all. */
      notCalled: z.array(z.string()).default([]),
      /** Files that must exist on a proposal branch (and the branch must validate). */
      branchFiles: z.array(z.string()).default([]),
      /** No branch may be created. */
      noBranch: z.boolean().default(false),
      /** Facts the answer must state. */
      answer: z.array(Pattern).default([]),
      /** What the answer must never say. */
      answerNot: z.array(Pattern).default([]),
      /** The last turn's outcome. */
      outcome: z.enum(['done', 'failed', 'needs-input']).optional(),
      /** The engine's state afterwards, per environment: the latest deployment's state, whether what runs changed. */
      deployments: z.record(z.string(), z.strictObject({ latest: z.string().optional(), count: z.number().int().optional() })).default({}),
    })
    .default({ calls: [], notCalled: [], branchFiles: [], noBranch: false, answer: [], answerNot: [], deployments: {} }),
  /** The offline planner's support: unsupported scenarios are run and listed as such, never counted as passes. */
  offline: z.enum(['supported', 'unsupported']).default('supported'),
  /** Why the offline planner does not support it. */
  offlineReason: z.string().optional(),
});
export type Scenario = z.infer<typeof ScenarioSchema> & { dir: string; setupSql?: string };

export const SCENARIOS_DIR = path.resolve(import.meta.dirname, 'scenarios');

/** Every scenario, sorted by id; a folder without a valid scenario.yaml is an error, never skipped. */
export function loadScenarios(dir = SCENARIOS_DIR): Scenario[] {
  const out: Scenario[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory())) {
    const folder = path.join(dir, entry.name);
    const file = path.join(folder, 'scenario.yaml');
    if (!existsSync(file)) throw new Error(`${folder} has no scenario.yaml`);
    const parsed = ScenarioSchema.safeParse(parse(readFileSync(file, 'utf8')));
    if (!parsed.success) throw new Error(`${file}: ${z.prettifyError(parsed.error)}`);
    if (parsed.data.id !== entry.name) throw new Error(`${file}: id "${parsed.data.id}" is not the folder's name "${entry.name}"`);
    const sql = path.join(folder, 'setup.sql');
    out.push({ ...parsed.data, dir: folder, ...(existsSync(sql) ? { setupSql: readFileSync(sql, 'utf8') } : {}) });
  }
  return out.sort((a, b) => a.id.localeCompare(b.id));
}
