import { execFileSync } from 'node:child_process';

/** CLI tests run the compiled `honua`; compile once before any test file starts. */
export default function setup(): void {
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
}
