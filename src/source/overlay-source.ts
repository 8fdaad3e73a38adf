import type { ConfigSource } from './config-source.js';

/**
 * A config repository with some files replaced or added in memory: what the repository would be
 * if a proposal were applied. Used to validate generated files before anything is written.
 */
export class OverlaySource implements ConfigSource {
  constructor(
    private readonly base: ConfigSource,
    private readonly files: ReadonlyMap<string, string>,
  ) {}

  get description() {
    return this.base.description;
  }

  async links(): Promise<string[]> {
    return ((await this.base.links?.()) ?? []).filter((l) => !this.files.has(l));
  }

  async listFiles(): Promise<string[]> {
    return [...new Set([...(await this.base.listFiles()), ...this.files.keys()])].sort();
  }

  async readFiles(paths: readonly string[]): Promise<Map<string, string>> {
    const fromBase = await this.base.readFiles(paths.filter((p) => !this.files.has(p)));
    for (const p of paths) {
      const text = this.files.get(p);
      if (text !== undefined) fromBase.set(p, text);
    }
    return fromBase;
  }
}
