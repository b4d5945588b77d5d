import type { Client } from '@temporalio/client';
import { randomUUID } from 'node:crypto';

/**
 * The stack's own ceiling: how many empty workflows per second it starts and
 * completes, at the best of a few concurrency levels, on the same server,
 * worker and task queue the leads use.
 */
export async function measureCeiling(
  client: Client,
  taskQueue: string,
  secondsPerLevel = 8,
): Promise<{ perSecond: number; concurrency: number; levels: Array<{ concurrency: number; perSecond: number }> }> {
  const levels: Array<{ concurrency: number; perSecond: number }> = [];
  for (const concurrency of [8, 32, 64]) {
    const until = Date.now() + secondsPerLevel * 1000;
    let done = 0;
    const lane = async () => {
      while (Date.now() < until) {
        await client.workflow.execute('emptyWorkflow', { taskQueue, workflowId: `ceiling-${randomUUID()}`, args: [] });
        done += 1;
      }
    };
    const t0 = Date.now();
    await Promise.all(Array.from({ length: concurrency }, lane));
    levels.push({ concurrency, perSecond: done / ((Date.now() - t0) / 1000) });
  }
  const best = levels.reduce((a, b) => (b.perSecond > a.perSecond ? b : a));
  return { perSecond: best.perSecond, concurrency: best.concurrency, levels };
}
