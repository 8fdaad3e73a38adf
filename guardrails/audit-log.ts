import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Redactor } from './redact.js';

/**
 * The audit log: one JSON line per tool call, appended and never rewritten. Each line says when,
 * which session, which tool, the arguments (redacted), what the gate decided, who confirmed, and
 * how it ended. Lines are written with a single append each, so concurrent sessions interleave
 * whole lines.
 */
export interface AuditEntry {
  time: string;
  session: string;
  /** Who the session acts for (the OS user or the MCP client's name). */
  actor: string;
  /** Where the call came from: chat, ask, mcp, generate. */
  via: string;
  tool: string;
  toolClass: string;
  mode: string;
  arguments: unknown;
  decision: 'allow' | 'ask' | 'deny';
  reason?: string;
  confirmedBy?: string;
  outcome: 'ok' | 'error' | 'denied' | 'refused' | 'cancelled';
  error?: { code: string; message: string };
  durationMs: number;
}

export interface AuditLog {
  readonly path: string | undefined;
  append(entry: AuditEntry): void;
}

export class FileAuditLog implements AuditLog {
  constructor(
    readonly path: string,
    private readonly redactor: Redactor,
  ) {
    mkdirSync(path === '' ? '.' : pathDir(path), { recursive: true });
  }

  append(entry: AuditEntry): void {
    // Redact the whole line again: an error message may quote a secret the tool saw.
    appendFileSync(this.path, `${JSON.stringify(this.redactor.value(entry))}\n`, { flag: 'a', mode: 0o600 });
  }
}

const pathDir = (file: string): string => path.dirname(path.resolve(file));

/** Keeps entries in memory (tests, and sessions that were told not to write a log). */
export class MemoryAuditLog implements AuditLog {
  readonly path = undefined;
  readonly entries: AuditEntry[] = [];
  append(entry: AuditEntry): void {
    this.entries.push(structuredClone(entry));
  }
}
