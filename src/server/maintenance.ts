/**
 * Maintenance mode: while a restore or an operator's work runs, the data endpoints (items and
 * features) answer 503 with Retry-After, and /readyz says not ready so load balancers drain the
 * server; the landing page, conformance and collection descriptions still answer, so clients learn
 * why. Set through the admin API by a person with the admin or operator role, and audited.
 */
export interface MaintenanceState {
  since: string;
  reason: string;
  retryAfterSeconds: number;
  by: string;
}

export class Maintenance {
  private current: MaintenanceState | undefined;

  get state(): MaintenanceState | undefined {
    return this.current;
  }

  enable(reason: string, retryAfterSeconds: number, by: string, now = new Date()): MaintenanceState {
    this.current = { since: now.toISOString(), reason, retryAfterSeconds: Math.max(1, Math.round(retryAfterSeconds)), by };
    return this.current;
  }

  disable(): void {
    this.current = undefined;
  }
}
