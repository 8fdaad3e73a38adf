import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { assumeYes, type Confirmer, noConfirmer, type SessionMode } from '../../../guardrails/index.js';
import { ToolRunner, TOOLS } from '../../../tools/index.js';
import {
  toolSpecs,
  createProvider,
  type PlannerSurface,
  type Message,
  type Provider,
  loadAiConfigFile,
  type ProviderSettings,
  resolveProviderSettings,
  systemPrompt,
  Transcript,
} from '../../ai/index.js';
import { rerunCommand } from './rerun-command.js';
import type { Engine } from '../../engine/index.js';
import { honuaHome } from '../../runtime/index.js';
import type { Io } from '../io.js';
import { terminalConfirmer } from './terminal-confirmer.js';
import { type AiEngineFlags, auditLogFor, engineFor, osUser, redactorFor, sessionMode } from './session-options.js';

/**
 * Everything a conversation needs, built the same way for `chat` and `ask`: the context (with
 * the sample workspace as the fallback repository), the provider (flag, environment, config
 * file, else the offline planner), the gate's runner with the right confirmer, the transcript.
 */
export interface ConsultantFlags extends AiEngineFlags {
  provider?: string;
  model?: string;
  baseUrl?: string;
  yes?: boolean;
  resume?: string;
  maxSteps?: string;
}

export interface ConsultantSession {
  engine: Engine;
  runner: ToolRunner;
  provider: Provider;
  settings: ProviderSettings;
  transcript: Transcript;
  history: Message[];
  system: () => string;
  /** Where answers are read (a one-shot ask, or a conversation). */
  surface: PlannerSurface;
  close(): Promise<void>;
}

export async function openConsultant(
  io: Io,
  flags: ConsultantFlags & { json?: boolean },
  options: {
    via: 'chat' | 'ask';
    interactive: boolean;
    confirmer?: Confirmer;
    log: (line: string) => void;
    /** `honua-ai propose`: every proposal is followed by a pull request. */
    pullRequest?: boolean;
    githubFetch?: typeof fetch;
  },
): Promise<ConsultantSession> {
  const mode: SessionMode = sessionMode(flags.mode, 'propose');
  const home = honuaHome(io.env);
  const settings = resolveProviderSettings({
    flags: {
      ...(flags.provider ? { provider: flags.provider } : {}),
      ...(flags.model ? { model: flags.model } : {}),
      ...(flags.baseUrl ? { baseUrl: flags.baseUrl } : {}),
    },
    env: io.env,
    file: loadAiConfigFile(path.join(home, 'ai.yaml')),
  } as Parameters<typeof resolveProviderSettings>[0]);
  const redactor = redactorFor(io.env, flags);
  if (settings.apiKey) redactor.addSecret(settings.apiKey);
  // Every line the session writes for a person goes through the same redactor as everything else.
  const log = (line: string): void => options.log(redactor.text(line));
  const audit = auditLogFor(io, flags, redactor);
  const engine = await engineFor(io, flags, { sampleWorkspace: true, log, mode, ...(options.githubFetch ? { fetch: options.githubFetch } : {}) });
  const { repoDir } = engine.workspace;
  for (const w of await engine.connectionWarnings()) log(`warning: ${w}`);
  const user = osUser(io.env);
  const base = options.confirmer ?? (options.interactive ? terminalConfirmer(user) : noConfirmer);
  const confirmer = flags.yes ? assumeYes(user, base) : base;
  let history: Message[] = [];
  let id = randomBytes(4).toString('hex');
  const transcripts = path.join(home, 'transcripts');
  if (flags.resume) {
    const saved = Transcript.read(transcripts, flags.resume);
    history = saved.messages;
    id = flags.resume;
  }
  const runner = new ToolRunner({ tools: TOOLS, engine, mode, confirmer, audit, redactor, actor: user, via: options.via, sessionId: id });
  const transcript = new Transcript(transcripts, id, redactor);
  transcript.start({ id, created: new Date().toISOString(), provider: settings.provider, model: settings.model, mode, ...(repoDir ? { repo: repoDir } : {}) });
  // A one-shot ask cannot hear an answer: its questions end with the commands that give one.
  const surface: PlannerSurface & { pullRequest?: boolean } = {
    ...(options.via === 'ask'
      ? { kind: 'ask' as const, rerun: (request: string, extra?: string[]) => rerunCommand(flags, request, extra) }
      : { kind: 'chat' as const }),
    ...(options.pullRequest ? { pullRequest: true } : {}),
  };
  const provider = createProvider(settings, surface);
  return {
    engine,
    runner,
    provider,
    settings,
    transcript,
    history,
    system: () =>
      systemPrompt(
        {
          mode: runner.mode,
          ...(repoDir ? { repo: repoDir } : {}),
          environment: engine.workspace.defaultEnvironment,
          database: engine.workspace.describeDatabase(),
          ...(surface.kind === 'ask' ? { oneShot: rerunCommand(flags, '<request with the answer>') } : {}),
          ...(options.pullRequest ? { pullRequest: true } : {}),
        },
        toolSpecs(runner),
      ),
    surface,
    close: () => engine.close(),
  };
}
