import { describe, expect, it } from 'vitest';
import { eventStream } from '../domain/lifecycle/test-events.ts';
import { createWorkerMetrics } from './metrics.ts';
import { metricValue, parseMetrics } from '../testing/metrics.ts';

const T0 = Date.UTC(2026, 10, 23, 15);

describe('worker metrics from lead events', () => {
  it('counts the lifecycle once per event id, however often a flush is retried', async () => {
    const m = createWorkerMetrics({ defaultMetrics: false, now: () => T0 });
    const a = eventStream('A', 'acme', T0);
    const b = eventStream('B', 'acme', T0);
    const batchA = [
      a({ type: 'received', data: { sourceId: 's', serviceLine: 'p', costCents: 1 } }),
      a({ type: 'validated', data: { outcome: 'accepted', steps: [], flags: [] } }),
      a({ type: 'delivered', data: { endpointId: 'e', method: 'http_post', idempotencyKey: 'k' } }),
      a({ type: 'return_accepted', data: { reason: 'wrong_number', creditCents: 1 } }),
    ];
    const batchB = [
      b({ type: 'received', data: { sourceId: 's', serviceLine: 'p', costCents: 1 } }),
      b({ type: 'rejected', data: { reason: 'dnc', detail: 'x' } }),
    ];
    m.observeEvents(batchA);
    m.observeEvents(batchA); // a retried flush
    m.observeEvents([...batchA.slice(2), ...batchB]);
    const s = parseMetrics(await m.registry.metrics());
    expect(metricValue(s, 'switchyard_leads_received_total', { tenant: 'acme' })).toBe(2);
    expect(metricValue(s, 'switchyard_leads_accepted_total')).toBe(1);
    expect(metricValue(s, 'switchyard_leads_rejected_total', { reason: 'dnc' })).toBe(1);
    expect(metricValue(s, 'switchyard_leads_delivered_total', { method: 'http_post' })).toBe(1);
    expect(metricValue(s, 'switchyard_returns_total', { outcome: 'accepted', reason: 'wrong_number' })).toBe(1);
  });

  it('counts lapses per offered endpoint and keeps open offers until claimed, lapsed or past their deadline', async () => {
    let now = T0;
    const m = createWorkerMetrics({ defaultMetrics: false, now: () => now });
    const a = eventStream('A', 'acme', T0);
    const b = eventStream('B', 'acme', T0);
    const c = eventStream('C', 'acme', T0);
    const open = async () => metricValue(parseMetrics(await m.registry.metrics()), 'switchyard_open_offers');
    m.observeEvents([a({ type: 'offered', data: { endpointIds: ['x', 'y', 'z'], deadlineAt: T0 + 300_000, round: 1 } })]);
    m.observeEvents([b({ type: 'offered', data: { endpointIds: ['x'], deadlineAt: T0 + 60_000, round: 1 } })]);
    m.observeEvents([c({ type: 'offered', data: { endpointIds: ['y'], deadlineAt: T0 + 600_000, round: 1 } })]);
    expect(await open()).toBe(5);
    m.observeEvents([a({ type: 'lapsed', data: { endpointIds: ['x', 'y', 'z'], round: 1 } })]);
    expect(await open()).toBe(2);
    m.observeEvents([c({ type: 'claimed', data: { endpointId: 'y', implicit: false } })]);
    expect(await open()).toBe(1);
    // B's claim was recorded by another worker: its offer stops counting here at its deadline.
    now = T0 + 60_001;
    expect(await open()).toBe(0);
    const s = parseMetrics(await m.registry.metrics());
    expect(metricValue(s, 'switchyard_claim_lapses_total', { tenant: 'acme' })).toBe(3);
    expect(metricValue(s, 'switchyard_offers_total')).toBe(5);
    expect(metricValue(s, 'switchyard_claims_total')).toBe(1);
  });

  it('labels refused returns by our refusal code, never by the free text asked for', async () => {
    const m = createWorkerMetrics({ defaultMetrics: false });
    const a = eventStream('A', 'acme', T0);
    m.observeEvents([a({ type: 'return_refused', data: { reason: 'call me at 2148675309', code: 'window_closed' } })]);
    const text = await m.registry.metrics();
    expect(text).toContain('reason="window_closed"');
    expect(text).not.toContain('2148675309');
  });
});
