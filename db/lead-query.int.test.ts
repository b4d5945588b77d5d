import type { Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LeadEvent } from '../domain/lifecycle/lead-events.ts';
import { eventStream } from '../domain/lifecycle/test-events.ts';
import { connectTestDb, dropTestDb } from '../testing/mongo.ts';
import { decodeCursor, leadQuery, MAX_DAYS_PER_PAGE } from './lead-query.ts';
import { leadStore } from './lead-store.ts';

const DAY = 86_400_000;
const DAY0 = Date.UTC(2026, 10, 2);
const TENANT = 'tq';

/** Day d, lead k: received at d 09:00 + k hours, delivered to e1 a minute later; one rejection on day 2, one return on day 3. */
function leadEvents(d: number, k: number): LeadEvent[] {
  const leadId = `L${d}-${k}`;
  const ev = eventStream(leadId, TENANT, DAY0 + d * DAY + (9 + k) * 3600_000);
  const received = ev({ type: 'received', data: { sourceId: k === 2 ? 's2' : 's1', serviceLine: 'plumbing', costCents: 2500 } }, 0);
  if (d === 2 && k === 0) return [received, ev({ type: 'rejected', data: { reason: 'invalid', detail: 'phone: line type rule' } })];
  const delivered = [
    received,
    ev({ type: 'validated', data: { outcome: 'accepted', steps: [], flags: [] } }),
    ev({ type: 'routed', data: { configVersion: 1, outcome: 'assigned', endpointIds: ['e1'], summary: 's' } }),
    ev({ type: 'delivered', data: { endpointId: 'e1', method: 'http_post', idempotencyKey: `${leadId}:1` } }, 60_000),
    ev({ type: 'assigned', data: { endpointId: 'e1', by: 'delivery' } }),
  ];
  return d === 3 && k === 1 ? [...delivered, ev({ type: 'return_accepted', data: { reason: 'wrong_number', creditCents: 2500 } })] : delivered;
}

describe('lead lists and counts read day by day', () => {
  let conn: Connection;
  const all: string[] = [];
  beforeAll(async () => {
    conn = await connectTestDb('leadq');
    const store = leadStore(conn);
    // Five days of three leads, with an empty day (day 5) between them and the sixth.
    for (const d of [0, 1, 2, 3, 4, 6]) for (let k = 0; k < 3; k++) await store.append(leadEvents(d, k));
    for (const d of [6, 4, 3, 2, 1, 0]) for (const k of [2, 1, 0]) all.push(`L${d}-${k}`);
  });
  afterAll(async () => {
    if (conn) await dropTestDb(conn);
  });

  it('pages newest first across day boundaries, and says when there is no more', async () => {
    const q = leadQuery(conn);
    const seen: string[] = [];
    let after: { receivedAt: number; leadId: string } | undefined;
    for (let pages = 0; pages < 10; pages++) {
      const page = await q.list(TENANT, { kind: 'tenant' }, {}, { first: 4, ...(after ? { after } : {}) });
      seen.push(...page.leads.map((l) => l.leadId));
      if (!page.hasNextPage) break;
      after = decodeCursor(page.endCursor!);
    }
    expect(seen).toEqual(all);
    // A page that ends exactly on the last lead has no next page.
    const whole = await q.list(TENANT, { kind: 'tenant' }, {}, { first: all.length });
    expect(whole.hasNextPage).toBe(false);
    expect(whole.leads).toHaveLength(all.length);
  });

  it('keeps a received period and the filters', async () => {
    const q = leadQuery(conn);
    const page = await q.list(
      TENANT,
      { kind: 'tenant' },
      { receivedFrom: DAY0 + DAY + 10 * 3600_000, receivedTo: DAY0 + 3 * DAY, sourceId: 's1' },
      { first: 50 },
    );
    // Day 1 from 10:00 (L1-1), and day 2 (L2-1, L2-0), source s1 only.
    expect(page.leads.map((l) => l.leadId)).toEqual(['L2-1', 'L2-0', 'L1-1']);
    const rejected = await q.list(TENANT, { kind: 'tenant' }, { status: ['rejected'] }, { first: 50 });
    expect(rejected.leads.map((l) => l.leadId)).toEqual(['L2-0']);
    expect(rejected.leads[0]).not.toHaveProperty('receivedDay');
  });

  it('counts a source’s outcomes over a period', async () => {
    const q = leadQuery(conn);
    expect(await q.sourceOutcomes(TENANT, 's1', DAY0 + DAY, DAY0 + 4 * DAY)).toEqual({ received: 6, rejected: { invalid: 1 } });
    expect(await q.sourceOutcomes(TENANT, 's2', DAY0, DAY0 + 7 * DAY)).toEqual({ received: 6, rejected: {} });
  });

  it('finds what a buyer may still return, and a source’s return rate, inside their windows', async () => {
    const q = leadQuery(conn);
    const open = await q.returnable(TENANT, 'e1', [{ sourceId: 's1', since: DAY0 + 3 * DAY }], 10);
    // Days 3, 4 and 6 of source s1, less the returned L3-1, oldest first.
    expect(open.map((l) => l.leadId)).toEqual(['L3-0', 'L4-0', 'L4-1', 'L6-0', 'L6-1']);
    expect(await leadStore(conn).returnStats(TENANT, 's1', DAY0 + 7 * DAY, 4 * DAY)).toEqual({ delivered: 6, returned: 1 });
  });

  it('reads at most MAX_DAYS_PER_PAGE days per page, and a short page says where to go on', async () => {
    const store = leadStore(conn);
    const q = leadQuery(conn);
    const days = MAX_DAYS_PER_PAGE + 9;
    // One lead a day; only the oldest comes from source s-old.
    for (let d = 0; d < days; d++) {
      const ev = eventStream(`M${d}`, 'tq2', DAY0 + d * DAY + 12 * 3600_000);
      await store.append([ev({ type: 'received', data: { sourceId: d === 0 ? 's-old' : 's1', serviceLine: 'plumbing', costCents: 100 } }, 0)]);
    }
    const pages = async (filter: { sourceId?: string }) => {
      const out: string[][] = [];
      let after: { receivedAt: number; leadId: string } | undefined;
      for (;;) {
        const page = await q.list('tq2', { kind: 'tenant' }, filter, { first: 100, ...(after ? { after } : {}) });
        out.push(page.leads.map((l) => l.leadId));
        if (!page.hasNextPage) return out;
        after = decodeCursor(page.endCursor!);
      }
    };
    const everything = await pages({});
    expect(everything.map((p) => p.length)).toEqual([MAX_DAYS_PER_PAGE, 9]);
    expect(everything.flat()).toEqual(Array.from({ length: days }, (_, i) => `M${days - 1 - i}`));
    // Nothing in the newest 31 days: an empty page that goes on, then the one lead.
    expect(await pages({ sourceId: 's-old' })).toEqual([[], ['M0']]);
  });
});
