// No lead is lost across a rolling restart: two worker processes on one task
// queue, leads posted continuously, one worker SIGTERMed while deliveries are
// in flight and a replacement started, then the other. Every lead must reach
// its settled state (delivered to its owner, or offered to an agent), and no
// receiver may get a lead twice as two leads (one idempotency key per lead).
import { Connection } from '@temporalio/client';
import type { Connection as MongoConnection } from 'mongoose';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { leadStore } from '../db/lead-store.ts';
import type { LeadState } from '../domain/lifecycle/lead-state.ts';
import type { TenantConfigDocument } from '../schema/tenant-config.ts';
import { submitLead } from '../services/intake.ts';
import { publishConfig } from '../testing/config.ts';
import { startHttpReceiver, type HttpReceiver } from '../testing/http-receiver.ts';
import { leadTestNetwork, testLead } from '../testing/lead-network.ts';
import { connectTestDb, dropTestDb } from '../testing/mongo.ts';
import { startWorkerProcess, type AppProcess } from '../testing/processes.ts';
import { testClient } from '../testing/temporal.ts';

const GRACE_MS = 20_000;
// What running out of grace time leaves in a worker's log: activities cancelled
// for the shutdown, the SDK's forced stop, the process's own hard limit.
const CUT_SHORT = /WORKER_SHUTDOWN|GracefulShutdownPeriodExpired|did not shut down cleanly|shutdown overran/;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let mongo: MongoConnection;
let receiver: HttpReceiver;
let connection: Connection;
const workers: Array<AppProcess & { metricsPort: number }> = [];
const posted: Array<{ leadId: string; sourceId: 'strict' | 'desk'; at: number }> = [];
const stops: Array<{ name: string; code: number | null; cutShort: string[]; deliveredWhileDraining: number }> = [];
let unsettled: string[] = [];
let states: Map<string, LeadState>;

beforeAll(async () => {
  mongo = await connectTestDb('roll');
  receiver = await startHttpReceiver({ delayMs: 200 });
  const { document } = await publishConfig(mongo, leadTestNetwork({ ok: receiver.url, flaky: receiver.url, refusing: receiver.url }, Date.now()));
  connection = await Connection.connect({ address: inject('temporalAddress') });
  const temporal = testClient(connection);
  const taskQueue = `roll-${randomUUID()}`;
  const env = {
    MONGODB_URI: `${inject('mongoUri')}${mongo.name}`,
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    TEMPORAL_TASK_QUEUE: taskQueue,
    WORKFLOW_BUNDLE_PATH: inject('workflowBundlePath'),
    SHUTDOWN_GRACE_MS: String(GRACE_MS),
  };
  const contract = (doc: TenantConfigDocument, id: string) => {
    const s = doc.sources.find((x) => x.id === id)!;
    return { fieldMapping: s.fieldMapping, requiredFields: s.requiredFields, ...(s.defaultServiceLine ? { defaultServiceLine: s.defaultServiceLine } : {}) };
  };
  const post = async (sourceId: 'strict' | 'desk') => {
    const r = await submitLead(
      { mongo, temporal, taskQueue },
      { tenantId: 'acme', sourceId, contract: contract(document, sourceId), payload: testLead(), receivedAt: Date.now() },
    );
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    posted.push({ leadId: r.leadId, sourceId, at: Date.now() });
  };

  // Leads flow the whole time, alternating a location (delivered over HTTP) and the agent desk (offered).
  let flowing = true;
  const flow = (async () => {
    for (let i = 0; flowing; i++) {
      await post(i % 2 === 0 ? 'strict' : 'desk');
      await sleep(150);
    }
  })();
  const rollOne = async (old: AppProcess & { metricsPort: number }, name: string) => {
    // A burst of slow deliveries, so the worker going down has some in flight.
    receiver.setDelay(1500);
    await Promise.all(Array.from({ length: 6 }, () => post('strict')));
    await sleep(400);
    const [exit, replacement] = await Promise.all([old.stop('SIGTERM'), startWorkerProcess(name, env)]);
    receiver.setDelay(200);
    const lines = old.json();
    const stopping = lines.findIndex((l) => l.msg === 'Worker state changed' && l.state === 'STOPPING');
    stops.push({
      name: old.name,
      code: exit.code,
      cutShort: old.lines.filter((l) => CUT_SHORT.test(l)),
      deliveredWhileDraining: lines.slice(stopping).filter((l) => l.msg === 'lead delivered').length,
    });
    workers.push(replacement);
  };

  workers.push(...(await Promise.all([startWorkerProcess('w1', env), startWorkerProcess('w2', env)])));
  try {
    await sleep(2000);
    await rollOne(workers[0]!, 'w3');
    await sleep(2000);
    await rollOne(workers[1]!, 'w4');
    await sleep(2000);
  } finally {
    flowing = false;
    await flow;
  }

  const leads = leadStore(mongo);
  const settled = (p: (typeof posted)[number], s: LeadState | undefined) =>
    p.sourceId === 'strict' ? s?.ownerEndpointId === 'dallas' && s.deliveredAt !== undefined : s?.status === 'offered' && s.offeredTo.length === 1;
  states = new Map();
  const settleStart = Date.now();
  for (const until = Date.now() + 180_000; ;) {
    for (const p of posted)
      if (!states.has(p.leadId) || !settled(p, states.get(p.leadId))) {
        const s = await leads.get(p.leadId);
        if (s) states.set(p.leadId, s);
      }
    unsettled = posted.filter((p) => !settled(p, states.get(p.leadId))).map((p) => p.leadId);
    if (unsettled.length === 0 || Date.now() > until) break;
    await sleep(500);
  }
  console.log(`[rolling restart] settled ${posted.length - unsettled.length}/${posted.length} within ${Date.now() - settleStart} ms after the flow stopped`);
}, 600_000);

afterAll(async () => {
  console.log(
    `[rolling restart] ${posted.length} leads posted; stops: ${stops.map((s) => `${s.name} exit ${s.code}, ${s.deliveredWhileDraining} delivered while draining`).join('; ')}; unsettled ${unsettled.length}`,
  );
  for (const w of workers) if (!w.exited()) await w.stop('SIGTERM');
  await connection?.close();
  await receiver?.close();
  if (mongo) await dropTestDb(mongo);
});

describe('rolling restart of the workers', () => {
  it('posted leads the whole time, through both restarts', () => {
    expect(posted.length).toBeGreaterThanOrEqual(40);
    expect(stops.map((s) => s.name)).toEqual(['w1', 'w2']);
  });

  it('drains each stopped worker within the grace time and exits cleanly, finishing work it had in flight', () => {
    for (const s of stops) {
      expect(s.code, s.name).toBe(0);
      // Within the grace time: nothing was cancelled or cut off for running past it.
      expect(s.cutShort, s.name).toEqual([]);
    }
    for (const w of workers.slice(0, 2)) expect(w.json().map((l) => l.msg)).toEqual(expect.arrayContaining(['worker drained', 'worker stopped']));
    // The bursts left deliveries in flight at SIGTERM; at least one finished on the worker that was going down.
    expect(stops.reduce((n, s) => n + s.deliveredWhileDraining, 0)).toBeGreaterThan(0);
  });

  it('settles every lead: delivered to its owner, or offered to one agent', () => {
    expect(unsettled).toEqual([]);
  });

  it('delivers every delivered lead to the receiver under exactly one idempotency key', () => {
    const keys = [...receiver.byIdempotencyKey().keys()];
    const strict = posted.filter((p) => p.sourceId === 'strict');
    for (const p of strict)
      expect(
        keys.filter((k) => k.includes(`:${p.leadId}:`)),
        p.leadId,
      ).toEqual([`lead:acme:${p.leadId}:dallas`]);
    expect(keys).toHaveLength(strict.length);
  });
});
