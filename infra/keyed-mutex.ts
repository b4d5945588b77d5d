/**
 * Runs tasks one at a time per key, in arrival order. Used where concurrent
 * tasks in one process would only fight each other (allocations of one tenant
 * racing for the same rotation turn); correctness never rests on it, since
 * other processes still race and the unique keys decide.
 */
export function keyedMutex() {
  const tails = new Map<string, Promise<unknown>>();
  async function run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const prev = tails.get(key) ?? Promise.resolve();
    const mine = prev.then(task, task);
    const tail = mine.catch(() => undefined);
    tails.set(key, tail);
    try {
      return await mine;
    } finally {
      if (tails.get(key) === tail) tails.delete(key);
    }
  }
  /**
   * Holds every key at once. Keys are taken in sorted order, so two tasks
   * wanting overlapping sets can never each hold what the other waits for.
   */
  function runAll<T>(keys: Iterable<string>, task: () => Promise<T>): Promise<T> {
    const sorted = [...new Set(keys)].sort();
    return sorted.reduceRight<() => Promise<T>>((inner, key) => () => run(key, inner), task)();
  }
  return Object.assign(run, { all: runAll });
}
