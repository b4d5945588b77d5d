import type { Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectTestDb, dropTestDb } from '../testing/mongo.ts';
import { reservationModel } from './models/reservation.ts';
import { slotStore, type SlotStore } from './slot-store.ts';

describe('slot store (unique-key reservations)', () => {
  let conn: Connection;
  let store: SlotStore;
  beforeAll(async () => {
    conn = await connectTestDb('slots');
    await reservationModel(conn).createIndexes();
    store = slotStore(conn);
  });
  afterAll(async () => {
    if (conn) await dropTestDb(conn);
  });

  it('never hands out more slots than the limit under 200 concurrent writers', async () => {
    const scope = 'cap:t1:ep1:day:2026-11-23';
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => store.reserve(scope, 20, { tenantId: 't1', leadId: `lead-${i}` })),
    );
    const won = results.filter((r) => r.ok);
    expect(won).toHaveLength(20);
    expect(new Set(won.map((r) => (r.ok ? r.slot : 0)))).toEqual(new Set(Array.from({ length: 20 }, (_, i) => i + 1)));
    expect(results.filter((r) => !r.ok).every((r) => !r.ok && r.reason === 'full' && r.taken === 20)).toBe(true);
    expect((await store.counts([scope])).get(scope)).toBe(20);
  });

  it('is idempotent per lead and refills a released slot', async () => {
    const scope = 'cap:t1:ep2:day:2026-11-23';
    const first = await store.reserve(scope, 2, { tenantId: 't1', leadId: 'a' });
    const again = await store.reserve(scope, 2, { tenantId: 't1', leadId: 'a' });
    expect(first).toMatchObject({ ok: true, slot: 1, existing: false });
    expect(again).toMatchObject({ ok: true, slot: 1, existing: true });
    await store.reserve(scope, 2, { tenantId: 't1', leadId: 'b' });
    expect(await store.reserve(scope, 2, { tenantId: 't1', leadId: 'c' })).toEqual({ ok: false, reason: 'full', taken: 2 });

    expect(await store.release(`${scope}#1`, 'someone-else')).toBe(false);
    expect(await store.release(`${scope}#1`, 'a')).toBe(true);
    expect(await store.reserve(scope, 2, { tenantId: 't1', leadId: 'c' })).toMatchObject({ ok: true, slot: 1 });
  });

  it('gives each exact slot (a rotation turn) to one claimant only', async () => {
    const claims = await Promise.all(
      Array.from({ length: 30 }, (_, i) => store.claimExact('turn:t1:rot1', 7, { tenantId: 't1', leadId: `lead-${i}` })),
    );
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await store.highest('turn:t1:rot1')).toBe(7);
  });
});
