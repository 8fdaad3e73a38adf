import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { parse, stringify } from 'yaml';
import { z } from 'zod';
import { parseApprover } from '../config/index.js';
import { HonuaError, UsageError } from '../errors/index.js';
import { writeFileAtomic } from './atomic-file.js';
import type { Actor } from './deployment-record.js';

/**
 * People: the users file (`$HONUA_HOME/users.yaml`), each with an email, teams, roles and the
 * sha256 of a token. The token itself is printed once, when the user is added, and never
 * stored; a command proves who runs it with HONUA_TOKEN (or --token-file), the admin API with a
 * bearer token. Policies name approvers as `team:`, `role:` and `user:` (name or email).
 */
export const UserSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/i, 'letters, digits, dot, dash and underscore'),
  email: z.string().email(),
  teams: z.array(z.string()).default([]),
  roles: z.array(z.string()).default([]),
  tokenSha256: z.string().regex(/^[0-9a-f]{64}$/),
  createdAt: z.string().optional(),
});
export type User = z.infer<typeof UserSchema>;

export const UsersFileSchema = z.strictObject({ users: z.array(UserSchema).default([]) });

export const tokenHash = (token: string): string => createHash('sha256').update(token).digest('hex');

/** A new token: `honua_` and 32 random bytes, base64url. */
export const newToken = (): string => `honua_${randomBytes(32).toString('base64url')}`;

export class UsersFile {
  constructor(readonly file: string) {}

  async read(): Promise<User[]> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw new HonuaError('users-file-invalid', `cannot read ${this.file}: ${(error as Error).message}`, { cause: error });
    }
    const parsed = UsersFileSchema.safeParse(parse(text) ?? {});
    if (!parsed.success) throw new HonuaError('users-file-invalid', `${this.file} is not a valid users file: ${z.prettifyError(parsed.error)}`);
    return parsed.data.users;
  }

  private async write(users: User[]): Promise<void> {
    await writeFileAtomic(
      this.file,
      `# Honua users: who may approve. Tokens are stored as sha256 only (honua user add prints a token once).\n${stringify({ users })}`,
    );
  }

  /** Adds a user and returns the token, which is shown once and stored nowhere. */
  async add(user: { name: string; email: string; teams?: string[]; roles?: string[] }, now: Date): Promise<{ user: User; token: string }> {
    const users = await this.read();
    if (users.some((u) => u.name.toLowerCase() === user.name.toLowerCase()))
      throw new UsageError('user-exists', `a user named ${user.name} exists in ${this.file}`, {
        hint: `honua user remove ${user.name} first to give them a new token.`,
      });
    const token = newToken();
    const parsed = UserSchema.safeParse({
      ...user,
      teams: user.teams ?? [],
      roles: user.roles ?? [],
      tokenSha256: tokenHash(token),
      createdAt: now.toISOString(),
    });
    if (!parsed.success) throw new UsageError('bad-user', `not a valid user: ${z.prettifyError(parsed.error)}`);
    await this.write([...users, parsed.data]);
    return { user: parsed.data, token };
  }

  async remove(name: string): Promise<User> {
    const users = await this.read();
    const found = users.find((u) => u.name.toLowerCase() === name.toLowerCase());
    if (!found)
      throw new UsageError('unknown-user', `no user named ${name} in ${this.file}`, { hint: `Users: ${users.map((u) => u.name).join(', ') || 'none'}.` });
    await this.write(users.filter((u) => u !== found));
    return found;
  }

  /**
   * The user a token belongs to (compared in constant time), or an error that says nothing about
   * who exists. `more` are users known elsewhere (an environment's ServerConfig `users`).
   */
  async identify(token: string, more: readonly User[] = []): Promise<User> {
    const hash = Buffer.from(tokenHash(token.trim()), 'hex');
    const found = [...(await this.read()), ...more].find((u) => timingSafeEqual(Buffer.from(u.tokenSha256, 'hex'), hash));
    if (!found)
      throw new HonuaError('unknown-token', 'the token belongs to no user in the users file', {
        hint: `Ask an administrator for a token (honua user add), and set HONUA_TOKEN or pass --token-file.`,
      });
    return found;
  }
}

export const actorOf = (user: User, via: string): Actor => ({ name: user.name, email: user.email, authenticated: true, via });

/** Whether a user matches an approver entry of a policy: team:X, role:X, user:NAME or user:EMAIL (or a bare email). */
export function matchesApprover(user: User, approver: string): boolean {
  const a = parseApprover(approver);
  if (!a) return false;
  const eq = (x: string, y: string): boolean => x.toLowerCase() === y.toLowerCase();
  if (a.type === 'team' || a.type === 'group') return user.teams.some((t) => eq(t, a.name));
  if (a.type === 'role') return user.roles.some((r) => eq(r, a.name));
  return eq(user.name, a.name) || eq(user.email, a.name);
}
