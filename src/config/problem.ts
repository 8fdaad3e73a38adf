import { z } from 'zod';

/**
 * A problem found in a configuration repository. Validation collects every problem (it never
 * stops at the first), each with where it is (file, line, column, dotted path), a stable code,
 * a message and a hint. Codes are part of the public contract: scripts match on them, docs list
 * them, and each has a test.
 */
export type Severity = 'error' | 'warning';

export interface Position {
  line: number;
  column: number;
}

export type Problem = z.infer<typeof ProblemSchema>;

interface CodeInfo {
  severity: Severity;
  summary: string;
  hint: string;
}

/** The catalogue of problem codes. Order here is the order in docs/configuration.md. */
export const PROBLEM_CODES = {
  // Files and documents
  'yaml-syntax': {
    severity: 'error',
    summary: 'The file is not valid YAML or JSON.',
    hint: 'Fix the syntax at the position shown; other documents in the file are still checked.',
  },
  'not-a-document': {
    severity: 'error',
    summary: 'A document is not a mapping (a list or a plain value at the top level).',
    hint: 'Every document starts with `apiVersion: honua.io/v1` and `kind:`.',
  },
  'missing-kind': {
    severity: 'error',
    summary: 'A document has no `kind` or no `apiVersion`.',
    hint: 'Add `apiVersion: honua.io/v1` and one of the kinds: DataSource, Service, Layer, Migration, DeploymentPolicy, ServerConfig.',
  },
  'unknown-kind': {
    severity: 'error',
    summary: 'The `kind` is not one Honua knows.',
    hint: 'Use one of: DataSource, Service, Layer, Migration, DeploymentPolicy, ServerConfig.',
  },
  'unsupported-api-version': { severity: 'error', summary: 'The `apiVersion` is not `honua.io/v1`.', hint: 'Set `apiVersion: honua.io/v1`.' },
  'misplaced-document': {
    severity: 'error',
    summary: 'A document sits in a folder where its kind does not belong.',
    hint: 'Layers, services, datasources and server config go under environments/<env>/; migrations under migrations/; policies under policies/ or .gitops/.',
  },
  'duplicate-environment': {
    severity: 'error',
    summary: 'Two environment folders name the same environment (e.g. dev and development).',
    hint: 'Keep one folder per environment; dev, stage and prod are aliases of development, staging and production.',
  },
  'symlink-ignored': {
    severity: 'warning',
    summary: 'A symbolic link (or submodule) sits among the config files; Honua never follows links, so what it points to is not part of the configuration.',
    hint: 'Replace the link with a real file or folder (git tracks links as links, so the file it names is not what deploys).',
  },
  'unknown-template-variable': {
    severity: 'error',
    summary: 'A `{{...}}` placeholder names a variable Honua does not define.',
    hint: 'The variables are {{env}} (the environment folder name) and {{environment}} (its canonical name).',
  },
  // Schema
  'missing-field': {
    severity: 'error',
    summary: 'A required field is missing.',
    hint: 'Add the field; `honua schema` exports JSON Schemas your editor can use to complete it.',
  },
  'unknown-field': { severity: 'error', summary: "A field is not part of the kind's schema (often a typo).", hint: 'Remove it or fix its spelling.' },
  'wrong-type': {
    severity: 'error',
    summary: 'A value has the wrong type (a string where a number belongs, ...).',
    hint: 'Change the value to the expected type.',
  },
  'invalid-value': { severity: 'error', summary: 'A value is not one of the allowed values or has the wrong format.', hint: 'Use one of the allowed values.' },
  'out-of-range': { severity: 'error', summary: 'A number or list is too small or too large.', hint: 'Bring the value within the stated bounds.' },
  'bad-name': {
    severity: 'error',
    summary: 'A resource name is not a valid identifier.',
    hint: 'Names use lowercase letters, digits, `-`, `_` and `.`, start with a letter or digit, and are at most 63 characters.',
  },
  'bad-crs': {
    severity: 'error',
    summary: 'A coordinate reference system code is malformed.',
    hint: 'Write `EPSG:<code>` (e.g. EPSG:4326), `OGC:CRS84`, or an OGC CRS URI such as http://www.opengis.net/def/crs/EPSG/0/3857.',
  },
  'bad-expectation': {
    severity: 'error',
    summary: "A check's `expected` value cannot be parsed.",
    hint: 'Use forms like "> 0", "= 1", "1 row", "0 rows", "at least 10 rows", "all true", "Index Scan using idx_name", "no Seq Scan", "< 200ms".',
  },
  'bad-duration': {
    severity: 'error',
    summary: 'A duration cannot be parsed.',
    hint: 'Write a number of seconds or a duration like 30s, 5m, 1h, 1h30m, 24h, 7d.',
  },
  'bad-timezone': {
    severity: 'error',
    summary: 'A time zone is not a valid IANA time zone name.',
    hint: 'Use an IANA name such as America/Los_Angeles, Europe/Berlin or UTC.',
  },
  'bad-window': {
    severity: 'error',
    summary: "A deployment window's days or hours are malformed.",
    hint: 'Days are weekday names (Monday, tue, ...); hours are "HH:MM-HH:MM", several separated by commas.',
  },
  'bad-approver': {
    severity: 'error',
    summary: 'An approver reference is malformed.',
    hint: 'Write team:<name>, role:<name>, user:<name> or an email address.',
  },
  'bad-condition': { severity: 'error', summary: "An approval rule's condition cannot be parsed.", hint: 'Use true/false or a comparison such as "> 10".' },
  'bad-datetime': {
    severity: 'error',
    summary: 'A date or time cannot be parsed, or a period ends before it starts.',
    hint: 'Use ISO 8601, e.g. 2025-12-20 or 2025-12-20T18:00:00-08:00; the end must be after the start.',
  },
  // References and uniqueness
  'duplicate-name': {
    severity: 'error',
    summary: 'Two resources of the same kind have the same name in one environment.',
    hint: 'Rename one, or move the shared one to environments/common and override it per environment.',
  },
  'duplicate-field': { severity: 'error', summary: 'A layer lists the same field twice.', hint: 'Field names are unique within a layer.' },
  'duplicate-migration-id': {
    severity: 'error',
    summary: 'Two migrations have the same id.',
    hint: 'Give each migration a unique id; the usual form is the next free number (e.g. "004").',
  },
  'duplicate-policy': {
    severity: 'error',
    summary: 'Two policies of the same shape govern one environment.',
    hint: 'Keep one per-environment policy file per environment.',
  },
  'unknown-reference': {
    severity: 'error',
    summary: 'A layer, service or server config names a service or datasource that does not exist in the environment.',
    hint: 'Fix the name or add the missing resource.',
  },
  'missing-dependency': {
    severity: 'error',
    summary: 'A migration depends on a migration that does not exist.',
    hint: 'Fix the dependency (by id, e.g. "002", or full name, e.g. "002_add_parcels_layer").',
  },
  'migration-cycle': {
    severity: 'error',
    summary: 'Migrations depend on each other in a cycle.',
    hint: 'Remove one dependency so the migrations can be ordered.',
  },
  'missing-file': {
    severity: 'error',
    summary: 'A file the configuration refers to does not exist.',
    hint: 'Add the file or fix the path (SQL files are relative to the migration file; metadata resources to the environment folder).',
  },
  // Consistency
  'field-not-found': {
    severity: 'error',
    summary: 'A layer names an id or display field that is not among its fields.',
    hint: 'List the field under spec.fields or name an existing one.',
  },
  'geometry-field-mismatch': {
    severity: 'error',
    summary: "A layer's geometryField differs from its storage.geometryColumn.",
    hint: 'Use the same column name in both places.',
  },
  'id-field-not-primary-key': {
    severity: 'warning',
    summary: "A layer's idField is not its storage primary key, so feature ids may not be unique.",
    hint: 'Use the primary key as idField, or make sure the column is unique.',
  },
  'default-crs-not-listed': { severity: 'error', summary: "The layer's default CRS is not in its CRS list.", hint: 'Add the default CRS to spec.crs.' },
  'storage-crs-not-listed': {
    severity: 'warning',
    summary: "The storage SRID is not among the layer's CRS list, so clients cannot ask for features in their native CRS.",
    hint: 'Add EPSG:<srid> to spec.crs.',
  },
  'expectation-mismatch': {
    severity: 'error',
    summary: 'An expectation does not fit its check (a plan expectation on a plain query, ...).',
    hint: 'Plan expectations ("Index Scan using ...") belong to `type: performance` checks or queries starting with EXPLAIN.',
  },
  'environment-mismatch': {
    severity: 'error',
    summary: 'A document says it belongs to another environment than the folder it is in.',
    hint: 'Fix metadata.environment (aliases dev/stage/prod are fine) or move the file.',
  },
  'unknown-environment': {
    severity: 'warning',
    summary: 'A migration or policy names an environment that has no folder under environments/.',
    hint: 'Fix the name or add the environment folder.',
  },
  'literal-secret': {
    severity: 'error',
    summary: 'A secret (password, token, connection string with a password) is written in the repository. Error in production, warning elsewhere.',
    hint: 'Reference it instead: `password: {fromEnv: PG_PASSWORD}` or `{fromFile: /run/secrets/pg}`.',
  },
  'policy-conflict': {
    severity: 'warning',
    summary: 'The per-environment policy and .gitops/deployment-policy.yaml set the same rule differently.',
    hint: 'The per-environment policy wins; remove the setting from one of them.',
  },
  'no-policy': {
    severity: 'warning',
    summary: 'Production has no deployment policy; the built-in default (approval always required, no breaking changes) applies.',
    hint: 'Add policies/production-policy.yaml or an entry in .gitops/deployment-policy.yaml.',
  },
  'migration-id-mismatch': {
    severity: 'warning',
    summary: "A migration file's numeric prefix differs from its metadata.id.",
    hint: 'Name migration files <id>_<name>.yaml so ids and files agree.',
  },
  'migration-lint': {
    severity: 'warning',
    summary: 'The migration linter found risky SQL (a drop, a rewrite, a lock, an SRID change, ...); the message names the rule.',
    hint: 'See docs/migrations.md for the rule and its fix; `honua migrate lint` lists every finding.',
  },
  'missing-down': {
    severity: 'warning',
    summary: 'A migration has no `down` steps, so it cannot be rolled back automatically.',
    hint: 'Add down steps that undo each up step.',
  },
} as const satisfies Record<string, CodeInfo>;

export type ProblemCode = keyof typeof PROBLEM_CODES;

export const ProblemSchema = z.object({
  code: z.enum(Object.keys(PROBLEM_CODES) as [ProblemCode, ...ProblemCode[]]),
  severity: z.enum(['error', 'warning']),
  message: z.string(),
  hint: z.string().optional(),
  file: z.string().optional().meta({ description: 'Repository-relative path, forward slashes.' }),
  line: z.number().int().optional(),
  column: z.number().int().optional(),
  path: z.string().optional().meta({ description: 'Dotted path inside the document, e.g. spec.fields[2].type.' }),
  environment: z.string().optional().meta({ description: 'The environment(s) whose effective configuration showed the problem.' }),
  related: z
    .array(z.object({ message: z.string(), file: z.string().optional(), line: z.number().int().optional(), column: z.number().int().optional() }))
    .optional()
    .meta({ description: 'Other places that matter: the first definition of a duplicate, the rest of a cycle.' }),
});

export const problemCodes = (): ProblemCode[] => Object.keys(PROBLEM_CODES) as ProblemCode[];

export interface ProblemInput {
  code: ProblemCode;
  message: string;
  severity?: Severity;
  hint?: string;
  file?: string;
  position?: Position;
  path?: string;
  environment?: string;
  related?: Problem['related'];
}

/** Builds a problem, filling severity and hint from the catalogue when not given. */
export function problem(input: ProblemInput): Problem {
  const info: CodeInfo = PROBLEM_CODES[input.code];
  const out: Problem = {
    code: input.code,
    severity: input.severity ?? info.severity,
    message: input.message,
    hint: input.hint ?? info.hint,
  };
  if (input.file !== undefined) out.file = input.file;
  if (input.position) {
    out.line = input.position.line;
    out.column = input.position.column;
  }
  if (input.path !== undefined && input.path !== '') out.path = input.path;
  if (input.environment !== undefined) out.environment = input.environment;
  if (input.related && input.related.length > 0) out.related = input.related;
  return out;
}

export const isError = (p: Problem): boolean => p.severity === 'error';

/** Sorts problems by file, line, column, then code — the order a compiler would print them in. */
export function sortProblems(problems: Problem[]): Problem[] {
  return [...problems].sort(
    (a, b) =>
      (a.file ?? '').localeCompare(b.file ?? '') ||
      (a.line ?? 0) - (b.line ?? 0) ||
      (a.column ?? 0) - (b.column ?? 0) ||
      a.code.localeCompare(b.code) ||
      (a.environment ?? '').localeCompare(b.environment ?? ''),
  );
}

/**
 * The same problem in a shared file shows up once per environment; keep one, listing the
 * environments it applies to only when the severity differs between them.
 */
export function dedupeProblems(problems: Problem[]): Problem[] {
  const seen = new Map<string, Problem>();
  for (const p of problems) {
    const key = [p.code, p.severity, p.file, p.line, p.column, p.path, p.message].join('\u0000');
    const first = seen.get(key);
    if (!first) {
      seen.set(key, { ...p });
    } else if (first.environment !== undefined && first.environment !== p.environment) {
      const envs = new Set([...first.environment.split(', '), ...(p.environment ? [p.environment] : [])]);
      first.environment = [...envs].join(', ');
    }
  }
  return [...seen.values()];
}
