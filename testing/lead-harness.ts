import { type Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { testClient, testDataConverter } from './temporal.ts';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { randomUUID } from 'node:crypto';
import type { Connection as MongoConnection } from 'mongoose';
import { inject } from 'vitest';
import { createActivities, type ActivityDeps } from '../activities/index.ts';
import type { LeadWorkflowResult } from '../workflows/lead-workflow.ts';
import { leadStore } from '../db/lead-store.ts';
import type { Actor } from '../domain/lifecycle/actor.ts';
import type { LeadState } from '../domain/lifecycle/lead-state.ts';
import { workerOptions } from '../infra/worker-options.ts';
import type { TenantConfigInput } from '../schema/tenant-config.ts';
import { submitLead, type IntakeResult } from '../services/intake.ts';
import { leadStateQuery, leadWorkflowId } from '../workflows/definitions.ts';
import { testActivityDeps } from './activity-deps.ts';
import { publishConfig } from './config.ts';
import { connectTestDb, dropTestDb } from './mongo.ts';
import { createTimeSkippingEnv } from './time-skipping.ts';

export interface LeadHarness {
  mongo: MongoConnection;
  client: Client;
  taskQueue: string;
  tenantId: string;
  /** Time-skipping environment, when the harness runs on it. */
  env?: TestWorkflowEnvironment;
  submit(sourceId: string, payload: Record<string, unknown>, receivedAt?: number): Promise<IntakeResult>;
  handle(leadId: string): WorkflowHandle;
  state(leadId: string): Promise<LeadState | undefined>;
  /** Polls the workflow's live state until `check` holds (real time; time skipping stays locked meanwhile). */
  waitFor(leadId: string, check: (s: LeadState) => boolean, timeoutMs?: number): Promise<LeadState>;
  result(leadId: string): Promise<LeadWorkflowResult>;
  readModel(leadId: string): Promise<LeadState | undefined>;
  actor(role: Actor['role'], extra?: Partial<Actor>): Actor;
  now(): Promise<number>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  kind: 'time-skipping' | 'dev-server';
  config: TenantConfigInput;
  deps?: Partial<ActivityDeps> & { secretValues?: Record<string, string> };
}

/**
 * A worker with every real activity over a fresh test database, on either the
 * time-skipping test server or the shared dev server, with the tenant's
 * configuration published. Leads enter through the real intake service.
 */
export async function startLeadHarness(opts: HarnessOptions): Promise<LeadHarness> {
  const taskQueue = `leads-${randomUUID()}`;
  const mongo = await connectTestDb('lead');
  let env: TestWorkflowEnvironment | undefined;
  let client: Client;
  let native: NativeConnection;
  let plain: Connection | undefined;
  if (opts.kind === 'time-skipping') {
    env = await createTimeSkippingEnv();
    client = env.client;
    native = env.nativeConnection;
  } else {
    plain = await Connection.connect({ address: inject('temporalAddress') });
    client = testClient(plain);
    native = await NativeConnection.connect({ address: inject('temporalAddress') });
  }
  const { document } = await publishConfig(mongo, opts.config);
  const tenantId = document.tenant.id;
  const worker = await Worker.create(
    workerOptions({
      connection: native,
      namespace: 'default',
      taskQueue,
      activities: createActivities(await testActivityDeps(mongo, opts.deps)),
      workflowBundlePath: inject('workflowBundlePath'),
      dataConverter: testDataConverter,
    }),
  );
  const running = worker.run();
  const leads = leadStore(mongo);
  const handle = (leadId: string) => client.workflow.getHandle(leadWorkflowId(tenantId, leadId));

  const h: LeadHarness = {
    mongo,
    client,
    taskQueue,
    tenantId,
    ...(env ? { env } : {}),
    async submit(sourceId, payload, receivedAt) {
      const source = document.sources.find((s) => s.id === sourceId);
      if (!source) throw new Error(`no source ${sourceId} in the test configuration`);
      return submitLead(
        { mongo, temporal: client, taskQueue },
        {
          tenantId,
          sourceId,
          contract: {
            fieldMapping: source.fieldMapping,
            requiredFields: source.requiredFields,
            ...(source.defaultServiceLine ? { defaultServiceLine: source.defaultServiceLine } : {}),
          },
          payload,
          receivedAt: receivedAt ?? (env ? await env.currentTimeMs() : Date.now()),
        },
      );
    },
    handle,
    state: (leadId) => handle(leadId).query(leadStateQuery),
    async waitFor(leadId, check, timeoutMs = 90_000) {
      const until = Date.now() + timeoutMs;
      let last: LeadState | undefined;
      for (;;) {
        try {
          last = await handle(leadId).query(leadStateQuery);
        } catch {
          last = undefined; // not started or not yet processed its first task
        }
        if (last && check(last)) return last;
        if (Date.now() > until) throw new Error(`lead ${leadId} did not reach the expected state; last: ${JSON.stringify(last)}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    result: (leadId) => handle(leadId).result() as Promise<LeadWorkflowResult>,
    readModel: (leadId) => leads.get(leadId),
    actor: (role, extra = {}) => ({ userId: `${role}-user`, role, tenantId, ...extra }),
    now: async () => (env ? env.currentTimeMs() : Date.now()),
    async close() {
      worker.shutdown();
      await running.catch(() => undefined);
      if (env) await env.teardown();
      else {
        await native.close();
        await plain?.close();
      }
      await dropTestDb(mongo);
    },
  };
  return h;
}
