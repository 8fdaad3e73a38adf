import type { Command } from 'commander';
import { UsageError } from '../errors/index.js';

/**
 * Commands the design promises that this version does not have yet. Each is registered hidden,
 * so `honua deploy` says plainly that it is not built yet and what there is today, instead of
 * "unknown command". A command that lands replaces its placeholder.
 */
export function registerPlanned(program: Command, planned: ReadonlyArray<{ name: string; what: string }>): void {
  const existing = new Set(program.commands.map((c) => c.name()));
  for (const p of planned) {
    if (existing.has(p.name)) continue;
    program
      .command(p.name, { hidden: true })
      .allowUnknownOption()
      .allowExcessArguments()
      .helpOption(false)
      .argument('[args...]')
      .action(() => {
        const today = program.commands.filter((c) => !(c as unknown as { _hidden?: boolean })._hidden).map((c) => c.name());
        throw new UsageError('not-built-yet', `${program.name()} ${p.name} (${p.what}) is not built yet in this version`, {
          hint: `Today ${program.name()} has: ${today.join(', ')}. Run '${program.name()} --help' for what each does.`,
        });
      });
  }
}
