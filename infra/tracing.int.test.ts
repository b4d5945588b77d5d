// One lead's trace, end to end, through the real pieces in one process: the
// HTTP intake handler (server span), the workflow start (client interceptor),
// the workflow (sandbox spans handed out by the sink), its activities (worker
// interceptor) and the delivery HTTP call, whose traceparent the receiver gets.
import { Client, Connection } from '@temporalio/client';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry';
import { NativeConnection, Worker } from '@temporalio/worker';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createActivities } from '../activities/index.ts';
import { createApp } from '../api/server.ts';
import { leadStore } from '../db/lead-store.ts';
import { createPiiCodec, DEV_PII_KEY } from './pii.ts';
import { startTracing, type Tracing } from './tracing.ts';
import { workerOptions } from './worker-options.ts';
import { apiKeys } from '../services/api-keys.ts';
import { authService } from '../services/auth.ts';
import { testActivityDeps } from '../testing/activity-deps.ts';
import { publishConfig } from '../testing/config.ts';
import { startHttpReceiver, type HttpReceiver } from '../testing/http-receiver.ts';
import { leadTestNetwork, testLead } from '../testing/lead-network.ts';
import { connectTestDb, dropTestDb } from '../testing/mongo.ts';
import { testDataConverter } from '../testing/temporal.ts';

const exporter = new InMemorySpanExporter();
let tracing: Tracing;
let receiver: HttpReceiver;
let mongo: Awaited<ReturnType<typeof connectTestDb>>;
let native: NativeConnection;
let connection: Connection;
let worker: Worker;
let running: Promise<void>;
let server: Server;
let leadId: string;
let spans: ReadableSpan[];

beforeAll(async () => {
  tracing = startTracing({ serviceName: 'switchyard-test', processors: [new SimpleSpanProcessor(exporter)] });
  receiver = await startHttpReceiver();
  mongo = await connectTestDb('trace');
  const network = leadTestNetwork({ ok: receiver.url, flaky: receiver.url, refusing: receiver.url }, Date.now());
  // A two-second return window: the workflow ends (and its own span with it) while the test waits.
  const sources = network.sources ?? [];
  network.sources = [...sources, { ...sources.find((s) => s.id === 'strict')!, id: 'quick', name: 'Quick', returnWindowSec: 2 }];
  await publishConfig(mongo, network);
  const key = (await apiKeys(mongo).issue('acme', 'quick', 'test')).key;

  const taskQueue = `trace-${randomUUID()}`;
  native = await NativeConnection.connect({ address: inject('temporalAddress') });
  worker = await Worker.create(
    workerOptions({
      connection: native,
      namespace: 'default',
      taskQueue,
      activities: createActivities(await testActivityDeps(mongo)),
      // No prebuilt bundle: a traced worker bundles itself with the tracing interceptors (the shared bundle has none).
      dataConverter: testDataConverter,
      tracing,
    }),
  );
  running = worker.run();
  connection = await Connection.connect({ address: inject('temporalAddress') });
  const temporal = new Client({
    connection,
    namespace: 'default',
    dataConverter: testDataConverter,
    interceptors: { workflow: [new OpenTelemetryWorkflowClientInterceptor()] },
  });
  const app = createApp(
    {
      mongo,
      temporal,
      namespace: 'default',
      taskQueue,
      auth: authService(mongo, { jwtSecret: 'trace-test-secret-trace-test-secret-0000', tokenTtlSec: 60 }),
      pii: createPiiCodec(DEV_PII_KEY),
    },
    { nodeEnv: 'test' },
  );
  server = app.listen(0);
  await new Promise<void>((r) => server.once('listening', () => r()));
  const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/intake`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': key },
    body: JSON.stringify(testLead()),
  });
  expect(res.status).toBe(201);
  leadId = ((await res.json()) as { leadId: string }).leadId;

  const leads = leadStore(mongo);
  for (const until = Date.now() + 60_000; ;) {
    const s = await leads.get(leadId);
    if (s?.billing === 'final') break;
    if (Date.now() > until) throw new Error(`lead ${leadId} did not finish: ${JSON.stringify(s)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  await temporal.workflow.getHandle(`lead:acme:${leadId}`).result();
  await tracing.spanProcessor.forceFlush();
  spans = exporter.getFinishedSpans();
}, 120_000);

afterAll(async () => {
  worker?.shutdown();
  await running?.catch(() => undefined);
  await native?.close();
  await connection?.close();
  await new Promise((r) => server?.close(r));
  await receiver?.close();
  await tracing?.shutdown();
  if (mongo) await dropTestDb(mongo);
});

describe('one lead, one trace', () => {
  it('spans intake, the workflow start, the workflow, its activities and the delivery call under one trace id', () => {
    const byName = (name: string) => spans.filter((s) => s.name === name);
    const intake = byName('POST /intake');
    expect(intake).toHaveLength(1);
    const traceId = intake[0]!.spanContext().traceId;
    const inTrace = spans.filter((s) => s.spanContext().traceId === traceId).map((s) => s.name);
    expect(inTrace).toEqual(
      expect.arrayContaining([
        'POST /intake',
        'StartWorkflow:leadWorkflow',
        'RunWorkflow:leadWorkflow',
        'StartActivity:receiveLead',
        'RunActivity:receiveLead',
        'StartActivity:routeLead',
        'RunActivity:routeLead',
        'StartActivity:deliverLead',
        'RunActivity:deliverLead',
        'RunActivity:recordEvents',
        'delivery POST',
      ]),
    );
    // Every span of this lead's workflow is in that trace: nothing started a second one.
    const workflowSpans = spans.filter((s) => s.attributes.workflowId === `lead:acme:${leadId}` || s.name.startsWith('RunActivity:'));
    expect(workflowSpans.length).toBeGreaterThan(5);
    expect(new Set(workflowSpans.map((s) => s.spanContext().traceId))).toEqual(new Set([traceId]));
  });

  it('nests them: the delivery call under its activity, the activity under the workflow, the workflow under the start, the start under intake', () => {
    const one = (name: string) => {
      const found = spans.filter((s) => s.name === name);
      expect(found, name).toHaveLength(1);
      return found[0]!;
    };
    const parentOf = (s: ReadableSpan) => s.parentSpanId;
    const idOf = (s: ReadableSpan) => s.spanContext().spanId;
    expect(parentOf(one('StartWorkflow:leadWorkflow'))).toBe(idOf(one('POST /intake')));
    expect(parentOf(one('RunWorkflow:leadWorkflow'))).toBe(idOf(one('StartWorkflow:leadWorkflow')));
    expect(parentOf(one('StartActivity:deliverLead'))).toBe(idOf(one('RunWorkflow:leadWorkflow')));
    expect(parentOf(one('RunActivity:deliverLead'))).toBe(idOf(one('StartActivity:deliverLead')));
    expect(parentOf(one('delivery POST'))).toBe(idOf(one('RunActivity:deliverLead')));
    expect(one('delivery POST').attributes).toMatchObject({ 'http.request.method': 'POST', 'server.address': '127.0.0.1', 'http.response.status_code': 200 });
  });

  it('sends the receiver a W3C traceparent of that trace, naming the delivery span', () => {
    const delivery = spans.find((s) => s.name === 'delivery POST')!;
    expect(receiver.requests).toHaveLength(1);
    const header = receiver.requests[0]!.headers.traceparent;
    expect(header).toBe(`00-${delivery.spanContext().traceId}-${delivery.spanContext().spanId}-01`);
  });
});
