import { Connection } from '@temporalio/client';
import { testClient, testDataConverter } from '../testing/temporal.ts';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import type { Connection as MongoConnection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createActivities } from '../activities/index.ts';
import { createPiiCodec, DEV_PII_KEY } from '../infra/pii.ts';
import { testActivityDeps } from '../testing/activity-deps.ts';
import { workerOptions } from '../infra/worker-options.ts';
import { authService } from '../services/auth.ts';
import { seedDemo } from '../scripts/seed-demo.ts';
import { connectTestDb, dropTestDb } from '../testing/mongo.ts';
import { createApp } from './server.ts';

describe('API process', () => {
  let mongo: MongoConnection;
  let connection: Connection;
  let native: NativeConnection;
  let worker: Worker;
  let running: Promise<void>;
  let server: Server;
  let base: string;
  let token: string;
  const taskQueue = `tq-${randomUUID()}`;

  beforeAll(async () => {
    [mongo, connection, native] = await Promise.all([
      connectTestDb('api'),
      Connection.connect({ address: inject('temporalAddress') }),
      NativeConnection.connect({ address: inject('temporalAddress') }),
    ]);
    worker = await Worker.create(
      workerOptions({
        connection: native,
        namespace: 'default',
        taskQueue,
        activities: createActivities(await testActivityDeps(mongo)),
        workflowBundlePath: inject('workflowBundlePath'),
        dataConverter: testDataConverter,
      }),
    );
    running = worker.run();
    await seedDemo(mongo);
    const auth = authService(mongo, { jwtSecret: 'server-test-secret-server-test-secret-0123', tokenTtlSec: 600 });
    await auth.createUser({ tenantId: 'demo', email: 'admin@demo.test', name: 'Admin', role: 'admin', password: 'demo admin password' });
    const signed = await auth.signIn('demo', 'admin@demo.test', 'demo admin password');
    token = signed.ok ? signed.token : '';
    const app = createApp(
      { mongo, temporal: testClient(connection), namespace: 'default', taskQueue, auth, pii: createPiiCodec(DEV_PII_KEY) },
      { nodeEnv: 'test', onInternalError: (err) => console.error('internal error', err) },
    );
    server = app.listen(0);
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server?.close();
    worker?.shutdown();
    await running;
    await connection?.close();
    await native?.close();
    if (mongo) await dropTestDb(mongo);
  });

  async function gql(query: string, bearer?: string) {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/graphql-response+json' };
    if (bearer) headers.authorization = `Bearer ${bearer}`;
    const res = await fetch(`${base}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query }) });
    return { status: res.status, body: (await res.json()) as { data?: any; errors?: Array<{ message: string }> } };
  }

  it('reports each part on /health once a worker polls the task queue', async () => {
    // The worker's first poll can take a moment to be registered by the server.
    let body: any;
    for (let i = 0; i < 50; i++) {
      const res = await fetch(`${base}/health`);
      body = await res.json();
      if (res.status === 200) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(body).toMatchObject({ ok: true, mongo: { ok: true }, temporal: { ok: true }, worker: { ok: true } });
  });

  it('answers a signed-in admin with the demo tenant and the stack health', async () => {
    const { status, body } = await gql('{ tenant { id name } health { mongo { ok } } }', token);
    expect(status).toBe(200);
    expect(body.data).toEqual({ tenant: { id: 'demo', name: 'Demo Home Services' }, health: { mongo: { ok: true } } });
  });

  it('refuses an anonymous caller with UNAUTHENTICATED', async () => {
    const { body } = await gql('{ tenant { id } }');
    expect(body.errors?.[0]).toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
  });

  it('rejects an invalid query with a specific GraphQL error, not a crash', async () => {
    const { status, body } = await gql('{ tenant { nope } }', token);
    expect(status).toBe(400);
    expect(body.errors?.[0]?.message).toMatch(/Cannot query field "nope" on type "Tenant"/);
  });
});
