import { Connection } from '@temporalio/client';
import { testClient, testDataConverter } from '../testing/temporal.ts';
import { NativeConnection, Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import type { Connection as MongoConnection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createActivities } from '../activities/index.ts';
import { testActivityDeps } from '../testing/activity-deps.ts';
import { workerOptions } from '../infra/worker-options.ts';
import { connectTestDb, dropTestDb } from '../testing/mongo.ts';
import { createTimeSkippingEnv } from '../testing/time-skipping.ts';
import { healthProbeWorkflow, timerWorkflow } from './probes.ts';
import type { TestWorkflowEnvironment } from '@temporalio/testing';

const DAY = 24 * 60 * 60 * 1000;

describe('time-skipping test server', () => {
  let env: TestWorkflowEnvironment;
  let mongo: MongoConnection;
  beforeAll(async () => {
    [env, mongo] = await Promise.all([createTimeSkippingEnv(), connectTestDb('probe')]);
  });
  afterAll(async () => {
    await env?.teardown();
    if (mongo) await dropTestDb(mongo);
  });

  it('completes a workflow with a 7-day timer in seconds of wall time', async () => {
    const taskQueue = `tq-${randomUUID()}`;
    const worker = await Worker.create(
      workerOptions({
        connection: env.nativeConnection,
        namespace: env.namespace ?? 'default',
        taskQueue,
        activities: createActivities(await testActivityDeps(mongo)),
        workflowBundlePath: inject('workflowBundlePath'),
        dataConverter: testDataConverter,
      }),
    );
    const result = await worker.runUntil(env.client.workflow.execute(timerWorkflow, { args: [7 * DAY], workflowId: `timer-${randomUUID()}`, taskQueue }));
    // The workflow's own clock moved a full week, and the test finished within its timeout: the week was skipped, not waited.
    expect(result.firedAt - result.startedAt).toBeGreaterThanOrEqual(7 * DAY);
  });
});

describe('Temporal dev server', () => {
  let connection: Connection;
  let native: NativeConnection;
  let mongo: MongoConnection;
  beforeAll(async () => {
    [connection, native, mongo] = await Promise.all([
      Connection.connect({ address: inject('temporalAddress') }),
      NativeConnection.connect({ address: inject('temporalAddress') }),
      connectTestDb('probe'),
    ]);
  });
  afterAll(async () => {
    await connection?.close();
    await native?.close();
    if (mongo) await dropTestDb(mongo);
  });

  it('runs a workflow through an activity and returns its history to the client', async () => {
    const taskQueue = `tq-${randomUUID()}`;
    const client = testClient(connection);
    const worker = await Worker.create(
      workerOptions({
        connection: native,
        namespace: 'default',
        taskQueue,
        activities: createActivities(await testActivityDeps(mongo)),
        workflowBundlePath: inject('workflowBundlePath'),
        dataConverter: testDataConverter,
      }),
    );
    const workflowId = `health-${randomUUID()}`;
    const result = await worker.runUntil(client.workflow.execute(healthProbeWorkflow, { workflowId, taskQueue }));
    expect(result).toEqual({ mongo: true });

    const history = await client.workflow.getHandle(workflowId).fetchHistory();
    const types = (history.events ?? []).map((e) => String(e.eventType));
    expect(types[0]).toMatch(/WORKFLOW_EXECUTION_STARTED|^1$/);
    expect(history.events?.some((e) => e.activityTaskCompletedEventAttributes)).toBe(true);
    expect(history.events?.at(-1)?.workflowExecutionCompletedEventAttributes).toBeTruthy();
  });
});
