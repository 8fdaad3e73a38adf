/**
 * Environment names. Folders and references may use the short aliases; the engine uses the
 * canonical names. Names that are not aliases (qa, uat, ...) are their own canonical name.
 */
const ALIASES: Record<string, string> = {
  dev: 'development',
  develop: 'development',
  development: 'development',
  stage: 'staging',
  stg: 'staging',
  staging: 'staging',
  prod: 'production',
  prd: 'production',
  production: 'production',
};

const SHORT: Record<string, string> = { development: 'dev', staging: 'stage', production: 'prod' };

/** The reserved folder that every environment is overlaid on. */
export const COMMON_ENVIRONMENT = 'common';

export const canonicalEnvironment = (name: string): string => ALIASES[name.toLowerCase()] ?? name.toLowerCase();

export const sameEnvironment = (a: string, b: string): boolean => canonicalEnvironment(a) === canonicalEnvironment(b);

/** The short form used in deployment ids (prod-20241004123456-abc123). */
export const shortEnvironment = (name: string): string => SHORT[canonicalEnvironment(name)] ?? canonicalEnvironment(name);

export const isProduction = (name: string): boolean => canonicalEnvironment(name) === 'production';

/** Canonical environments sorted the way people read them: development, staging, production, then the rest. */
export function sortEnvironments(names: Iterable<string>): string[] {
  const rank = (n: string): number => ['development', 'staging', 'production'].indexOf(n);
  return [...names].sort((a, b) => {
    const ra = rank(a);
    const rb = rank(b);
    if (ra >= 0 && rb >= 0) return ra - rb;
    if (ra >= 0) return -1;
    if (rb >= 0) return 1;
    return a.localeCompare(b);
  });
}
