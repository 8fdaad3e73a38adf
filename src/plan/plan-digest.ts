import { createHash, type Hash } from 'node:crypto';
import type { DesiredState } from '../config/index.js';
import type { PlanBody } from './plan.js';

/**
 * A plan's digest: sha256 over what would be deployed — the plan's content (changes, migrations,
 * risk, governing policy, warnings) and the exact configuration on both sides (the text of every
 * file its resources and policy were read from, every migration's checksum) — leaving out when the
 * plan was made, the checkout's path on this machine, the decision, and the digest itself. The
 * same change planned on a laptop and on the server has the same digest; any other change,
 * however small (a title, a comment in a migration), has another, so an approval given for one
 * digest never carries over to a different plan.
 */
export function planDigest(
  plan: Omit<PlanBody, 'digest'> & { digest?: string; policy?: unknown },
  states: { desired: DesiredState; baseline: DesiredState | null },
): string {
  const { generatedAt: _generatedAt, digest: _digest, policy: _policy, from, to, policyFrom, ...content } = plan;
  const hash = createHash('sha256');
  hash.update(canonicalJson({ ...content, from: here(from), to: here(to), ...(policyFrom ? { policyFrom: here(policyFrom) } : {}) }));
  hashState(hash, 'desired', states.desired);
  if (states.baseline) hashState(hash, 'baseline', states.baseline);
  return `sha256:${hash.digest('hex')}`;
}

function hashState(hash: Hash, side: string, state: DesiredState): void {
  hash.update(`\n${side} ${state.environment}\n`);
  // A commit names its files' text exactly; a working tree's files are hashed as written (not
  // their parsed form: hashing text is fast, and a reformatted file is a change too, which only
  // ever asks for one approval more).
  if (state.source.type === 'git') hash.update(`commit ${state.source.commit}\n`);
  else
    for (const file of [...state.files.keys()].sort())
      hash.update(`file ${file} ${Buffer.byteLength(state.files.get(file) as string)}\n${state.files.get(file)}\n`);
  for (const m of state.migrations) hash.update(`migration ${m.name}\t${m.checksum}\n`);
}

/** A source without where its checkout is on this machine: not part of what it is. */
const here = ({ root: _root, ...ref }: PlanBody['from']): Omit<PlanBody['from'], 'root'> => ref;

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
