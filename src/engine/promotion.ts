import { z } from 'zod';
import { parseDocument } from 'yaml';
import type { DeploymentRecord, EnvironmentStatus } from '../deploy/index.js';
import { HonuaError } from '../errors/index.js';
import { commitOf } from './deployed-commit.js';
import type { Engine } from './engine.js';

/**
 * A promotion (`honua-ai promote --from staging --to production`, `propose_promotion`): the files
 * that bring the target environment's folder to the source's state — its layers and services,
 * never its datasources, server config or metadata, which say where and how each environment runs
 * — with what the target would receive and whether the source has earned it (healthy, and no
 * failure or rollback since its change went live). The files become a proposal branch (and a pull
 * request); deploying it stays a deployment like any other, with the target's policy and approvals.
 */
export const PromotionRequestSchema = z.object({
  from: z.string().min(1).meta({ description: 'The environment whose state is promoted (e.g. staging).' }),
  to: z.string().min(1).meta({ description: 'The environment that receives it (e.g. production).' }),
});
export type PromotionRequest = z.infer<typeof PromotionRequestSchema>;

export const PromotionSchema = z.object({
  from: z.string(),
  to: z.string(),
  files: z.array(z.object({ path: z.string(), source: z.string(), status: z.enum(['new', 'modified']), content: z.string() })),
  unchanged: z.array(z.string()),
  kept: z.array(z.string()).meta({ description: 'Target files the source has no counterpart of: left as they are (removing a layer is a change of its own).' }),
  receives: z.object({ added: z.array(z.string()), modified: z.array(z.string()), removed: z.array(z.string()) }),
  source: z.object({
    health: z.string(),
    deployedCommit: z.string().optional(),
    liveSince: z.string().optional(),
    problems: z.array(z.string()).meta({ description: 'Why promoting now is refused: failures or rollbacks since the change went live, an unhealthy source.' }),
    history: z.array(z.object({ id: z.string(), state: z.string(), createdAt: z.string() })),
  }),
});
export type Promotion = z.infer<typeof PromotionSchema>;

/** Kinds that describe what an environment serves; the others describe where and how it runs. */
const PROMOTED_KINDS = new Set(['Layer', 'Service']);

interface DocHead {
  kind?: string;
  key?: string;
}

/** The kind and `service::name` of a file's first document. */
function headOf(text: string): DocHead {
  try {
    const doc = parseDocument(text).toJS() as { kind?: unknown; metadata?: { name?: unknown; service?: unknown } } | null;
    const kind = typeof doc?.kind === 'string' ? doc.kind : undefined;
    const name = typeof doc?.metadata?.name === 'string' ? doc.metadata.name : undefined;
    const service = typeof doc?.metadata?.service === 'string' ? doc.metadata.service : '';
    return { ...(kind ? { kind } : {}), ...(name ? { key: `${kind}:${service}::${name}` } : {}) };
  } catch {
    return {};
  }
}

/** The source's file as the target's: its folder in comments and `metadata.environment` renamed. */
function retarget(text: string, from: { name: string; folder: string }, to: { name: string; folder: string }): string {
  const doc = parseDocument(text);
  const env = doc.getIn(['metadata', 'environment']);
  if (typeof env === 'string' && (env === from.name || env === from.folder)) doc.setIn(['metadata', 'environment'], to.name);
  const out = doc.toString({ lineWidth: 0 });
  return out.split(`environments/${from.folder}/`).join(`environments/${to.folder}/`);
}

const FAILED = new Set(['Failed', 'RolledBack', 'RollbackFailed']);

/** Failures and rollbacks in the source since the deployment that made its current state live. */
function sourceProblems(status: EnvironmentStatus | undefined, history: readonly DeploymentRecord[]): { problems: string[]; liveSince?: string } {
  const problems: string[] = [];
  if (!status?.deployedCommit) problems.push('nothing is deployed there, so nothing has been proven there');
  if (status?.health === 'Unhealthy') problems.push(`it is unhealthy now${status.healthReason ? ` (${status.healthReason})` : ''}`);
  const live = history.find((d) => d.state === 'Completed' && d.commit === status?.deployedCommit);
  const since = live ? history.filter((d) => d.createdAt > live.createdAt) : history;
  for (const d of since.filter((r) => FAILED.has(r.state)))
    problems.push(
      `${d.id} ${d.state === 'Failed' ? 'failed' : 'was rolled back'}${live ? ' after the change went live' : ''}${d.error ? `: ${d.error.message}` : ''}`,
    );
  return { problems, ...(live ? { liveSince: live.finishedAt ?? live.updatedAt } : {}) };
}

export async function promotion(engine: Engine, request: PromotionRequest): Promise<Promotion> {
  const environments = await engine.environments();
  const find = (name: string) => environments.find((e) => e.name === name || e.folder === name);
  const from = find(request.from);
  const to = find(request.to);
  if (!from || !to) {
    throw new HonuaError('unknown-environment', `there is no environment "${!from ? request.from : request.to}"`, {
      hint: `Environments: ${environments.map((e) => e.name).join(', ')}.`,
    });
  }
  if (from.name === to.name) throw new HonuaError('same-environment', `--from and --to are both ${from.name}`);
  const files = await engine.listFiles();
  const prefix = `environments/${from.folder}/`;
  // What the source runs is what is promoted: its files at the commit deployed there (else HEAD),
  // never uncommitted edits; the proposal itself starts from HEAD.
  const [status] = await engine.status({ environment: from.name });
  const sourceRef = commitOf(status) ?? 'HEAD';
  const at = async (file: string, ref: string): Promise<string | undefined> =>
    engine.readFile(file, ref).then(
      (f) => f.content,
      () => undefined,
    );
  // An environment's file that overlays a shared (common) resource is that environment's tuning
  // (page sizes, cache times): the target keeps its own.
  const shared = new Set<string>();
  for (const f of files.filter((x) => x.startsWith('environments/common/') && /\.ya?ml$/.test(x))) {
    const key = headOf((await engine.readFile(f)).content).key;
    if (key) shared.add(key);
  }
  const out: Promotion['files'] = [];
  const unchanged: string[] = [];
  const targets = new Set<string>();
  for (const file of files.filter((f) => f.startsWith(prefix) && /\.ya?ml$/.test(f)).sort()) {
    const source = await at(file, sourceRef);
    if (source === undefined) continue;
    const head = headOf(source);
    if (!PROMOTED_KINDS.has(head.kind ?? '') || (head.key && shared.has(head.key))) continue;
    const target = `environments/${to.folder}/${file.slice(prefix.length)}`;
    targets.add(target);
    const content = retarget(source, from, to);
    const current = await at(target, 'HEAD');
    if (current === content) unchanged.push(target);
    else out.push({ path: target, source: file, status: current === undefined ? 'new' : 'modified', content });
  }
  const kept = files.filter((f) => f.startsWith(`environments/${to.folder}/`) && !targets.has(f));
  const keptServing: string[] = [];
  for (const f of kept) {
    const head = /\.ya?ml$/.test(f) ? headOf((await engine.readFile(f)).content) : {};
    if (PROMOTED_KINDS.has(head.kind ?? '') && !(head.key && shared.has(head.key))) keptServing.push(f);
  }
  const label = (f: Promotion['files'][number]): string => {
    const key = headOf(f.content).key;
    return key ? key.replace(/^(\w+):(::)?/, '$1 ') : f.path;
  };
  const keys = (action: 'add' | 'modify' | 'remove'): string[] =>
    action === 'remove' ? [] : out.filter((f) => (action === 'add' ? f.status === 'new' : f.status === 'modified')).map(label);
  const history = await engine.deployments({ environment: from.name, limit: 20 });
  const { problems, liveSince } = sourceProblems(status, history);
  return {
    from: from.name,
    to: to.name,
    files: out,
    unchanged,
    kept: keptServing,
    receives: { added: keys('add'), modified: keys('modify'), removed: keys('remove') },
    source: {
      health: status?.health ?? 'Unknown',
      ...(status?.deployedCommit ? { deployedCommit: status.deployedCommit } : {}),
      ...(liveSince ? { liveSince } : {}),
      problems,
      history: history.slice(0, 10).map((d) => ({ id: d.id, state: d.state, createdAt: d.createdAt })),
    },
  };
}
