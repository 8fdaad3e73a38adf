import { execFileSync } from 'node:child_process';
import { chmodSync } from 'node:fs';

/** CLI tests run the compiled `honua`; compile once before any test file starts (as `npm run build` does). */
export default function setup(): void {
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
  chmodSync('dist/src/cli/honua.js', 0o755);
}
