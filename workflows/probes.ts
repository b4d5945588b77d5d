import { proxyActivities, sleep } from '@temporalio/workflow';
import type { Activities } from '../activities/index.ts';

/**
 * Does nothing. The load harness measures the stack's own ceiling with it
 * (start and complete at the highest sustained rate), against which lead
 * throughput is reported.
 */
export async function emptyWorkflow(): Promise<void> {}

/** Sleeps, then reports the workflow clock; proves durable timers and time skipping end to end. */
export async function timerWorkflow(durationMs: number): Promise<{ startedAt: number; firedAt: number }> {
  const startedAt = Date.now();
  await sleep(durationMs);
  return { startedAt, firedAt: Date.now() };
}

const { checkStores } = proxyActivities<Activities>({ startToCloseTimeout: '10 seconds', retry: { maximumAttempts: 3 } });

/** Round trip through a worker's activities and their stores; used by the health check. */
export async function healthProbeWorkflow(): Promise<{ mongo: boolean }> {
  return checkStores();
}
