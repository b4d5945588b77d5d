import { type Client, Connection } from '@temporalio/client';
import { testClient } from './temporal.ts';
import { randomUUID } from 'node:crypto';
import type { Connection as MongoConnection } from 'mongoose';
import { inject } from 'vitest';
import type { AppOptions } from '../api/server.ts';
import { configStore } from '../db/config-store.ts';
import { leadContactStore } from '../db/lead-contact-store.ts';
import type { LeadInput } from '../domain/intake/lead-input.ts';
import { leadStore } from '../db/lead-store.ts';
import { projectReportFacts } from '../db/report-store.ts';
import { notificationStore } from '../db/notification-store.ts';
import { apiKeyModel } from '../db/models/api-key.ts';
import { configVersionModel } from '../db/models/config-version.ts';
import { intakeKeyModel } from '../db/models/intake-key.ts';
import { leadModel } from '../db/models/lead.ts';
import { leadEventModel } from '../db/models/lead-event.ts';
import { tenantModel } from '../db/models/tenant.ts';
import { userModel } from '../db/models/user.ts';
import { validateConfigDocument } from '../domain/config-import.ts';
import type { Role } from '../domain/lifecycle/actor.ts';
import type { LeadEventBody } from '../domain/lifecycle/lead-events.ts';
import { eventStream } from '../domain/lifecycle/test-events.ts';
import { createPiiCodec, DEV_PII_KEY } from '../infra/pii.ts';
import type { TenantConfigDocument } from '../schema/tenant-config.ts';
import { apiKeys } from '../services/api-keys.ts';
import { authService } from '../services/auth.ts';
import { connectTestDb, dropTestDb } from './mongo.ts';
import { serveTestApp, type GqlCall } from './serve-app.ts';
import { DEV_PLATFORM_TOKEN } from '../infra/env.ts';

/** The SMS provider's auth token the test API checks inbound-message signatures with. */
export const TEST_SMS_AUTH_TOKEN = 'test-sms-auth-token-0123456789';

export type { GqlResponse } from './serve-app.ts';

export const TEST_JWT_SECRET = 'api-test-secret-api-test-secret-0123456789';
export const PASSWORD = 'correct horse battery staple';
export const ROLES_UNDER_TEST: Role[] = ['admin', 'ops', 'manager', 'agent', 'vendor', 'buyer'];

/** A small tenant: two sources, two agents, a buyer, a location with a ZIP, a default plan. */
export function testConfig(tenantId: string): unknown {
  return {
    tenant: { id: tenantId, name: `Tenant ${tenantId}` },
    sources: [
      {
        id: 'src-1',
        name: 'Vendor One',
        costBasis: { kind: 'per_lead', amountCents: 2500 },
        fieldMapping: { phone_number: 'phone', postal: 'zip', ref: 'externalId', first: 'firstName' },
        requiredFields: ['phone', 'zip'],
        defaultServiceLine: 'plumbing',
        returnWindowSec: '48h',
      },
      { id: 'src-2', name: 'Vendor Two', costBasis: { kind: 'per_lead', amountCents: 1000 }, defaultServiceLine: 'hvac', returnWindowSec: '1h' },
      { id: 'src-paused', name: 'Paused', status: 'paused', costBasis: { kind: 'per_lead', amountCents: 1 }, defaultServiceLine: 'hvac' },
    ],
    endpoints: [
      { id: 'ag-1', name: 'Agent One', kind: 'agent' },
      { id: 'ag-2', name: 'Agent Two', kind: 'agent' },
      { id: 'buy-1', name: 'Buyer One', kind: 'buyer' },
      { id: 'loc-1', name: 'Dallas', kind: 'location', territories: [{ id: 'loc-1-core', kind: 'exclusive', zips: ['75201'] }] },
    ],
    rotations: [{ id: 'rot-1', name: 'Call center', members: ['ag-1', 'ag-2'] }],
    routingPlans: [{ id: 'default', isDefault: true, tiers: [{ name: 'exclusive', selector: { territoryKinds: ['exclusive'] } }] }],
  };
}

export interface SeededLead {
  leadId: string;
  tenantId: string;
}

export interface Harness {
  base: string;
  mongo: MongoConnection;
  temporal: Client;
  taskQueue: string;
  /** Bearer tokens by tenant and role. */
  tokens: Record<string, Record<Role, string>>;
  /** API keys by tenant, for src-1. */
  keys: Record<string, string>;
  leads: Record<string, string>;
  gql: GqlCall;
  close: () => Promise<void>;
}

const HOUR = 3600_000;

/**
 * Seeds tenant t1 (and t2, its mirror image) through the real stores: config
 * versions, users of every role, an API key, leads projected from events by
 * the real reducer, and sealed contacts.
 */
async function seed(mongo: MongoConnection, tenantId: string, now: number) {
  const doc = validateConfigDocument(testConfig(tenantId));
  if (!doc.ok) throw new Error(`test config invalid: ${JSON.stringify(doc.errors)}`);
  await tenantModel(mongo).create({ _id: tenantId, name: `Tenant ${tenantId}`, createdAt: new Date() });
  await configStore<TenantConfigDocument>(mongo).publish(tenantId, doc.value, 'seed', `seed of ${tenantId}`);

  // As the worker's store does: report facts follow the events.
  const store = leadStore(mongo, { afterAppend: (ids, events) => projectReportFacts(mongo, ids, { events }) });
  const contacts = leadContactStore(mongo, createPiiCodec(DEV_PII_KEY));
  const leads: Record<string, string> = {};
  const make = async (name: string, sourceId: string, bodies: LeadEventBody[], start: number, contact: LeadInput) => {
    const leadId = `${tenantId}-${name}`;
    const ev = eventStream(leadId, tenantId, start);
    await store.append([
      ev({ type: 'received', data: { sourceId, serviceLine: 'plumbing', costCents: 2500, market: { state: 'TX', zip: '75201' } } }),
      ...bodies.map((b) => ev(b, 60_000)),
    ]);
    await contacts.save({ tenantId, sourceId, leadId, receivedAt: start, lead: contact, phoneE164: '+12145550134' });
    leads[name] = leadId;
  };
  const contact: LeadInput = {
    serviceLine: 'plumbing',
    fields: { budget: '5000' },
    firstName: 'Ada',
    lastName: 'Lovelace',
    phone: '(214) 555-0134',
    email: 'ada@example.com',
    address: { street: '1200 Main Street', city: 'Dallas', state: 'TX', zip: '75201' },
    consent: { text: 'I agree to be contacted', timestamp: '2026-11-23T10:00:00Z', ip: '203.0.113.7' },
  };
  const accepted: LeadEventBody = { type: 'validated', data: { outcome: 'accepted', steps: [], flags: [] } };
  const routed = (ids: string[]): LeadEventBody => ({
    type: 'routed',
    data: { configVersion: 1, outcome: 'assigned', endpointIds: ids, summary: `went to ${ids.join(', ')}: exclusive holder` },
  });

  await make(
    'offered',
    'src-1',
    [accepted, routed(['ag-1']), { type: 'offered', data: { endpointIds: ['ag-1'], deadlineAt: now + HOUR, round: 1 } }],
    now - 5 * HOUR,
    contact,
  );
  // The worker's offerLead activity leaves this in the agent's inbox; offers are found through it.
  await notificationStore(mongo).send(
    tenantId,
    ['ag-1'],
    { leadId: leads.offered!, kind: 'offered', message: 'A new lead is offered to you.', at: now - 5 * HOUR + 200_000 },
    'offered:1',
  );
  await make('ownedAg2', 'src-1', [accepted, routed(['ag-2']), { type: 'claimed', data: { endpointId: 'ag-2', implicit: false } }], now - 4 * HOUR, contact);
  await make(
    'sharedView',
    'src-2',
    [
      accepted,
      routed(['ag-2']),
      { type: 'claimed', data: { endpointId: 'ag-2', implicit: false } },
      { type: 'shared', data: { userId: `${tenantId}:agent@test`, permission: 'view' } },
    ],
    now - 3.5 * HOUR,
    contact,
  );
  await make(
    'delivered',
    'src-1',
    [
      accepted,
      routed(['buy-1']),
      { type: 'delivered', data: { endpointId: 'buy-1', method: 'http_post', idempotencyKey: 'k1', priceCents: 4000 } },
      { type: 'assigned', data: { endpointId: 'buy-1', by: 'delivery' } },
    ],
    now - 3 * HOUR,
    contact,
  );
  await make(
    'returned',
    'src-1',
    [
      accepted,
      routed(['buy-1']),
      { type: 'delivered', data: { endpointId: 'buy-1', method: 'http_post', idempotencyKey: 'k2', priceCents: 4000 } },
      { type: 'return_accepted', data: { reason: 'wrong_number', creditCents: 2500 } },
    ],
    now - 2 * HOUR,
    contact,
  );
  await make('rejected', 'src-1', [{ type: 'rejected', data: { reason: 'dnc', detail: 'on the federal DNC list' } }], now - 1.5 * HOUR, contact);
  await make(
    'ownedAg1Src2',
    'src-2',
    [
      accepted,
      routed(['ag-1']),
      { type: 'delivered', data: { endpointId: 'ag-1', method: 'email', idempotencyKey: 'k3' } },
      { type: 'claimed', data: { endpointId: 'ag-1', implicit: false } },
    ],
    now - HOUR,
    contact,
  );
  // Delivered to the buyer from src-2 (a 1 h window) 2 h ago: its window has closed.
  await make(
    'deliveredClosed',
    'src-2',
    [accepted, routed(['buy-1']), { type: 'delivered', data: { endpointId: 'buy-1', method: 'http_post', idempotencyKey: 'k4' } }],
    now - 2.5 * HOUR,
    contact,
  );
  return leads;
}

export async function startApiHarness(options: Partial<AppOptions> = {}): Promise<Harness> {
  const mongo = await connectTestDb('api');
  await Promise.all([leadModel, leadEventModel, userModel, apiKeyModel, configVersionModel, intakeKeyModel].map((m) => m(mongo).createIndexes()));
  const connection = await Connection.connect({ address: inject('temporalAddress') });
  const temporal = testClient(connection);
  const taskQueue = `api-${randomUUID()}`;
  const auth = authService(mongo, { jwtSecret: TEST_JWT_SECRET, tokenTtlSec: 3600 });
  const now = Date.now();

  const tokens: Harness['tokens'] = {};
  const keys: Harness['keys'] = {};
  let leads: Record<string, string> = {};
  for (const tenantId of ['t1', 't2']) {
    const seeded = await seed(mongo, tenantId, now);
    if (tenantId === 't1') leads = seeded;
    tokens[tenantId] = {} as Record<Role, string>;
    for (const role of ROLES_UNDER_TEST) {
      const bind = role === 'agent' ? { endpointId: 'ag-1' } : role === 'buyer' ? { endpointId: 'buy-1' } : role === 'vendor' ? { sourceId: 'src-1' } : {};
      await auth.createUser({ tenantId, email: `${role}@test`, name: `${role} of ${tenantId}`, role, password: PASSWORD, ...bind });
      const signed = await auth.signIn(tenantId, `${role}@test`, PASSWORD);
      if (!signed.ok) throw new Error('seed sign-in failed');
      tokens[tenantId][role] = signed.token;
    }
    keys[tenantId] = (await apiKeys(mongo).issue(tenantId, 'src-1', 'seed')).key;
  }

  const served = await serveTestApp(
    {
      mongo,
      temporal,
      namespace: 'default',
      taskQueue,
      auth,
      pii: createPiiCodec(DEV_PII_KEY),
      platformToken: DEV_PLATFORM_TOKEN,
      smsAuthToken: TEST_SMS_AUTH_TOKEN,
    },
    options,
  );
  const { base, gql } = served;

  return {
    base,
    mongo,
    temporal,
    taskQueue,
    tokens,
    keys,
    leads,
    gql,
    close: async () => {
      await served.close();
      await connection.close();
      await dropTestDb(mongo);
    },
  };
}
