import { entryFor, mergePolicy, type PolicyLayer, settingsFromEntry, settingsFromPerEnvironment } from './effective-policy.js';
import type { DesiredState } from './desired-state.js';
import { isProduction, sameEnvironment } from './environment.js';
import { problemAt } from './place.js';
import { type Problem, problem } from './problem.js';
import type { RepoIndex } from './repo-index.js';
import type { SourceDocument } from './source-document.js';

/** The effective policy of an environment from both written shapes; duplicates, conflicts and a missing production policy reported. */
export function environmentPolicy(index: RepoIndex, env: string, problems: Problem[]): DesiredState['policy'] {
  const layers: PolicyLayer[] = [];
  const sourceOf = new Map<string, SourceDocument>();
  let perEnv: SourceDocument | undefined;
  let allEnv: SourceDocument | undefined;
  for (const p of index.policies) {
    if (p.shape === 'all-environments') {
      const hit = entryFor(p.data, (k) => sameEnvironment(k, env));
      if (!hit) continue;
      if (allEnv) {
        problems.push(
          problemAt(
            { doc: p.doc, path: ['environments', hit.key] },
            { code: 'duplicate-policy', message: `${env} is also governed by ${allEnv.file.path}`, environment: env },
          ),
        );
        continue;
      }
      allEnv = p.doc;
      sourceOf.set(p.doc.file.path, p.doc);
      layers.unshift({ file: p.doc.file.path, settings: settingsFromEntry(hit.entry, ['environments', hit.key]) });
    } else if (p.environment === env) {
      if (perEnv) {
        problems.push(
          problemAt(
            { doc: p.doc, path: ['metadata', 'name'] },
            { code: 'duplicate-policy', message: `${env} already has the policy ${perEnv.file.path}`, environment: env },
          ),
        );
        continue;
      }
      perEnv = p.doc;
      sourceOf.set(p.doc.file.path, p.doc);
      layers.push({ file: p.doc.file.path, settings: settingsFromPerEnvironment(p.data) });
    }
  }
  const { policy, conflicts } = mergePolicy(env, layers);
  for (const c of conflicts) {
    const doc = sourceOf.get(c.winner.file);
    if (!doc) continue;
    problems.push(
      problemAt(
        { doc, path: c.winner.path },
        {
          code: 'policy-conflict',
          message: `${c.field} is ${JSON.stringify(c.winner.value)} here but ${JSON.stringify(c.loser.value)} in ${c.loser.file}; this file wins`,
          environment: env,
        },
      ),
    );
  }
  if (policy.isDefault && isProduction(env) && index.invalidPolicies === 0) {
    problems.push(
      problem({
        code: 'no-policy',
        message: 'production has no deployment policy; approval is required for every deployment and breaking changes are refused',
        environment: env,
      }),
    );
  }
  return policy;
}
