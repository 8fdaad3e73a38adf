import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { withEngine } from '../engine.js';
import { UsageError } from '../../errors/index.js';
import { EXIT } from '../exit-codes.js';
import { type Io, writeJson } from '../io.js';
import type { CommandResult } from '../program.js';

export function registerSchema(program: Command, io: Io, done: CommandResult): void {
  program
    .command('schema')
    .description('Export JSON Schemas of the configuration kinds (for editors) and of the JSON outputs')
    .option('--out <dir>', 'write every schema as <name>.schema.json into this directory')
    .option('--name <name>', 'print one schema (e.g. layer, honua, plan)', 'honua')
    .addHelpText(
      'after',
      `
Editors with the YAML language server (VS Code's YAML extension, ...) validate and complete a file
that starts with this modeline:

  # yaml-language-server: $schema=<path-to>/honua.schema.json

Example:
  honua schema --out schemas/`,
    )
    .action(async (opts: { out?: string; name: string }) => {
      const schemas = await withEngine(io, {}, async (engine) => engine.schemas());
      if (opts.out !== undefined) {
        const dir = path.resolve(io.cwd, opts.out);
        await mkdir(dir, { recursive: true });
        for (const [file, schema] of Object.entries(schemas)) await writeFile(path.join(dir, file), `${JSON.stringify(schema, null, 2)}\n`);
        io.stdout.write(`wrote ${Object.keys(schemas).length} schemas to ${dir}\n`);
      } else {
        const schema = (schemas as Record<string, unknown>)[`${opts.name}.schema.json`];
        if (schema === undefined) {
          throw new UsageError('unknown-schema', `no schema named "${opts.name}"`, {
            hint: `Known: ${Object.keys(schemas)
              .map((f) => f.replace('.schema.json', ''))
              .join(', ')}.`,
          });
        }
        writeJson(io, schema);
      }
      done.code = EXIT.ok;
    });
}
