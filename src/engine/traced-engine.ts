import { isHonuaError } from '../errors/index.js';
import type { Engine } from './engine.js';

/**
 * An engine that says what it is asked: each method call, how long it took and how it ended, as
 * one line (`engine.plan 41 ms`, `engine.inspect 12 ms failed: unknown-table`). Arguments and
 * results are never written — they can hold secrets. The doors turn it on with HONUA_DEBUG, so
 * an operator sees which application-layer calls a command made and where the time went.
 */
export function traceEngine<E extends Engine>(engine: E, log: (line: string) => void): E {
  return new Proxy(engine, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string' || property === 'constructor') return value;
      return (...args: unknown[]): unknown => {
        const started = performance.now();
        const done = (failure?: unknown): void => {
          const ms = Math.round(performance.now() - started);
          const how = failure === undefined ? '' : ` failed: ${isHonuaError(failure) ? failure.code : 'internal-error'}`;
          log(`engine.${property} ${ms} ms${how}`);
        };
        let result: unknown;
        try {
          result = (value as (...a: unknown[]) => unknown).apply(target, args);
        } catch (error) {
          done(error);
          throw error;
        }
        if (result instanceof Promise) {
          return result.then(
            (v: unknown) => {
              done();
              return v;
            },
            (error: unknown) => {
              done(error);
              throw error;
            },
          );
        }
        done();
        return result;
      };
    },
  });
}
