import type { Registry } from './registry.js';

/**
 * The registry the server answers with, swapped atomically: a request takes the current one when
 * it starts and gives it back when it ends, so it finishes on the registry it began with; a
 * registry swapped out is retired (its pools closed, when no other registry uses them) once its
 * last request has ended.
 */
export class RegistryHolder {
  private registry: Registry;
  private readonly retiring = new Set<Registry>();

  constructor(
    initial: Registry,
    private readonly onRetired: (old: Registry, current: Registry) => Promise<void> = async () => undefined,
  ) {
    this.registry = initial;
  }

  get current(): Registry {
    return this.registry;
  }

  /** The current registry and those retiring with requests still on them: whatever they use is in use. */
  live(): Registry[] {
    return [this.registry, ...this.retiring];
  }

  acquire(): Registry {
    const r = this.registry;
    r.inflight++;
    return r;
  }

  release(r: Registry): void {
    r.inflight--;
    if (r.inflight === 0 && this.retiring.has(r)) this.retire(r);
  }

  swap(next: Registry): Registry {
    const old = this.registry;
    this.registry = next;
    if (old !== next) {
      if (old.inflight === 0) this.retire(old);
      else this.retiring.add(old);
    }
    return old;
  }

  private retire(r: Registry): void {
    this.retiring.delete(r);
    void this.onRetired(r, this.registry).catch(() => undefined);
  }
}
