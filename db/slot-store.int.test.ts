import type { Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectMongo } from '../infra/mongo.ts';
import { connectTestDb, dropTestDb } from '../testing/mongo.ts';
import { slotStore, type SlotStore } from './slot-store.ts';

describe('slot store on insert-only sequences', () => {
  let conn: Connection;
  const others: Connection[] = [];
  let stores: SlotStore[];
  beforeAll(async () => {
    conn = await connectTestDb('slots');
    // Independent stores (own connection, own cache) race as separate worker processes would.
    for (let i = 0; i < 3; i++) others.push(await connectMongo(inject('mongoUri'), { dbName: conn.name }));
    stores = [conn, ...others].map((c) => slotStore(c));
  });
  afterAll(async () => {
    await Promise.all(others.map((c) => c.close()));
    if (conn) await dropTestDb(conn);
  });

  it('never hands out more than the limit under 200 concurrent writers on four stores', async () => {
    const scope = 't1/cap:ep-1:2026-03-16';
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => stores[i % 4]!.reserve(scope, 20, { tenantId: 't1', leadId: `lead-${i}` })));
    const won = results.filter((r) => r.ok);
    expect(won).toHaveLength(20);
    expect(new Set(won.map((r) => r.ok && r.key)).size).toBe(20);
    expect(results.filter((r) => !r.ok).every((r) => !r.ok && r.reason === 'full' && r.used === 20)).toBe(true);
    expect(await stores[3]!.used(scope, { fresh: true })).toBe(20);
  });

  it('a release frees exactly one unit, once, and only for its holder', async () => {
    const scope = 't1/open:ep-2';
    const a = await stores[0]!.reserve(scope, 2, { tenantId: 't1', leadId: 'a' });
    const b = await stores[1]!.reserve(scope, 2, { tenantId: 't1', leadId: 'b' });
    expect(a.ok && b.ok).toBe(true);
    expect(await stores[2]!.reserve(scope, 2, { tenantId: 't1', leadId: 'c' })).toEqual({ ok: false, reason: 'full', used: 2 });
    const key = a.ok ? a.key : '';
    expect(await stores[2]!.release(key, 'someone-else')).toBe(false);
    const releases = await Promise.all([stores[0]!.release(key, 'a'), stores[1]!.release(key, 'a'), stores[2]!.release(key, 'a')]);
    expect(releases.filter(Boolean)).toHaveLength(1);
    expect(await stores[3]!.used(scope, { fresh: true })).toBe(1);
    expect(await stores[2]!.reserve(scope, 2, { tenantId: 't1', leadId: 'c' })).toMatchObject({ ok: true, used: 2 });
    expect(await stores[0]!.reserve(scope, 2, { tenantId: 't1', leadId: 'd' })).toMatchObject({ ok: false, reason: 'full' });
  });

  it('gives each turn of a log to exactly one lead, and tracks each member’s last turn beyond the read window', async () => {
    const scope = 't1/turn:rotation:desk';
    const claims = await Promise.all(
      Array.from({ length: 40 }, (_, i) => stores[i % 4]!.claimTurn(scope, 1, { tenantId: 't1', leadId: `L${i}`, endpointId: `ep-${i % 3}` })),
    );
    expect(claims.filter(Boolean)).toHaveLength(1);
    for (let t = 2; t <= 100; t++)
      expect(await stores[t % 4]!.claimTurn(scope, t, { tenantId: 't1', leadId: `M${t}`, endpointId: t === 3 ? 'rare' : 'busy' })).toBe(true);
    expect(await stores[1]!.claimTurn(scope, 50, { tenantId: 't1', leadId: 'M50', endpointId: 'busy' })).toBe(true); // a retry of its own turn
    const state = await stores[2]!.turnState(scope, ['busy', 'rare', 'never'], { fresh: true });
    expect(state).toEqual({ turn: 100, lastTurn: { busy: 100, rare: 3 } });
  });

  it('a round’s ledger lists what it took, for a retried round to give back', async () => {
    const s = stores[0]!;
    const r = await s.reserve('t1/cap:ep-9:2026-03', 5, { tenantId: 't1', leadId: 'L9', round: 2 });
    if (!r.ok) throw new Error('expected a slot');
    await s.note('L9', 2, { key: r.key, endpointId: 'e1', untilOwned: true });
    expect(await stores[3]!.noted('L9', 2)).toEqual([{ key: r.key, endpointId: 'e1', untilOwned: true }]);
    expect(await stores[3]!.noted('L9', 3)).toEqual([]);
  });

  it('takes a round’s steps in one insert, and under 120 racing rounds on four stores never exceeds a shared or an own cap, each ledger naming its takes', async () => {
    const cap = 't1/cap:location-1:2026-03-16';
    const agentCap = (a: number) => `t1/cap:agent-${a}:2026-03-16`;
    const rounds = await Promise.all(
      Array.from({ length: 120 }, (_, i) => {
        const holder = { tenantId: 't1', leadId: `R${i}`, endpointId: `agent-${i % 3}`, round: 1 };
        return stores[i % 4]!.takeSteps([
          { kind: 'turn', scope: 't1/turn:rotation:loc-1', turn: i + 1, holder },
          { kind: 'take', scope: cap, limit: 30, holder, entry: { endpointId: holder.endpointId } },
          { kind: 'take', scope: agentCap(i % 3), limit: 12, holder, entry: { endpointId: holder.endpointId, untilOwned: true } },
        ]);
      }),
    );
    const whole = rounds.filter((r) => r.length === 3 && r.every((x) => x.kind !== 'take' || x.result.ok));
    // Every turn was free (each round asked for its own), so each round got past it; the caps decided the rest.
    expect(rounds.every((r) => r[0]?.kind === 'turn' && r[0].won)).toBe(true);
    expect(await stores[0]!.used(cap, { fresh: true })).toBeLessThanOrEqual(30);
    for (const a of [0, 1, 2]) expect(await stores[1]!.used(agentCap(a), { fresh: true })).toBeLessThanOrEqual(12);
    expect(whole.length).toBeGreaterThan(0);
    // Each round's ledger names exactly the takes it reports, in order.
    for (const [i, r] of rounds.entries()) {
      const keys = r.flatMap((x) => (x.kind === 'take' && x.result.ok ? [x.result.key] : []));
      expect((await stores[2]!.noted(`R${i}`, 1)).map((e) => e.key)).toEqual(keys);
    }
  });
});
