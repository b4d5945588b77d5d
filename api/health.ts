import type { Client } from '@temporalio/client';
import type { Connection } from 'mongoose';

export interface PartHealth {
  ok: boolean;
  detail: string;
}

export interface Health {
  ok: boolean;
  mongo: PartHealth;
  temporal: PartHealth;
  worker: PartHealth;
}

export interface HealthDeps {
  mongo: Connection;
  temporal: Client;
  namespace: string;
  taskQueue: string;
}

async function part(check: () => Promise<string>): Promise<PartHealth> {
  try {
    return { ok: true, detail: await check() };
  } catch (err) {
    return { ok: false, detail: (err as Error).message };
  }
}

/** Checks each part independently so one failure never hides the others. */
export async function checkHealth(deps: HealthDeps): Promise<Health> {
  const [mongo, temporal, worker] = await Promise.all([
    part(async () => {
      await deps.mongo.db!.admin().command({ ping: 1 });
      return 'ping ok';
    }),
    part(async () => {
      const info = await deps.temporal.workflowService.getSystemInfo({});
      return `server ${info.serverVersion || 'up'}`;
    }),
    part(async () => {
      const res = await deps.temporal.workflowService.describeTaskQueue({
        namespace: deps.namespace,
        taskQueue: { name: deps.taskQueue },
        taskQueueType: 1, // workflow task queue
      });
      const pollers = res.pollers?.length ?? 0;
      if (pollers === 0) throw new Error(`no worker polling task queue "${deps.taskQueue}"`);
      return `${pollers} poller(s) on "${deps.taskQueue}"`;
    }),
  ]);
  return { ok: mongo.ok && temporal.ok && worker.ok, mongo, temporal, worker };
}
