import type { Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leadStore } from '../db/lead-store.ts';
import { notificationStore } from '../db/notification-store.ts';
import type { LeadEventBody } from '../domain/lifecycle/lead-events.ts';
import { eventStream } from '../domain/lifecycle/test-events.ts';
import { connectTestDb, dropTestDb } from '../testing/mongo.ts';
import { openOffers, OFFER_SETTLE_MS } from './open-offers.ts';

describe('open offers from the agent’s inbox', () => {
  let mongo: Connection;
  const now = Date.now();
  beforeAll(async () => {
    mongo = await connectTestDb('offers');
  });
  afterAll(async () => {
    if (mongo) await dropTestDb(mongo);
  });

  const lead = async (leadId: string, tenantId: string, ...bodies: LeadEventBody[]) => {
    const ev = eventStream(leadId, tenantId, now - 60_000);
    await leadStore(mongo).append([ev({ type: 'received', data: { sourceId: 'web', serviceLine: 'plumbing', costCents: 100 } }), ...bodies.map((b) => ev(b))]);
  };
  const offered = (round = 1, endpointIds = ['a1'], deadlineAt = now + 600_000): LeadEventBody => ({
    type: 'offered',
    data: { endpointIds, deadlineAt, round },
  });
  const offer = (leadId: string, at: number, extra: { deadlineAt?: number; round?: number } = {}) =>
    notificationStore(mongo).send('t1', ['a1'], { leadId, kind: 'offered', message: 'offer', at, ...extra }, `offered:${extra.round ?? 1}`);

  it('lists offers still waiting for this endpoint, and none that are claimed, past their deadline, another tenant’s or gone', async () => {
    await lead('open-1', 't1', offered());
    await lead('claimed-1', 't1', offered(), { type: 'claimed', data: { endpointId: 'a2', implicit: false } });
    // Still "offered" in the read model, but its deadline (as the notification says) has passed.
    await lead('expired-1', 't1', offered(1, ['a1'], now - 1000));
    await lead('other-tenant', 't2', offered());
    await offer('open-1', now - 5000, { deadlineAt: now + 600_000, round: 1 });
    await offer('claimed-1', now - 4000, { deadlineAt: now + 600_000, round: 1 });
    await offer('expired-1', now - 3000, { deadlineAt: now - 1000, round: 1 });
    await offer('other-tenant', now - 2000);
    await offer('never-existed', now - 2 * OFFER_SETTLE_MS);
    const list = await openOffers(mongo).list('t1', 'a1', now);
    expect(list.map((o) => [o.leadId, o.round, o.deadlineAt])).toEqual([['open-1', 1, now + 600_000]]);
  });

  it('a watcher returns each new offer once, waiting for the read model when the notification is ahead of it', async () => {
    const watch = openOffers(mongo).watcher('t1', 'a1');
    expect((await watch(now)).map((o) => o.leadId)).toEqual(['open-1']);
    expect(await watch(now)).toEqual([]);
    await offer('late-1', now, { deadlineAt: now + 600_000, round: 1 });
    expect(await watch(now)).toEqual([]);
    await lead('late-1', 't1', offered());
    expect((await watch(now)).map((o) => o.leadId)).toEqual(['late-1']);
    expect(await watch(now)).toEqual([]);
  });
});
