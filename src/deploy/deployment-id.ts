import { shortEnvironment } from '../config/index.js';

/** `prod-20241004123456-abc1234`: the environment's alias, the UTC time to the second, the short commit. */
export function deploymentId(environment: string, at: Date, commit: string): string {
  const stamp = at.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return `${shortEnvironment(environment)}-${stamp}-${commit.slice(0, 7)}`;
}
