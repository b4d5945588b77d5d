import { describe, expect, it } from 'vitest';
import { applyLeadEvent, type LeadState } from './lead-state.ts';
import { eventStream } from './test-events.ts';

function replay(events: ReturnType<ReturnType<typeof eventStream>>[]): LeadState {
  return events.reduce<LeadState | undefined>(applyLeadEvent, undefined)!;
}

describe('lead reducer', () => {
  const ev = eventStream();
  const events = [
    ev({ type: 'received', data: { sourceId: 's1', serviceLine: 'plumbing', costCents: 2500 } }),
    ev({ type: 'validated', data: { outcome: 'accepted', steps: [], flags: ['voip'] } }),
    ev({ type: 'routed', data: { configVersion: 3, outcome: 'assigned', endpointIds: ['a1'], summary: 'x' } }),
    ev({ type: 'delivered', data: { endpointId: 'a1', method: 'http_post', idempotencyKey: 'k' } }),
    ev({ type: 'offered', data: { endpointIds: ['a1'], deadlineAt: 0, round: 1 } }),
    ev({ type: 'lapsed', data: { endpointIds: ['a1'], round: 1 } }),
    ev({ type: 'offered', data: { endpointIds: ['a2'], deadlineAt: 0, round: 2 } }),
    ev({ type: 'claimed', data: { endpointId: 'a2', implicit: false } }),
  ];

  it('builds the live state from the events', () => {
    const s = replay(events);
    expect(s).toMatchObject({
      status: 'assigned',
      ownerEndpointId: 'a2',
      lapsedBy: ['a1'],
      offeredTo: [],
      billing: 'billable',
      configVersion: 3,
      flags: ['voip'],
    });
    expect(s.deliveredAt).toBe(events[3]!.at);
  });

  it('ignores an event applied twice (projections may replay)', () => {
    const once = replay(events);
    const twice = replay([...events, ...events.slice(2)]);
    expect(twice).toEqual(once);
  });

  it('refuses an event for a lead that was never received', () => {
    expect(() => applyLeadEvent(undefined, events[1]!)).toThrow(/before the lead's "received" event/);
  });

  it('marks a rejected lead as not billed and an undeliverable one as such', () => {
    const r = eventStream('l2');
    const rejected = replay([
      r({ type: 'received', data: { sourceId: 's1', serviceLine: 'hvac', costCents: 100 } }),
      r({ type: 'rejected', data: { reason: 'dnc', detail: 'on the federal DNC list' } }),
    ]);
    expect(rejected).toMatchObject({ status: 'rejected', billing: 'not_billed', rejection: { reason: 'dnc' } });
    const u = eventStream('l3');
    const undeliverable = replay([
      u({ type: 'received', data: { sourceId: 's1', serviceLine: 'hvac', costCents: 100 } }),
      u({ type: 'escalated', data: { kind: 'undeliverable', reason: 'every candidate failed' } }),
    ]);
    expect(undeliverable.status).toBe('undeliverable');
  });

  it('keeps billing credited after a return when the window closes', () => {
    const b = eventStream('l4');
    const s = replay([
      b({ type: 'received', data: { sourceId: 's1', serviceLine: 'hvac', costCents: 100 } }),
      b({ type: 'delivered', data: { endpointId: 'e', method: 'email', idempotencyKey: 'k' } }),
      b({ type: 'return_accepted', data: { reason: 'wrong_number', creditCents: 100 } }),
      b({ type: 'billing_final', data: { billedCents: 0 } }),
    ]);
    expect(s).toMatchObject({ billing: 'credited', status: 'closed', returned: { reason: 'wrong_number', creditCents: 100 } });
  });
});
