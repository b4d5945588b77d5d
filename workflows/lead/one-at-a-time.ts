/**
 * One queue for every local activity of a lead: calls run one after another,
 * in the order they were asked for. Local activities started by concurrent
 * coroutines (the main path, update handlers, a background acknowledgement)
 * resolve in completion order on a live worker but in scheduling order on
 * replay, so the coroutines resume differently and issue different commands:
 * a nondeterminism error, reported for every Temporal SDK (sdk-typescript
 * #1744, sdk-python #1578). With one local activity in flight at a time there
 * is nothing to reorder.
 */
export function localActivityQueue() {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    /** The same calls, each waiting its turn in this queue. */
    wrap<T extends object>(calls: T): T {
      return new Proxy(calls, {
        get(target, prop) {
          const fn = Reflect.get(target, prop) as unknown;
          if (typeof fn !== 'function') return fn;
          return (...args: unknown[]) => {
            const run = tail.then(() => (fn as (...a: unknown[]) => Promise<unknown>)(...args));
            tail = run.catch(() => undefined);
            return run;
          };
        },
      });
    },
  };
}
