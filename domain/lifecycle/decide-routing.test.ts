import { describe, expect, it } from 'vitest';
import {
  decideHoldEnded,
  decidePaceEnded,
  decideReviewEnded,
  decideDelivered,
  decideDistribution,
  decideOffered,
  decideOfferEnded,
  decideRouted,
  deliveryKey,
  MAX_ROUTING_ROUNDS,
  nextRound,
  type RoutingStep,
} from './decide-routing.ts';
import { initialRun, type RunState } from './decision.ts';
import { T0, bodies, context, evolve, given, handle, input, received, routedTo, target, validated } from './given.ts';
import type { DeliveryOutcome, RouteTarget } from './step-results.ts';

const routing = given(received, validated);
const runAt = (round: number, extra: Partial<RunState> = {}): RunState => ({
  ...initialRun(),
  round,
  walk: { exclude: [], lapses: 0, rounds: round },
  ...extra,
});
const ok = (t: RouteTarget): DeliveryOutcome => ({
  target: t,
  ok: true,
  receipt: { endpointId: t.endpointId, method: 'http_post' },
  idempotencyKey: deliveryKey('lead:t1:L1', t.endpointId),
});
const failed = (t: RouteTarget, reason = 'HTTP 503 from receiver'): DeliveryOutcome => ({ target: t, ok: false, reason });
const awaiting = (endpointIds: string[], maxLapses = 3): Extract<RoutingStep, { kind: 'await_claim' }> => ({
  kind: 'await_claim',
  endpointIds,
  deadlineAt: 1,
  maxLapses,
});

describe('lifecycle: distribution starts', () => {
  it('given a manual source, then the lead is parked in the manager queue and the managers hear of it', () => {
    const d = decideDistribution(routing, initialRun(), input, { ...context, manualDistribution: true });
    expect(bodies(d.events)).toEqual([
      { type: 'routed', data: { configVersion: 0, outcome: 'manual_queue', endpointIds: [], summary: 'manual distribution is on for this source' } },
      { type: 'escalated', data: { kind: 'manual', reason: 'manual distribution: waiting in the manager queue for hand assignment' } },
    ]);
    expect(d.notices).toEqual([
      {
        kind: 'escalated',
        endpointIds: [],
        managers: true,
        concerns: [],
        facts: { reason: 'manual distribution: waiting in the manager queue for hand assignment' },
        key: '4',
      },
    ]);
    expect(d.next).toEqual({ kind: 'escalated' });
  });

  it('given a manual source and a receiver the source named, then it is routed to that receiver', () => {
    const d = decideDistribution(routing, initialRun(), { ...input, preassignedEndpointId: 'callcenter' }, { ...context, manualDistribution: true });
    expect(d.events).toEqual([]);
    expect(d.next).toEqual({ kind: 'route', round: 1, exclude: [], preassignedEndpointId: 'callcenter' });
  });

  it('given a replacement, then its first round excludes the endpoint that returned the original', () => {
    const d = decideDistribution(routing, initialRun(), { ...input, excludeEndpointIds: ['dallas'] }, context);
    expect(d.next).toEqual({ kind: 'route', round: 1, exclude: ['dallas'] });
    expect(d.run.walk).toMatchObject({ rounds: 1, exclude: ['dallas'] });
  });

  it('names the source’s receiver for the first round only', () => {
    const first = decideDistribution(routing, initialRun(), { ...input, preassignedEndpointId: 'callcenter' }, context);
    expect(nextRound(routing, first.run).next).toEqual({ kind: 'route', round: 2, exclude: [] });
  });

  it(`given ${MAX_ROUTING_ROUNDS} rounds without a delivery, then the lead is escalated as undeliverable`, () => {
    const d = nextRound(routing, runAt(MAX_ROUTING_ROUNDS));
    expect(bodies(d.events)).toEqual([
      { type: 'escalated', data: { kind: 'undeliverable', reason: `no delivery succeeded after ${MAX_ROUTING_ROUNDS} routing rounds` } },
    ]);
    expect(d.next).toEqual({ kind: 'escalated' });
  });
});

describe('lifecycle: routing answers', () => {
  it('given no coverage at the first routing, then the lead is rejected against its source, unbilled', () => {
    const d = decideRouted(routing, runAt(1), { kind: 'no_coverage', configVersion: 3, summary: 'No coverage for 75201', decisionId: 'd1' }, T0);
    expect(bodies(d.events)).toEqual([{ type: 'rejected', data: { reason: 'no_coverage', detail: 'No coverage for 75201' } }]);
    expect(d.next).toEqual({ kind: 'rejected' });
    expect(evolve(routing, d.events)).toMatchObject({ status: 'rejected', billing: 'not_billed' });
  });

  it('given no candidate left after a failover, then the lead is escalated as undeliverable', () => {
    const d = decideRouted(
      given(received, validated, routedTo('flaky')),
      runAt(2),
      { kind: 'no_coverage', configVersion: 3, summary: 'nobody left', decisionId: 'd2' },
      T0,
    );
    expect(bodies(d.events)).toEqual([{ type: 'escalated', data: { kind: 'undeliverable', reason: 'no eligible endpoint is left: nobody left' } }]);
    expect(d.notices.map((n) => n.kind)).toEqual(['escalated']);
  });

  it('given no candidate left after a lapse, then the escalation says the claims lapsed', () => {
    const d = decideRouted(
      given(received, validated, routedTo('a1')),
      runAt(2, { walk: { exclude: ['a1'], lapses: 1, rounds: 2 } }),
      { kind: 'no_coverage', configVersion: 3, summary: 'nobody left', decisionId: 'd2' },
      T0,
    );
    expect(d.events[0]!.body).toMatchObject({ type: 'escalated', data: { kind: 'claim_lapses' } });
  });

  it('given a plan that sends the lead to the manager queue, then it is routed there and escalated', () => {
    const d = decideRouted(routing, runAt(1), { kind: 'manual_queue', configVersion: 3, summary: 'tier "desk" is manual', decisionId: 'd1' }, T0);
    expect(bodies(d.events).map((e) => e.type)).toEqual(['routed', 'escalated']);
    expect(d.events[0]!.body).toMatchObject({ data: { outcome: 'manual_queue', summary: 'tier "desk" is manual', configVersion: 3 } });
  });

  it('given targets, then "routed" names them, tier and algorithm, the lead holds their reservations, and delivery follows', () => {
    const targets = [target('a1', { claim: true }), { ...target('a2', { claim: true }), reservation: undefined }];
    const d = decideRouted(
      routing,
      runAt(1),
      { kind: 'broadcast', configVersion: 3, summary: 's', decisionId: 'd1', tier: 'desk', algorithm: 'broadcast', targets },
      T0,
    );
    expect(bodies(d.events)).toEqual([
      { type: 'routed', data: { configVersion: 3, outcome: 'broadcast', endpointIds: ['a1', 'a2'], summary: 's', tier: 'desk', algorithm: 'broadcast' } },
    ]);
    expect(d.run.held).toEqual([{ ...handle('a1'), untilOwned: true }]);
    expect(d.next).toEqual({ kind: 'deliver', targets });
  });

  it('records no storage key of a reservation in any event', () => {
    const d = decideRouted(routing, runAt(1), { kind: 'assigned', configVersion: 3, summary: 's', decisionId: 'd1', targets: [target('dallas')] }, T0);
    expect(JSON.stringify(d.events)).not.toMatch(/take\||reservation/);
  });
});

describe('lifecycle: deliveries end', () => {
  const routedDallas = given(received, validated, routedTo('dallas'));

  it('given a location took the lead, then it owns it on delivery, with its price, and its open-unclaimed unit is given back', () => {
    const dallas = target('dallas', { untilOwned: true, priceCents: 3000 });
    const d = decideDelivered(routedDallas, runAt(1, { held: [dallas.reservation!] }), [ok(dallas)]);
    expect(bodies(d.events)).toEqual([
      { type: 'delivered', data: { endpointId: 'dallas', method: 'http_post', idempotencyKey: 'lead:t1:L1:dallas', priceCents: 3000 } },
      { type: 'assigned', data: { endpointId: 'dallas', by: 'delivery' } },
    ]);
    expect(d.settle).toEqual([handle('dallas')]);
    expect(d.release).toEqual([]);
    expect(d.next).toEqual({ kind: 'owned' });
    expect(evolve(routedDallas, d.events)).toMatchObject({ status: 'assigned', ownerEndpointId: 'dallas', billing: 'billable', priceCents: 3000 });
  });

  it('given a broadcast to locations, then the first one delivered owns it and the others give their reservations back', () => {
    const [x, y] = [target('x'), target('y')];
    const d = decideDelivered(given(received, validated, routedTo('x', 'y')), runAt(1, { held: [x.reservation!, y.reservation!] }), [ok(x), ok(y)]);
    expect(d.events.at(-1)!.body).toEqual({ type: 'assigned', data: { endpointId: 'x', by: 'delivery' } });
    expect(d.release).toEqual([handle('y')]);
  });

  it('given a receiver that kept failing, then "delivery_failed" names why, its reservation is given back, it is excluded, and the lead fails over to the next round', () => {
    const flaky = target('flaky');
    const d = decideDelivered(given(received, validated, routedTo('flaky')), runAt(1, { held: [flaky.reservation!] }), [failed(flaky)]);
    expect(bodies(d.events)).toEqual([{ type: 'delivery_failed', data: { endpointId: 'flaky', reason: 'HTTP 503 from receiver' } }]);
    expect(d.release).toEqual([handle('flaky')]);
    expect(d.run.held).toEqual([]);
    expect(d.next).toEqual({ kind: 'route', round: 2, exclude: ['flaky'] });
  });

  it('given the last allowed round failed, then the failover escalates instead, its notice numbered after the failure', () => {
    const flaky = target('flaky');
    const lead = given(received, validated, routedTo('flaky'));
    const d = decideDelivered(lead, runAt(MAX_ROUTING_ROUNDS, { held: [flaky.reservation!] }), [failed(flaky)]);
    expect(bodies(d.events).map((e) => e.type)).toEqual(['delivery_failed', 'escalated']);
    expect(d.notices).toEqual([expect.objectContaining({ kind: 'escalated', key: String(lead.lastEventSeq + 2) })]);
  });

  it('given a person (or rotation) was delivered, then the lead is offered with the default deadline of 5 minutes and 3 allowed lapses', () => {
    const a1 = target('a1', { claim: true });
    const d = decideDelivered(given(received, validated, routedTo('a1')), runAt(1, { held: [a1.reservation!] }), [ok(a1)]);
    expect(bodies(d.events).map((e) => e.type)).toEqual(['delivered']);
    expect(d.settle).toEqual([]);
    expect(d.next).toEqual({ kind: 'offer', endpointIds: ['a1'], round: 1, deadlineSec: 300, pauseOutsideHours: false, maxLapses: 3 });
  });

  it('given the receiver’s plan sets a deadline, lapses and paused hours, then the offer uses them', () => {
    const n = target('agent-n', { claim: true, deadlineSec: 120, maxLapses: 1, pause: true });
    expect(decideDelivered(routing, runAt(1), [ok(n)]).next).toEqual({
      kind: 'offer',
      endpointIds: ['agent-n'],
      round: 1,
      deadlineSec: 120,
      pauseOutsideHours: true,
      maxLapses: 1,
    });
  });

  it('given a broadcast where one person’s delivery failed, then the others are offered it and the failed one is excluded', () => {
    const [a, b] = [target('a', { claim: true }), target('b', { claim: true })];
    const d = decideDelivered(given(received, validated, routedTo('a', 'b')), runAt(1, { held: [a.reservation!, b.reservation!] }), [ok(a), failed(b)]);
    expect(d.release).toEqual([handle('b')]);
    expect(d.next).toMatchObject({ kind: 'offer', endpointIds: ['a'] });
    expect(d.run.walk.exclude).toEqual(['b']);
  });
});

describe('lifecycle: offers and claims', () => {
  const delivered = given(received, validated, routedTo('a1', 'a2'), { type: 'delivered', data: { endpointId: 'a1', method: 'in_app', idempotencyKey: 'k' } });
  const offerStep = { kind: 'offer' as const, endpointIds: ['a1', 'a2'], round: 1, deadlineSec: 300, pauseOutsideHours: false, maxLapses: 3 };
  const offered = evolve(delivered, [{ type: 'offered', data: { endpointIds: ['a1', 'a2'], deadlineAt: 1, round: 1 } }]);
  const holding = runAt(1, {
    held: [
      { ...handle('a1'), untilOwned: true },
      { ...handle('a2'), untilOwned: true },
    ],
  });

  it('when the offer is out, then "offered" records who and until when, and the lead waits for a claim', () => {
    const d = decideOffered(delivered, holding, offerStep, 12345);
    expect(bodies(d.events)).toEqual([{ type: 'offered', data: { endpointIds: ['a1', 'a2'], deadlineAt: 12345, round: 1 } }]);
    expect(d.next).toEqual({ kind: 'await_claim', endpointIds: ['a1', 'a2'], deadlineAt: 12345, maxLapses: 3 });
    expect(d.notices).toEqual([
      { kind: 'offered', endpointIds: ['a1', 'a2'], facts: { round: 1, deadlineAt: 12345 }, key: String(delivered.lastEventSeq + 1) },
    ]);
  });

  it('when the offer follows a lapse, then the managers hear who let it lapse and who has it now, once', () => {
    const afterLapse = runAt(2, { walk: { exclude: ['a0'], lapses: 1, rounds: 2, lastLapsed: ['a0'] } });
    const d = decideOffered(delivered, afterLapse, offerStep, 12345);
    expect(d.notices[1]).toEqual({
      kind: 'lapsed',
      endpointIds: [],
      managers: true,
      concerns: ['a0', 'a1', 'a2'],
      facts: { lapsedBy: ['a0'], nowWith: ['a1', 'a2'] },
      key: String(delivered.lastEventSeq + 1),
    });
    expect(d.run.walk.lastLapsed).toBeUndefined();
  });

  it('given one of them claimed, then the others give their reservations back and hear it was claimed, and the owner’s open unit is settled', () => {
    const claimed = evolve(offered, [{ type: 'claimed', data: { endpointId: 'a2', implicit: false } }]);
    const d = decideOfferEnded(claimed, holding, awaiting(['a1', 'a2']), false);
    expect(d.events).toEqual([]);
    expect(d.release).toEqual([handle('a1')]);
    expect(d.settle).toEqual([handle('a2')]);
    expect(d.notices).toEqual([{ kind: 'claimed', endpointIds: ['a1'], facts: {}, key: String(claimed.lastEventSeq) }]);
    expect(d.next).toEqual({ kind: 'owned' });
  });

  it('given the only offered person claimed, then nobody else is told', () => {
    const claimed = evolve(offered, [{ type: 'claimed', data: { endpointId: 'a1', implicit: false } }]);
    expect(decideOfferEnded(claimed, holding, awaiting(['a1']), false).notices).toEqual([]);
  });

  it('given a manager asked for a reassignment, then the offer is withdrawn and its reservations given back, with nothing recorded', () => {
    const d = decideOfferEnded(offered, holding, awaiting(['a1', 'a2']), true);
    expect(d.events).toEqual([]);
    expect(d.release).toEqual([handle('a1'), handle('a2')]);
    expect(d.next).toEqual({ kind: 'reassign' });
  });

  it('given the deadline passed (or everyone declined), then the offer lapses: they are told, give back, are excluded, and the next round runs', () => {
    const d = decideOfferEnded(offered, holding, awaiting(['a1', 'a2']), false);
    expect(bodies(d.events)).toEqual([{ type: 'lapsed', data: { endpointIds: ['a1', 'a2'], round: 1 } }]);
    expect(d.release).toEqual([handle('a1'), handle('a2')]);
    expect(d.notices).toEqual([{ kind: 'lapsed', endpointIds: ['a1', 'a2'], facts: { lapsedBy: ['a1', 'a2'] }, key: String(offered.lastEventSeq + 1) }]);
    expect(d.next).toEqual({ kind: 'route', round: 2, exclude: ['a1', 'a2'] });
    // The managers hear of it with the next offer, which says who has it now.
    expect(d.run.walk.lastLapsed).toEqual(['a1', 'a2']);
    expect(evolve(offered, d.events).lapsedBy).toEqual(['a1', 'a2']);
  });

  it('given the plan’s allowed lapses are used up, then the lead is escalated to the managers after the lapse', () => {
    const d = decideOfferEnded(offered, runAt(2, { walk: { exclude: ['a0'], lapses: 1, rounds: 2 } }), awaiting(['a1'], 2), false);
    expect(bodies(d.events)).toEqual([
      { type: 'lapsed', data: { endpointIds: ['a1'], round: 1 } },
      { type: 'escalated', data: { kind: 'claim_lapses', reason: '2 offer(s) lapsed unclaimed; escalated to the manager queue' } },
    ]);
    expect(d.notices.map((n) => [n.kind, n.key])).toEqual([
      ['lapsed', String(offered.lastEventSeq + 1)],
      ['escalated', String(offered.lastEventSeq + 2)],
    ]);
    expect(d.next).toEqual({ kind: 'escalated' });
    expect(evolve(offered, d.events).status).toBe('escalated');
  });
});

describe('lifecycle: everyone closed, pacing', () => {
  const held = {
    kind: 'held' as const,
    configVersion: 3,
    summary: 'Held until Mon 2026-12-07 08:00 America/Chicago: everyone who could take it is closed now (Dallas branch); Dallas branch opens first',
    decisionId: 'd1',
    until: T0 + 33 * 3600_000,
    opensAt: T0 + 33 * 3600_000,
    zone: 'America/Chicago',
  };

  it('given everyone who could take it is closed, then "held" says until when and why, and the lead waits (not rejected, not billed yet)', () => {
    const d = decideRouted(routing, runAt(1), held, T0);
    expect(bodies(d.events)).toEqual([
      { type: 'held', data: { why: 'closed', until: held.until, zone: 'America/Chicago', endpointIds: [], summary: held.summary } },
    ]);
    expect(d.next).toEqual({ kind: 'hold', until: held.until });
    expect(evolve(routing, d.events)).toMatchObject({ status: 'held', heldUntil: held.until, heldReason: held.summary, billing: 'pending' });
  });

  it('given the plan rejects leads when everyone is closed, then the lead is rejected as closed, not as no coverage', () => {
    const d = decideRouted(routing, runAt(1), { kind: 'closed', configVersion: 3, summary: 'Rejected as closed: …', decisionId: 'd1' }, T0);
    expect(bodies(d.events)).toEqual([{ type: 'rejected', data: { reason: 'closed', detail: 'Rejected as closed: …' } }]);
    expect(d.next).toEqual({ kind: 'rejected' });
  });

  it('when a held lead’s turn comes, then it is routed again in a round of its own that does not count against the walk', () => {
    const d = decideHoldEnded(routing, runAt(1), 'turn');
    expect(d.events).toEqual([]);
    expect(d.next).toEqual({ kind: 'route', round: 2, exclude: [] });
    expect(d.run.walk.rounds).toBe(1);
  });

  it('when a manager releases it, then "released" is recorded by them and it is routed now, closed or not', () => {
    const manager = { userId: 'm1', role: 'manager' as const };
    const d = decideHoldEnded(routing, runAt(1), 'released', manager);
    expect(d.events).toEqual([{ body: { type: 'released', data: {} }, actor: manager }]);
    expect(d.next).toEqual({ kind: 'route', round: 2, exclude: [], ignoreSchedules: true });
  });

  it('when a manager reassigns a held lead, then the reassignment runs', () => {
    expect(decideHoldEnded(routing, runAt(1), 'reassign').next).toEqual({ kind: 'reassign' });
  });

  it('given a paced receiver whose turn is later, then the lead is routed, waits its turn holding its reservation, then is delivered', () => {
    const partner = { ...target('partner'), deliverAt: T0 + 15 * 60_000 };
    const d = decideRouted(routing, runAt(1), { kind: 'assigned', configVersion: 3, summary: 's', decisionId: 'd1', targets: [partner] }, T0);
    expect(bodies(d.events).map((e) => e.type)).toEqual(['routed', 'held']);
    expect(d.events[1]!.body).toMatchObject({ data: { why: 'paced', until: partner.deliverAt, endpointIds: ['partner'] } });
    expect(d.next).toEqual({ kind: 'pace', until: partner.deliverAt, targets: [partner] });
    expect(d.run.held).toEqual([partner.reservation]);
    const wait = d.next as Extract<RoutingStep, { kind: 'pace' }>;
    expect(decidePaceEnded(routing, d.run, wait, false).next).toEqual({ kind: 'deliver', targets: [partner] });
    const reassigned = decidePaceEnded(routing, d.run, wait, true);
    expect(reassigned.release).toEqual([handle('partner')]);
    expect(reassigned.next).toEqual({ kind: 'reassign' });
  });

  it('given a paced receiver whose turn is now, then it is delivered at once', () => {
    const partner = { ...target('partner'), deliverAt: T0 };
    expect(decideRouted(routing, runAt(1), { kind: 'assigned', configVersion: 3, summary: 's', decisionId: 'd1', targets: [partner] }, T0).next).toEqual({
      kind: 'deliver',
      targets: [partner],
    });
  });
});

describe('lifecycle: the review queue', () => {
  const ops = { userId: 'ops-1', role: 'ops' as const };
  const review = { kind: 'review' as const, configVersion: 3, summary: 'Sent to review by tier "fraud check": risk score 75 ≥ 70', decisionId: 'd1' };

  it('given a review tier caught the lead, then it waits in the review queue, saying why', () => {
    const d = decideRouted(routing, runAt(1), review, T0);
    expect(bodies(d.events)).toEqual([{ type: 'review_requested', data: { summary: review.summary } }]);
    expect(d.next).toEqual({ kind: 'review' });
    expect(evolve(routing, d.events)).toMatchObject({ status: 'review', reviewReason: review.summary, billing: 'pending' });
  });

  it('when ops approve it, then "review_approved" is theirs and it routes on, every later round past review tiers', () => {
    const d = decideReviewEnded(routing, runAt(1), { approved: true, by: ops, note: 'called the consumer' });
    expect(d.events).toEqual([{ body: { type: 'review_approved', data: { note: 'called the consumer' } }, actor: ops }]);
    expect(d.next).toEqual({ kind: 'route', round: 2, exclude: [], reviewed: true });
    expect(nextRound(routing, d.run).next).toMatchObject({ reviewed: true });
  });

  it('when ops reject it, then it is rejected against its source with their reason, unbilled', () => {
    const d = decideReviewEnded(routing, runAt(1), { approved: false, by: ops, reason: 'risk', note: 'stolen identity' });
    expect(d.events).toEqual([{ body: { type: 'rejected', data: { reason: 'risk', detail: 'rejected in review by ops-1: stolen identity' } }, actor: ops }]);
    expect(d.next).toEqual({ kind: 'rejected' });
    expect(evolve(routing, d.events)).toMatchObject({ status: 'rejected', billing: 'not_billed' });
  });

  it('when a manager reassigns a lead in review, then the reassignment runs', () => {
    expect(decideReviewEnded(routing, runAt(1), 'reassign').next).toEqual({ kind: 'reassign' });
  });
});
