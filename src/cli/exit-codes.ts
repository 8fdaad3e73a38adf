/** Exit codes of every Honua command (DESIGN.md). */
export const EXIT = {
  ok: 0,
  /** Invalid configuration, deployment failed or rolled back, policy denies. */
  failed: 1,
  /** The command line was wrong. */
  usage: 2,
  /** Blocked: awaiting approval, outside a deployment window, in a blackout or cooldown; the consultant stopped for a person. */
  blocked: 3,
  /** The person cancelled it (Ctrl-C), as shells report a SIGINT. */
  cancelled: 130,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
