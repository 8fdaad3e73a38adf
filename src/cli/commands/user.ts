import type { Command } from 'commander';
import { addDeployOptions, type DeployCommandOptions, deployRuntime } from '../deploy-options.js';
import { withEngine } from '../engine.js';
import { EXIT } from '../exit-codes.js';
import { type Io, Style, writeJson } from '../io.js';
import type { CommandResult } from '../program.js';

interface UserOptions extends DeployCommandOptions {
  email?: string;
  team?: string[];
  role?: string[];
}

const collect = (v: string, prev: string[] = []): string[] => [
  ...prev,
  ...v
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean),
];

export function registerUser(program: Command, io: Io, done: CommandResult): void {
  const user = program.command('user').description('The people who may approve deployments ($HONUA_HOME/users.yaml, or $HONUA_USERS_FILE)');

  addDeployOptions(user.command('add').description('Add a person and print their token, once: it is stored only as its sha256'))
    .argument('<name>', 'their user name')
    .requiredOption('--email <email>', 'their email (four-eyes compares it with commit authors)')
    .option('--team <team>', 'a team (repeat, or comma-separated): matches team:<name> in policies', collect)
    .option('--role <role>', 'a role (repeat, or comma-separated): matches role:<name>', collect)
    .action(async (name: string, opts: UserOptions) => {
      const { user: added, token } = await withEngine(io, deployRuntime(opts), (engine) =>
        engine.userAdd({ name, email: opts.email as string, teams: opts.team ?? [], roles: opts.role ?? [] }),
      );
      if (opts.json) writeJson(io, { user: { name: added.name, email: added.email, teams: added.teams, roles: added.roles }, token });
      else {
        const style = Style.detect(io, 'stdout', program.opts().color as boolean | undefined);
        io.stdout.write(
          `${style.green('✓')} Added ${added.name} <${added.email}>${added.teams.length ? `, teams ${added.teams.join(', ')}` : ''}${added.roles.length ? `, roles ${added.roles.join(', ')}` : ''}\n\n`,
        );
        io.stdout.write(`Their token (shown once, stored nowhere; give it to ${added.name} privately):\n\n  ${token}\n\n`);
        io.stdout.write(`They set HONUA_TOKEN to it (or pass --token-file) when they approve.\n`);
      }
      done.code = EXIT.ok;
    });

  addDeployOptions(user.command('list').description('The people in the users file (no tokens)')).action(async (opts: UserOptions) => {
    const users = await withEngine(io, deployRuntime(opts), (engine) => engine.userList());
    const shown = users.map((u) => ({ name: u.name, email: u.email, teams: u.teams, roles: u.roles, ...(u.createdAt ? { createdAt: u.createdAt } : {}) }));
    if (opts.json) writeJson(io, shown);
    else if (shown.length === 0) io.stdout.write('No users yet: honua user add NAME --email E --team T\n');
    else
      for (const u of shown)
        io.stdout.write(`${u.name.padEnd(16)} ${u.email.padEnd(28)} ${[...u.teams.map((t) => `team:${t}`), ...u.roles.map((r) => `role:${r}`)].join(' ')}\n`);
    done.code = EXIT.ok;
  });

  addDeployOptions(user.command('remove').description('Remove a person (their token stops working at once)'))
    .argument('<name>', 'their user name')
    .action(async (name: string, opts: UserOptions) => {
      const removed = await withEngine(io, deployRuntime(opts), (engine) => engine.userRemove(name));
      if (opts.json) writeJson(io, { removed: removed.name });
      else io.stdout.write(`Removed ${removed.name} <${removed.email}>\n`);
      done.code = EXIT.ok;
    });
}
