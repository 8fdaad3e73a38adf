// Links this package's own executables into node_modules/.bin after install (npm links the bins of
// dependencies, not of the project itself), so `npx honua` and `npx honua-ai` work in a fresh clone.
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const binDir = path.join(root, 'node_modules', '.bin');
if (existsSync(path.join(root, 'node_modules'))) {
  mkdirSync(binDir, { recursive: true });
  for (const [name, target] of Object.entries(pkg.bin ?? {})) {
    const link = path.join(binDir, name);
    rmSync(link, { force: true });
    symlinkSync(path.relative(binDir, path.join(root, target)), link);
  }
}
