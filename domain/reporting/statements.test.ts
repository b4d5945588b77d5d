import { describe, expect, it } from 'vitest';
import type { EndpointFact, LeadFact } from './facts.ts';
import { buyerStatement, flatFeeFor, sourceStatement } from './statements.ts';

const base: LeadFact = {
  leadId: 'L',
  tenantId: 't1',
  sourceId: 's1',
  serviceLine: 'hvac',
  receivedAt: Date.UTC(2026, 2, 3, 15),
  day: '2026-03-03',
  month: '2026-03',
  state: 'TX',
  county: '48113',
  costCents: 2500,
  outcome: 'accepted',
  lastSeq: 3,
};
const lead = (id: string, over: Partial<LeadFact>): LeadFact => ({ ...base, leadId: id, ...over });
const at = base.receivedAt;

describe('source statements', () => {
  const facts = [
    lead('a', { deliveredAt: at + 1000, billingFinal: { at: at + 7e8, billedCents: 2500 } }),
    lead('b', { deliveredAt: at + 1000, returned: { reason: 'duplicate', at: at + 5e6, creditCents: 2500 }, billingFinal: { at: at + 7e8, billedCents: 0 } }),
    lead('c', { outcome: 'rejected', rejectReason: 'no_coverage' }),
    lead('d', { escalated: 'undeliverable' }), // accepted, never delivered
  ];

  it('per lead: bills every lead not rejected, delivered or not; credits returns', () => {
    const s = sourceStatement({ tenantId: 't1', sourceId: 's1', month: '2026-03', basis: { kind: 'per_lead', amountCents: 2500 }, facts, today: '2026-04-20' });
    expect(s).toMatchObject({
      leads: 4,
      leadsBilled: 3,
      billedCents: 7500,
      returnsCredited: 1,
      creditedCents: 2500,
      netCents: 5000,
      openLines: 1,
      status: 'open',
    });
    expect(s.lines.map((l) => [l.leadId, l.billedCents, l.creditedCents, l.netCents, l.state])).toEqual([
      ['a', 2500, 0, 2500, 'final'],
      ['b', 2500, 2500, 0, 'credited'],
      ['c', 0, 0, 0, 'not_billed'],
      ['d', 2500, 0, 2500, 'open'],
    ]);
    expect(s.openReason).toMatch(/1 lead not yet final/);
  });

  it('per accepted lead: bills only leads a receiver got', () => {
    const s = sourceStatement({
      tenantId: 't1',
      sourceId: 's1',
      month: '2026-03',
      basis: { kind: 'per_accepted_lead', amountCents: 2500 },
      facts,
      today: '2026-04-20',
    });
    expect(s).toMatchObject({ leadsBilled: 2, billedCents: 5000, creditedCents: 2500, netCents: 2500 });
  });

  it('closes by itself once the month is over and every lead is settled', () => {
    const settled = facts.slice(0, 3);
    const args = { tenantId: 't1', sourceId: 's1', month: '2026-03', basis: { kind: 'per_lead' as const, amountCents: 2500 }, facts: settled };
    expect(sourceStatement({ ...args, today: '2026-03-31' })).toMatchObject({ status: 'open', openReason: 'the month is not over (it ends 2026-03-31)' });
    expect(sourceStatement({ ...args, today: '2026-04-01' })).toMatchObject({ status: 'closed', openReason: '', netCents: 2500 });
  });

  it('never closes over a lead whose recorded final amount differs', () => {
    const wrong = [lead('a', { deliveredAt: at, billingFinal: { at: at + 7e8, billedCents: 2400 } })];
    const s = sourceStatement({
      tenantId: 't1',
      sourceId: 's1',
      month: '2026-03',
      basis: { kind: 'per_lead', amountCents: 2500 },
      facts: wrong,
      today: '2026-05-01',
    });
    expect(s.status).toBe('open');
    expect(s.discrepancies).toEqual([{ leadId: 'a', expectedCents: 2500, recordedCents: 2400 }]);
  });

  it('flat: one fee per period, lead lines at zero', () => {
    const s = sourceStatement({
      tenantId: 't1',
      sourceId: 's1',
      month: '2026-03',
      basis: { kind: 'flat', amountCents: 100_000, period: 'month' },
      facts: facts.slice(0, 3),
      today: '2026-04-02',
    });
    expect(s).toMatchObject({ flatFeeCents: 100_000, billedCents: 100_000, creditedCents: 0, netCents: 100_000, leadsBilled: 0, status: 'closed' });
    expect(s.lines.every((l) => l.billedCents === 0)).toBe(true);
    // March 2026 has five Mondays (2, 9, 16, 23, 30); quarterly fees fall in the quarter's first month.
    expect(flatFeeFor({ kind: 'flat', amountCents: 700, period: 'week' }, '2026-03')).toBe(3500);
    expect(flatFeeFor({ kind: 'flat', amountCents: 700, period: 'quarter' }, '2026-04')).toBe(700);
    expect(flatFeeFor({ kind: 'flat', amountCents: 700, period: 'quarter' }, '2026-05')).toBe(0);
    expect(flatFeeFor({ kind: 'flat', amountCents: 700, period: 'year' }, '2026-01')).toBe(700);
  });
});

describe('buyer statements', () => {
  const ep = (id: string, over: Partial<EndpointFact>): EndpointFact => ({
    leadId: id,
    tenantId: 't1',
    endpointId: 'b1',
    sourceId: 's1',
    receivedAt: at,
    firstAt: at,
    day: '2026-03-03',
    offers: 0,
    lapses: 0,
    deliveryFailures: 0,
    statuses: [],
    movedOn: false,
    lastSeq: 5,
    ...over,
  });

  it('bills the price of each priced delivery and credits returns; unpriced receivers have no lines', () => {
    const facts = [
      ep('a', { deliveredAt: at, priceCents: 4000, billingMonth: '2026-03', billingFinalAt: at + 7e8 }),
      ep('b', { deliveredAt: at, priceCents: 4000, billingMonth: '2026-03', returned: { reason: 'duplicate', at } }),
      ep('c', { deliveredAt: at, priceCents: 3000, billingMonth: '2026-03' }),
      ep('d', { deliveredAt: at }),
    ];
    const s = buyerStatement({ tenantId: 't1', endpointId: 'b1', month: '2026-03', facts, today: '2026-04-15' });
    expect(s).toMatchObject({
      party: 'buyer',
      leads: 3,
      leadsBilled: 3,
      billedCents: 11000,
      returnsCredited: 1,
      creditedCents: 4000,
      netCents: 7000,
      openLines: 1,
      status: 'open',
    });
    const closed = buyerStatement({ tenantId: 't1', endpointId: 'b1', month: '2026-03', facts: facts.slice(0, 2), today: '2026-04-15' });
    expect(closed.status).toBe('closed');
  });
});
