import os from 'node:os';
import path from 'node:path';

/** Honua's own folder for local state (embedded databases, the sample workspace, backups, audit, transcripts): $HONUA_HOME, else ~/.honua. */
export const honuaHome = (env: NodeJS.ProcessEnv): string => env.HONUA_HOME || path.join(os.homedir(), '.honua');
