// Task queues partitioned per tenant: the API (TENANT_TASK_QUEUES=acme)
// starts acme's leads on acme's queue, a worker started with
// WORKER_TENANTS=acme polls only that queue, and a default worker polls the
// shared one. The workflow histories say which worker ran every task.
import { Connection } from '@temporalio/client';
import type { Connection as MongoConnection } from 'mongoose';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { leadStore } from '../db/lead-store.ts';
import { apiKeys } from '../services/api-keys.ts';
import { publishConfig } from '../testing/config.ts';
import { startHttpReceiver, type HttpReceiver } from '../testing/http-receiver.ts';
import { leadTestNetwork, testLead } from '../testing/lead-network.ts';
import { connectTestDb, dropTestDb } from '../testing/mongo.ts';
import { startApiProcess, startWorkerProcess, type AppProcess } from '../testing/processes.ts';
import { testClient } from '../testing/temporal.ts';

let mongo: MongoConnection;
let receiver: HttpReceiver;
let connection: Connection;
let api: AppProcess & { url: string };
let acmeWorker: AppProcess & { metricsPort: number };
let sharedWorker: AppProcess & { metricsPort: number };
const prefix = `part-${randomUUID().slice(0, 8)}-`;
const shared = `shared-${randomUUID().slice(0, 8)}`;
const leads: Record<'acme' | 'globex', string[]> = { acme: [], globex: [] };

interface Ran {
  taskQueue: string;
  identities: Set<string>;
}
const ran = new Map<string, Ran>();

beforeAll(async () => {
  mongo = await connectTestDb('part');
  receiver = await startHttpReceiver();
  const urls = { ok: receiver.url, flaky: receiver.url, refusing: receiver.url };
  const acme = leadTestNetwork(urls, Date.now());
  await publishConfig(mongo, acme);
  await publishConfig(mongo, { ...leadTestNetwork(urls, Date.now()), tenant: { ...acme.tenant, id: 'globex', name: 'Globex' } });
  const keys = { acme: (await apiKeys(mongo).issue('acme', 'strict', 'test')).key, globex: (await apiKeys(mongo).issue('globex', 'strict', 'test')).key };
  const env = {
    MONGODB_URI: `${inject('mongoUri')}${mongo.name}`,
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    WORKFLOW_BUNDLE_PATH: inject('workflowBundlePath'),
    TEMPORAL_TASK_QUEUE: shared,
    TEMPORAL_TASK_QUEUE_PREFIX: prefix,
    TENANT_TASK_QUEUES: 'acme',
  };
  [api, acmeWorker, sharedWorker] = await Promise.all([
    startApiProcess('api', env),
    startWorkerProcess('acme-worker', { ...env, WORKER_TENANTS: 'acme' }),
    startWorkerProcess('shared-worker', env),
  ]);

  for (let i = 0; i < 4; i++) {
    for (const tenant of ['acme', 'globex'] as const) {
      const res = await fetch(`${api.url}/intake`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': keys[tenant] },
        body: JSON.stringify(testLead()),
      });
      expect(res.status).toBe(201);
      leads[tenant].push(((await res.json()) as { leadId: string }).leadId);
    }
  }
  const store = leadStore(mongo);
  for (const id of [...leads.acme, ...leads.globex]) {
    for (const until = Date.now() + 60_000; !(await store.get(id))?.deliveredAt;) {
      if (Date.now() > until) throw new Error(`lead ${id} was not delivered`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  connection = await Connection.connect({ address: inject('temporalAddress') });
  const client = testClient(connection);
  for (const tenant of ['acme', 'globex'] as const) {
    for (const id of leads[tenant]) {
      const handle = client.workflow.getHandle(`lead:${tenant}:${id}`);
      const { taskQueue } = await handle.describe();
      const history = await handle.fetchHistory();
      const identities = new Set(
        (history.events ?? [])
          .flatMap((e) => [
            e.workflowTaskStartedEventAttributes?.identity,
            e.workflowTaskCompletedEventAttributes?.identity,
            e.activityTaskStartedEventAttributes?.identity,
          ])
          .filter((x): x is string => !!x),
      );
      ran.set(id, { taskQueue, identities });
    }
  }
}, 240_000);

afterAll(async () => {
  for (const p of [api, acmeWorker, sharedWorker]) if (p && !p.exited()) await p.stop('SIGTERM');
  await connection?.close();
  await receiver?.close();
  if (mongo) await dropTestDb(mongo);
});

const identityOf = (p: AppProcess) => `${p.proc.pid}@${hostname()}`;

describe('task queues partitioned per tenant', () => {
  it("starts a partitioned tenant's leads on its own queue and everyone else's on the shared one", () => {
    for (const id of leads.acme) expect(ran.get(id)?.taskQueue).toBe(`${prefix}acme`);
    for (const id of leads.globex) expect(ran.get(id)?.taskQueue).toBe(shared);
  });

  it("runs the partitioned tenant's leads only on the worker polling its queue, and the others never there", () => {
    for (const id of leads.acme) expect([...ran.get(id)!.identities]).toEqual([identityOf(acmeWorker)]);
    for (const id of leads.globex) expect([...ran.get(id)!.identities]).toEqual([identityOf(sharedWorker)]);
    const started = (p: AppProcess) => p.json().find((l) => l.msg === 'worker started');
    expect(started(acmeWorker)).toMatchObject({ taskQueues: [`${prefix}acme`], tenants: ['acme'] });
    expect(started(sharedWorker)).toMatchObject({ taskQueues: [shared], tenants: [] });
    const delivered = (p: AppProcess) =>
      new Set(
        p
          .json()
          .filter((l) => l.msg === 'lead delivered')
          .map((l) => l.tenantId),
      );
    expect(delivered(acmeWorker)).toEqual(new Set(['acme']));
    expect(delivered(sharedWorker)).toEqual(new Set(['globex']));
  });
});
