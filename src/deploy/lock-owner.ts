import os from 'node:os';

/**
 * Who holds an environment's deployment lock: a process on a host. A lock whose owner process is
 * gone (same host, no such process) is taken over at once; one on another host only when it has
 * expired (its holder renews it while it works).
 */
export interface LockOwner {
  host: string;
  pid: number;
  /** For messages: the person or program the process runs for (jane via cli, controller). */
  label: string;
}

export const thisProcess = (label: string): LockOwner => ({ host: os.hostname(), pid: process.pid, label });

export const describeOwner = (o: LockOwner): string => `${o.label} (process ${o.pid} on ${o.host})`;

/** Whether the owner process is certainly gone: only knowable on the same host. */
export function ownerIsGone(o: LockOwner): boolean {
  if (o.host !== os.hostname()) return false;
  if (o.pid === process.pid) return false;
  try {
    process.kill(o.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
