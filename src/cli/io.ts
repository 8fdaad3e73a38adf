import { styleText } from 'node:util';

/** Where a command writes and what it knows of its terminal; tests pass their own. */
export interface Io {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export const processIo = (): Io => ({ stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() });

type Format = Parameters<typeof styleText>[0];

/**
 * Terminal styling. Colors only when the output is a terminal and NO_COLOR is not set
 * (https://no-color.org); FORCE_COLOR forces them; `--no-color` turns them off.
 */
export class Style {
  constructor(readonly color: boolean) {}

  static detect(io: Io, stream: 'stdout' | 'stderr' = 'stdout', flag?: boolean): Style {
    if (flag === false) return new Style(false);
    if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') return new Style(false);
    if (io.env.FORCE_COLOR !== undefined && io.env.FORCE_COLOR !== '0') return new Style(true);
    return new Style(Boolean(io[stream].isTTY) && io.env.TERM !== 'dumb');
  }

  paint(format: Format, text: string): string {
    return this.color ? styleText(format, text, { validateStream: false }) : text;
  }

  bold = (t: string): string => this.paint('bold', t);
  dim = (t: string): string => this.paint('dim', t);
  red = (t: string): string => this.paint('red', t);
  green = (t: string): string => this.paint('green', t);
  yellow = (t: string): string => this.paint('yellow', t);
  cyan = (t: string): string => this.paint('cyan', t);
  magenta = (t: string): string => this.paint('magenta', t);
}

/** Prints a value as JSON (2-space indented, newline-terminated). */
export const writeJson = (io: Io, value: unknown): void => void io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
