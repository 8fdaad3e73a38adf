import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { HonuaError } from '../errors/index.js';
import type { Redactor } from '../../guardrails/index.js';
import type { Message } from './providers/provider.js';

/**
 * A conversation saved as JSONL under $HONUA_HOME/transcripts/<id>.jsonl: a header line, then
 * one line per complete message (an assistant turn with its tool calls is written only after
 * every one of its tool results, so a cancelled turn leaves no dangling call). Redacted like
 * everything else; `--resume ID` reads it back.
 */
export interface TranscriptHeader {
  type: 'session';
  id: string;
  created: string;
  provider: string;
  model: string;
  mode: string;
  repo?: string;
}

export class Transcript {
  readonly file: string;

  constructor(
    dir: string,
    readonly id: string,
    private readonly redactor: Redactor,
  ) {
    this.file = path.join(dir, `${id}.jsonl`);
  }

  static exists(dir: string, id: string): boolean {
    return existsSync(path.join(dir, `${id}.jsonl`));
  }

  start(header: Omit<TranscriptHeader, 'type'>): void {
    mkdirSync(path.dirname(this.file), { recursive: true });
    if (!existsSync(this.file)) this.line({ type: 'session', ...header });
  }

  append(messages: readonly Message[]): void {
    for (const message of messages) this.line({ type: 'message', message });
  }

  private line(value: unknown): void {
    appendFileSync(this.file, `${JSON.stringify(this.redactor.value(value))}\n`, { mode: 0o600 });
  }

  /** The header and messages of a saved conversation. */
  static read(dir: string, id: string): { header: TranscriptHeader; messages: Message[] } {
    const file = path.join(dir, `${id}.jsonl`);
    if (!/^[\w.-]+$/.test(id) || !existsSync(file)) {
      throw new HonuaError('unknown-transcript', `no saved conversation "${id}"`, { hint: `Transcripts are in ${dir}.` });
    }
    const lines = readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l.trim().length > 0);
    let header: TranscriptHeader | undefined;
    const messages: Message[] = [];
    for (const [i, line] of lines.entries()) {
      let value: { type?: string; message?: Message };
      try {
        value = JSON.parse(line) as typeof value;
      } catch {
        // A line cut off by a crash is the only thing that can be half-written; ignore it.
        if (i === lines.length - 1) continue;
        throw new HonuaError('bad-transcript', `${file}:${i + 1} is not JSON`);
      }
      if (value.type === 'session') header = value as unknown as TranscriptHeader;
      else if (value.type === 'message' && value.message) messages.push(value.message);
    }
    if (!header) throw new HonuaError('bad-transcript', `${file} has no session header`);
    return { header, messages };
  }
}
