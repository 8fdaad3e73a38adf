import type { Intent } from './intent.js';
import { type Flow, whichEnvironment } from './flow.js';
import { operationAnswer } from './deployment-answer.js';
import { requestText } from './request-text.js';
import { type Done, type Step, call, failed, problem } from './step.js';
import { needsOperate } from './surface.js';

/**
 * The operations: deploy, schedule, roll back, restore — each one operate call that a person
 * confirms, whose deployment still goes through the environment's policy. Outside operate mode
 * the planner does not try (the runner would deny it): it says how to get an operate session and
 * the command a person runs. A schedule outside the policy's windows is refused by the tool with
 * the next allowed slot; the planner says so, and moves to that slot only when the request asked
 * for the next window — and then says exactly what it scheduled.
 */
export type Operation = Extract<Intent, { kind: 'deploy' | 'schedule' | 'rollback' | 'restore' }>;

const TOOL: Record<Operation['kind'], string> = {
  deploy: 'request_deployment',
  schedule: 'schedule_deployment',
  rollback: 'request_rollback',
  restore: 'request_restore',
};

const ENV = (e: string | undefined): string => e ?? '<environment>';

/** What the operation does, as the subject of a sentence. */
function what(op: Operation): string {
  const target = op.kind === 'deploy' || op.kind === 'schedule' ? (op.migration ? `migration ${op.migration}` : op.ref ? op.ref : '') : '';
  switch (op.kind) {
    case 'deploy':
      return `Deploying ${target ? `${target} ` : ''}to ${ENV(op.environment)}`;
    case 'schedule':
      return `Scheduling ${target ? `${target} ` : 'a deployment '}for ${ENV(op.environment)}${op.at ? ` at ${op.at}` : ''}`;
    case 'rollback':
      return `Rolling ${ENV(op.environment)} back${op.toDeployment ? ` to ${op.toDeployment}` : op.toCommit ? ` to commit ${op.toCommit}` : ''}`;
    case 'restore':
      return `Restoring ${ENV(op.environment)}${op.includeDatabase === false ? ' (configuration only)' : ' (configuration and database)'}`;
  }
}

/** The command a person runs to do it themselves (the policy applies to them just the same). */
export function personCommand(op: Operation): string {
  const e = ENV(op.environment);
  switch (op.kind) {
    case 'deploy':
      return `\`honua deploy ${op.migration ? `migration ${op.migration} ` : ''}-e ${e}${op.ref ? ` --ref ${op.ref}` : ''}\``;
    case 'schedule':
      return op.migration
        ? `\`honua-ai schedule migration ${op.migration} -e ${e}${op.ref ? ` --ref ${op.ref}` : ''} --window "${op.at ?? '<when>'}"\``
        : `\`honua-ai schedule deployment -e ${e}${op.ref ? ` --ref ${op.ref}` : ''} --at "${op.at ?? '<when>'}"\``;
    case 'rollback':
      return `\`honua rollback ${e}${op.toDeployment ? ` --to ${op.toDeployment}` : op.toCommit ? ` --to-commit ${op.toCommit}` : ''}\``;
    case 'restore':
      return `\`honua restore -e ${e} --commit ${op.commit ?? '<commit>'}${op.includeDatabase === false ? '' : ` --include-database${op.backupId ? ` --backup ${op.backupId}` : ''}`}\``;
  }
}

const DOING: Record<Operation['kind'], string> = {
  deploy: 'deploy to',
  schedule: 'schedule the deployment for',
  rollback: 'roll back',
  restore: 'restore',
};

export function operationStep(op: Operation, flow: Flow): Step {
  if (!flow.tools.has(TOOL[op.kind])) return needsOperate(flow.surface, flow.mode, what(op), requestText(op), personCommand(op));
  if (op.environment === undefined) return whichEnvironment(flow, op, DOING[op.kind]);
  const environment = op.environment;
  switch (op.kind) {
    case 'deploy': {
      const d = flow.last('request_deployment');
      if (!d) return call('request_deployment', { environment, ...(op.ref ? { ref: op.ref } : {}), ...(op.migration ? { migration: op.migration } : {}) });
      return operationAnswer(d, what(op), personCommand(op));
    }
    case 'schedule': {
      if (op.at === undefined || !/\d/.test(op.at.replace(/^\d{4}-\d{2}-\d{2}$/, ''))) {
        const day = op.at ?? 'next-tuesday';
        return flow.ask(
          `${op.at === undefined ? 'When should it run?' : `At what time ${op.at}?`} Say a time the policy allows, read in its time zone, e.g. "${day} 10:00", or a range "${day} 10:00-12:00".`,
          [{ label: `${day} 10:00`, request: requestText({ ...op, at: `${day} 10:00` }) }],
        );
      }
      const s = scheduling(
        flow,
        { environment, at: op.at, ...(op.ref ? { ref: op.ref } : {}), ...(op.migration ? { migration: op.migration } : {}) },
        op.nextWindow === true,
      );
      if ('call' in s) return s.call;
      if (s.done.errorCode === 'outside-window') return failed(s.lines.join('\n'));
      return operationAnswer(s.done, what(op), personCommand(op), { lead: s.lines });
    }
    case 'rollback': {
      const d = flow.last('request_rollback');
      if (!d)
        return call('request_rollback', {
          environment,
          ...(op.toDeployment ? { toDeployment: op.toDeployment } : {}),
          ...(op.toCommit ? { toCommit: op.toCommit } : {}),
        });
      return operationAnswer(d, what(op), personCommand(op), {
        extra: (data) => {
          const r = data as { undone?: string[]; revertedMigrations?: string[] };
          return [
            ...((r.undone ?? []).length > 0 ? [`Undone: ${r.undone!.join(', ')}.`] : []),
            ...((r.revertedMigrations ?? []).length > 0 ? [`Reverted by their down steps: ${r.revertedMigrations!.join(', ')}.`] : []),
            'Git still has the change: propose the revert commit, so the repository matches what runs again.',
          ];
        },
      });
    }
    case 'restore':
      return restoreStep(op, environment, flow);
  }
}

function restoreStep(op: Operation & { kind: 'restore' }, environment: string, flow: Flow): Step {
  const withDatabase = op.includeDatabase !== false;
  // The backup's age is the data a restore loses: read it first, and say it.
  const backups = withDatabase ? flow.last('list_backups') : undefined;
  if (withDatabase && !backups) return call('list_backups', { environment });
  const list = ((backups?.data as { backups?: Array<{ id: string; createdAt: string; ageHours: number }> } | undefined)?.backups ?? []).slice();
  const backup = op.backupId ? list.find((b) => b.id === op.backupId) : list[0];
  if (withDatabase && backups?.ok && !backup)
    return failed(
      `${what(op)} was not done: ${op.backupId ? `there is no backup ${op.backupId} of ${environment}` : `there is no backup of ${environment} to restore the database from`}.${list.length > 0 ? ` Its backups: ${list.map((b) => b.id).join(', ')}.` : ''} Restore the configuration only ("restore ${environment} configuration only"), or take a backup first (\`honua backup create -e ${environment}\`).`,
    );
  const d = flow.last('request_restore');
  if (!d)
    return call('request_restore', {
      environment,
      includeDatabase: withDatabase,
      ...(backup && withDatabase ? { backupId: backup.id } : {}),
      ...(op.commit ? { commit: op.commit } : {}),
    });
  return operationAnswer(d, what(op), personCommand(op), {
    extra: (data) => {
      const id = (data as { backup?: string }).backup ?? backup?.id;
      return id ? [`Database from backup ${id}${backup ? ` (${backup.createdAt}, ${backup.ageHours} h old): data written after it is lost` : ''}.`] : [];
    },
  });
}

/** The next slot an outside-window refusal names: as the policy writes it, and as an instant schedule_deployment reads. */
export function nextSlot(d: Done): { local: string; at?: string } | undefined {
  const hint = d.error?.hint ?? '';
  // "The next allowed slot is Tue 2026-12-01 09:00 PST (2026-12-01T17:00:00.000Z)."
  const m = /next allowed slot is (.+?)(?: \((\d{4}-\d{2}-\d{2}T[^)\s]+)\))?\.?$/m.exec(hint);
  const local = m?.[1];
  if (!local) return undefined;
  const at = m?.[2];
  return { local, ...(at ? { at } : {}) };
}

/**
 * The schedule_deployment calls of a turn: the first at the time asked for; after an
 * outside-window refusal, one more at the next allowed slot when `nextWindow` (the request asked
 * for it); else the answer says it was refused and names the slot. `lines` say what happened to
 * the time asked for; `done` is the call that decides the answer.
 */
export function scheduling(
  flow: Flow,
  args: { environment: string; at: string; ref?: string; migration?: string },
  nextWindow: boolean,
): { call: Step } | { done: Done; lines: string[] } {
  const [first, second] = flow.done.filter((d) => d.name === 'schedule_deployment');
  if (!first) return { call: call('schedule_deployment', args) };
  if (first.errorCode !== 'outside-window') return { done: first, lines: [] };
  const refused = `Not scheduled at ${args.at}: ${first.error?.message ?? problem(first)}.`;
  const slot = nextSlot(first);
  if (nextWindow && slot?.at) {
    if (!second) return { call: call('schedule_deployment', { ...args, at: slot.at }) };
    if (second.errorCode === 'outside-window')
      return { done: second, lines: [refused, `I tried the next allowed slot, ${slot.local}, as you asked: ${problem(second)}`] };
    return {
      done: second,
      lines: second.ok ? [refused, `As you asked, I scheduled it at the next allowed slot instead: ${slot.local} (${slot.at}).`] : [refused],
    };
  }
  return {
    done: first,
    lines: [
      refused,
      slot
        ? `The next allowed slot is ${slot.local}. Ask for that time${slot.at ? ` (${slot.at})` : ''}, or say "at the next allowed slot", and I will schedule it then.`
        : (first.error?.hint ?? 'The policy allows no time soon.'),
    ],
  };
}
