import type { Database } from './database.js';
import { inReadOnlyTransaction } from './read-only-query.js';

/**
 * What the consultant's database connection may do, as the server sees it (after `SET ROLE`
 * when a least-privilege role is configured). A superuser, or a member of the roles that read
 * and write the server's files or run programs, can do through a function call what no
 * READ ONLY transaction prevents; Honua says so when a session starts.
 */
export interface ConnectionPrivileges {
  user: string;
  superuser: boolean;
  bypassRls: boolean;
  /** Membership in roles that reach outside the database or write everywhere. */
  powerfulRoles: string[];
}

const POWERFUL = ['pg_write_server_files', 'pg_read_server_files', 'pg_execute_server_program', 'pg_write_all_data'];

export async function connectionPrivileges(db: Database, role?: string): Promise<ConnectionPrivileges> {
  return inReadOnlyTransaction(db, { role }, async (tx) => {
    const r = await tx.query<{ user: string; superuser: boolean; bypassrls: boolean; powerful: string[] | null }>(
      `SELECT current_user AS user, r.rolsuper AS superuser, r.rolbypassrls AS bypassrls,
              ARRAY(SELECT b.rolname::text FROM pg_roles b WHERE b.rolname = ANY ($1::text[]) AND pg_has_role(current_user, b.oid, 'MEMBER') ORDER BY 1) AS powerful
         FROM pg_roles r WHERE r.rolname = current_user`,
      [POWERFUL],
    );
    const row = r.rows[0];
    return { user: row?.user ?? 'unknown', superuser: row?.superuser === true, bypassRls: row?.bypassrls === true, powerfulRoles: row?.powerful ?? [] };
  });
}

/** Warnings for a person starting a consultant session on this connection (none when it is least-privilege). */
export function privilegeWarnings(p: ConnectionPrivileges, where: string, role: string | undefined): string[] {
  const how = 'see docs/guardrails.md#a-least-privilege-role';
  if (p.superuser) {
    return [
      `the consultant reads ${where} as ${p.user}, a superuser${role ? ` (the role ${role} is one)` : ''}: a function or view in that database can write, or read the server's files, even inside a read-only transaction. Give the consultant a least-privilege role (--db-role, or a --database-url for a role with pg_read_all_data only; ${how}).`,
    ];
  }
  if (p.powerfulRoles.length > 0) {
    return [
      `the consultant reads ${where} as ${p.user}, a member of ${p.powerfulRoles.join(', ')}: a function can reach the server's files or programs. Use a role without them (${how}).`,
    ];
  }
  return [];
}
