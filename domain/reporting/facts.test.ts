import { describe, expect, it } from 'vitest';
import type { LeadEvent } from '../lifecycle/lead-events.ts';
import { eventStream } from '../lifecycle/test-events.ts';
import { factsFromEvents } from './facts.ts';

const ZONE = 'America/Chicago';
// 2026-11-23 15:00 UTC is 09:00 in Chicago.
function sampleLead() {
  const ev = eventStream('lead-1', 't1', Date.UTC(2026, 10, 23, 15));
  return [
    ev({ type: 'received', data: { sourceId: 's1', serviceLine: 'hvac', costCents: 2500, market: { zip: '75201' } } }),
    ev({ type: 'validated', data: { outcome: 'accepted', steps: [], flags: [], market: { state: 'TX', countyFips: '48113', zip: '75201' } } }, 500),
    ev({ type: 'routed', data: { configVersion: 1, outcome: 'assigned', endpointIds: ['a1'], summary: 's' } }, 100),
    ev({ type: 'delivered', data: { endpointId: 'a1', method: 'sms', idempotencyKey: 'k1' } }, 400),
    ev({ type: 'offered', data: { endpointIds: ['a1'], deadlineAt: 0, round: 1 } }, 1),
    ev({ type: 'lapsed', data: { endpointIds: ['a1'], round: 1 } }, 900_000),
    ev({ type: 'offered', data: { endpointIds: ['a2'], deadlineAt: 0, round: 2 } }, 1),
    ev({ type: 'claimed', data: { endpointId: 'a2', implicit: false } }, 120_000),
    ev({ type: 'status_changed', data: { status: 'contacted' } }, 60_000),
    ev({ type: 'status_changed', data: { status: 'won' } }, 86_400_000),
    ev({ type: 'return_accepted', data: { reason: 'wrong_number', creditCents: 2500 } }, 3_600_000),
    ev({ type: 'billing_final', data: { billedCents: 0 } }, 7 * 86_400_000),
  ];
}

describe('lead facts from events', () => {
  const events = sampleLead();

  it('records the lead: market as verified, outcome, speed, return and final billing', () => {
    const { lead } = factsFromEvents(events, ZONE)!;
    expect(lead).toMatchObject({
      leadId: 'lead-1',
      tenantId: 't1',
      sourceId: 's1',
      day: '2026-11-23',
      month: '2026-11',
      state: 'TX',
      county: '48113',
      costCents: 2500,
      outcome: 'accepted',
      deliveredAt: events[3]!.at,
      claimedAt: events[7]!.at,
      returned: { reason: 'wrong_number', creditCents: 2500, endpointId: 'a2' },
      billingFinal: { billedCents: 0, at: events[11]!.at },
      lastSeq: 12,
    });
  });

  it('records each receiver: offers, lapses, claim time from its own offer, statuses reached while it owned the lead', () => {
    const { endpoints } = factsFromEvents(events, ZONE)!;
    const a1 = endpoints.find((e) => e.endpointId === 'a1')!;
    const a2 = endpoints.find((e) => e.endpointId === 'a2')!;
    expect(a1).toMatchObject({ offers: 1, lapses: 1, deliveredAt: events[3]!.at, statuses: [], movedOn: true });
    expect(a1.claimedAt).toBeUndefined();
    expect(a1.returned).toBeUndefined();
    expect(a2).toMatchObject({
      offers: 1,
      lapses: 0,
      claimedAt: events[7]!.at,
      claimMs: 120_000,
      statuses: ['contacted', 'won'],
      day: '2026-11-23',
      returned: { reason: 'wrong_number' },
      movedOn: false,
    });
    expect(a2.deliveredAt).toBeUndefined();
  });

  it('is the same whatever the order and however often events arrive', () => {
    const once = factsFromEvents(events, ZONE);
    const shuffled = [...events, ...events.slice(3, 8)].reverse();
    expect(factsFromEvents(shuffled, ZONE)).toEqual(once);
  });

  it('stops at a missing event and waits for it', () => {
    const withGap = events.filter((e) => e.seq !== 5);
    const f = factsFromEvents(withGap, ZONE)!;
    expect(f.lead.lastSeq).toBe(4);
    expect(f.lead.claimedAt).toBeUndefined();
    expect(factsFromEvents(events.slice(1), ZONE)).toBeUndefined();
  });

  it('keeps the market as posted when validation resolved none, and counts a rejection with its reason', () => {
    const ev = eventStream('lead-2', 't1', Date.UTC(2026, 10, 24, 5, 30)); // 23:30 the day before in Chicago
    const f = factsFromEvents(
      [
        ev({ type: 'received', data: { sourceId: 's1', serviceLine: 'hvac', costCents: 900, market: { state: 'OK', zip: '73102' } } }),
        ev({ type: 'validated', data: { outcome: 'rejected', steps: [], flags: [] } }),
        ev({ type: 'rejected', data: { reason: 'dnc', detail: 'on the federal list' } }),
      ] as LeadEvent[],
      ZONE,
    )!;
    expect(f.lead).toMatchObject({ state: 'OK', county: '', outcome: 'rejected', rejectReason: 'dnc', day: '2026-11-23' });
    expect(f.endpoints).toEqual([]);
  });

  it('bills a buyer its price on a priced delivery and credits the holder on return', () => {
    const ev = eventStream('lead-3', 't1', Date.UTC(2026, 10, 30, 23)); // 17:00 Nov 30 in Chicago
    const f = factsFromEvents(
      [
        ev({ type: 'received', data: { sourceId: 's2', serviceLine: 'hvac', costCents: 1000 } }),
        ev({ type: 'validated', data: { outcome: 'accepted', steps: [], flags: [] } }),
        ev({ type: 'delivery_failed', data: { endpointId: 'b1', reason: '503' } }),
        ev({ type: 'delivered', data: { endpointId: 'b2', method: 'http_post', idempotencyKey: 'k', priceCents: 4200 } }, 7 * 3_600_000), // Dec 1 local
        ev({ type: 'assigned', data: { endpointId: 'b2', by: 'delivery' } }),
        ev({ type: 'return_accepted', data: { reason: 'duplicate', creditCents: 1000 } }),
      ] as LeadEvent[],
      ZONE,
    )!;
    const b1 = f.endpoints.find((e) => e.endpointId === 'b1')!;
    const b2 = f.endpoints.find((e) => e.endpointId === 'b2')!;
    expect(b1).toMatchObject({ deliveryFailures: 1, day: '2026-11-30' });
    expect(b2).toMatchObject({ priceCents: 4200, billingMonth: '2026-12', returned: { reason: 'duplicate' }, movedOn: false });
    expect(f.lead.returned).toMatchObject({ endpointId: 'b2', creditCents: 1000 });
  });
});

describe('waiting leads', () => {
  it('a held lead counts as waiting until it is routed again; a paced one until it is delivered', () => {
    const ev = eventStream('w1', 't1');
    const received = ev({ type: 'received', data: { sourceId: 'web', serviceLine: 'plumbing', costCents: 100 } });
    const validated = ev({ type: 'validated', data: { outcome: 'accepted', steps: [], flags: [] } });
    const held = ev({ type: 'held', data: { why: 'closed', until: 5, zone: 'America/Chicago', endpointIds: [], summary: 'Held until …' } });
    const fact = (events: LeadEvent[]) => factsFromEvents(events, 'America/Chicago')!.lead;
    expect(fact([received, validated, held]).waiting).toEqual({ why: 'closed', until: 5 });
    const routed = ev({ type: 'routed', data: { configVersion: 1, outcome: 'assigned', endpointIds: ['p'], summary: 's' } });
    const paced = ev({ type: 'held', data: { why: 'paced', until: 9, endpointIds: ['p'], summary: 'Paced: …' } });
    expect(fact([received, validated, held, routed, paced]).waiting).toEqual({ why: 'paced', until: 9 });
    const delivered = ev({ type: 'delivered', data: { endpointId: 'p', method: 'in_app', idempotencyKey: 'k' } });
    expect(fact([received, validated, held, routed, paced, delivered]).waiting).toBeUndefined();
  });
});
