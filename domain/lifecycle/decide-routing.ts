// From a validated lead to an owner: routing rounds, deliveries with
// failover, offers, claims and lapses, escalation. Each function takes the
// lead's state, where its run stands and what a step answered, and says what
// to record, what to give back, whom to tell and what comes next.
import { HELD_ALERT_AFTER_MS } from '../alerts/alert-defaults.ts';
import { andThen, decision, letGo, settleOwner, type Decision, type Emit, type EventActor, type Notice, type RunState } from './decision.ts';
import type { LeadWorkflowInput } from './lead-input.ts';
import type { AlertReport } from './lead-events.ts';
import type { LeadState } from './lead-state.ts';
import type { RejectReason } from './lead-status.ts';
import type { DeliveryOutcome, LeadContext, RouteOutcome, RouteTarget } from './step-results.ts';

/** Routing rounds (failovers and lapses) one walk may take before the lead is escalated as undeliverable. */
export const MAX_ROUTING_ROUNDS = 10;
/** Offers that may lapse before the lead goes to the managers, unless the receiver's plan says otherwise. */
export const DEFAULT_MAX_LAPSES = 3;
/** How long an offered person has to claim, unless the receiver's plan says otherwise. */
export const DEFAULT_CLAIM_DEADLINE_SEC = 300;

export type RoutingStep =
  /** Ask routing for this round's decision. */
  | { kind: 'route'; round: number; exclude: string[]; preassignedEndpointId?: string; ignoreSchedules?: true; reviewed?: true }
  /** In the review queue: wait for ops to approve or reject it, or a manager to reassign it. */
  | { kind: 'review' }
  /** Everyone is closed: wait (durably) for the lead's turn after the first opening, or a manager. */
  | { kind: 'hold'; until: number }
  /** A paced receiver: wait for the lead's turn in its queue, then deliver. */
  | { kind: 'pace'; until: number; targets: RouteTarget[] }
  /** Deliver to every target (one, or several for a broadcast). */
  | { kind: 'deliver'; targets: RouteTarget[] }
  /** Offer the lead to these people and learn the deadline. */
  | { kind: 'offer'; endpointIds: string[]; round: number; deadlineSec: number; pauseOutsideHours: boolean; maxLapses: number }
  /** Wait for a claim, every offered person's decline, a manager's reassignment, or the deadline. */
  | { kind: 'await_claim'; endpointIds: string[]; deadlineAt: number; maxLapses: number }
  | { kind: 'owned' }
  /** Waiting for a manager: escalated, undeliverable or in the manual queue. */
  | { kind: 'escalated' }
  | { kind: 'rejected' }
  /** A manager asked for a reassignment while the lead was offered. */
  | { kind: 'reassign' };

type RoutingDecision = Decision<RoutingStep>;

const system = (body: Emit['body']): Emit => ({ body });

type Seq = Pick<LeadState, 'lastEventSeq'>;

/** The managers get the lead: it waits for their hand. */
function escalate(lead: Seq, run: RunState, kind: 'undeliverable' | 'claim_lapses' | 'manual', reason: string, before: Emit[] = []): RoutingDecision {
  const lapsedBy = run.walk.lastLapsed;
  return decision(lead, {
    events: [...before, system({ type: 'escalated', data: { kind, reason } })],
    notices: [{ kind: 'escalated', endpointIds: [], managers: true, concerns: lapsedBy ?? [], facts: { reason, ...(lapsedBy ? { lapsedBy } : {}) } }],
    run,
    next: { kind: 'escalated' },
  });
}

const MANUAL_REASON = 'manual distribution: waiting in the manager queue for hand assignment';

/** Where a lead's distribution starts: the manager queue for a manual source, else the first routing round. */
export function decideDistribution(lead: LeadState, run: RunState, input: LeadWorkflowInput, ctx: LeadContext): RoutingDecision {
  if (ctx.manualDistribution && !input.preassignedEndpointId) {
    const routed = system({
      type: 'routed',
      data: { configVersion: 0, outcome: 'manual_queue', endpointIds: [], summary: 'manual distribution is on for this source' },
    });
    return escalate(lead, run, 'manual', MANUAL_REASON, [routed]);
  }
  const walk = {
    exclude: [...(input.excludeEndpointIds ?? [])],
    lapses: 0,
    rounds: 0,
    ...(input.preassignedEndpointId ? { preassignedEndpointId: input.preassignedEndpointId } : {}),
  };
  return nextRound(lead, { ...run, walk });
}

/** The next routing round of the walk, or an escalation once the walk has run out of rounds. */
export function nextRound(lead: Seq, run: RunState): RoutingDecision {
  const { walk } = run;
  if (walk.rounds >= MAX_ROUTING_ROUNDS) return escalate(lead, run, 'undeliverable', `no delivery succeeded after ${MAX_ROUTING_ROUNDS} routing rounds`);
  const round = run.round + 1;
  const { preassignedEndpointId, ...rest } = walk;
  return decision(lead, {
    run: { ...run, round, walk: { ...rest, rounds: walk.rounds + 1 } },
    next: {
      kind: 'route',
      round,
      exclude: [...walk.exclude],
      ...(preassignedEndpointId ? { preassignedEndpointId } : {}),
      ...(walk.reviewed ? { reviewed: true } : {}),
    },
  });
}

/**
 * Routing answered. No candidate at the first routing means no coverage: the
 * lead is rejected against its source, unbilled. Later (after failovers or
 * lapses) it means nobody is left: the lead is escalated.
 */
export function decideRouted(lead: LeadState, run: RunState, route: RouteOutcome, now: number): RoutingDecision {
  const everRouted = lead.configVersion !== undefined;
  if (route.kind === 'no_coverage' || route.kind === 'closed') {
    if (!everRouted)
      return decision(lead, { events: [system({ type: 'rejected', data: { reason: route.kind, detail: route.summary } })], run, next: { kind: 'rejected' } });
    return escalate(lead, run, run.walk.lapses > 0 ? 'claim_lapses' : 'undeliverable', `no eligible endpoint is left: ${route.summary}`);
  }
  if (route.kind === 'review') {
    return decision(lead, { events: [system({ type: 'review_requested', data: { summary: route.summary } })], run, next: { kind: 'review' } });
  }
  if (route.kind === 'held') {
    // Managers hear of a lead that will wait long (a night, a weekend), not of one waiting minutes for an opening.
    const long = route.until - now > HELD_ALERT_AFTER_MS;
    return decision(lead, {
      events: [system({ type: 'held', data: { why: 'closed', until: route.until, zone: route.zone, endpointIds: [], summary: route.summary } })],
      notices: long ? [{ kind: 'held', endpointIds: [], managers: true, facts: { reason: route.summary, until: route.until } }] : [],
      run,
      next: { kind: 'hold', until: route.until },
    });
  }
  if (route.kind === 'manual_queue') {
    const routed = system({ type: 'routed', data: { configVersion: route.configVersion, outcome: 'manual_queue', endpointIds: [], summary: route.summary } });
    return escalate(lead, run, 'manual', MANUAL_REASON, [routed]);
  }
  const held = route.targets.flatMap((t) => (t.reservation ? [t.reservation] : []));
  const routed = system({
    type: 'routed',
    data: {
      configVersion: route.configVersion,
      outcome: route.kind,
      endpointIds: route.targets.map((t) => t.endpointId),
      summary: route.summary,
      ...(route.tier ? { tier: route.tier } : {}),
      ...(route.algorithm ? { algorithm: route.algorithm } : {}),
    },
  });
  const paced = route.targets.filter((t) => t.deliverAt !== undefined && t.deliverAt > now);
  if (paced.length > 0) {
    const until = Math.max(...paced.map((t) => t.deliverAt!));
    const names = paced.map((t) => t.name).join(', ');
    const wait = system({
      type: 'held',
      data: {
        why: 'paced',
        until,
        endpointIds: paced.map((t) => t.endpointId),
        summary: `Paced: ${names} take${paced.length === 1 ? 's' : ''} leads at a set pace; this one waits its turn in the queue`,
      },
    });
    return decision(lead, { events: [routed, wait], run: { ...run, held: [...run.held, ...held] }, next: { kind: 'pace', until, targets: route.targets } });
  }
  return decision(lead, { events: [routed], run: { ...run, held: [...run.held, ...held] }, next: { kind: 'deliver', targets: route.targets } });
}

/**
 * A held lead's wait ended: its turn came (it is routed again, with the caps
 * and turns of this moment, in a round that does not count against the
 * walk's), a manager released it by hand (routed now, closed or not), or a
 * manager reassigned it.
 */
export function decideHoldEnded(lead: LeadState, run: RunState, how: 'turn' | 'released' | 'reassign', by?: EventActor): RoutingDecision {
  if (how === 'reassign') return decision(lead, { run, next: { kind: 'reassign' } });
  const round = run.round + 1;
  const events: Emit[] = how === 'released' ? [{ body: { type: 'released', data: {} }, ...(by ? { actor: by } : {}) }] : [];
  return decision(lead, {
    events,
    run: { ...run, round },
    next: { kind: 'route', round, exclude: [...run.walk.exclude], ...(how === 'released' ? { ignoreSchedules: true as const } : {}) },
  });
}

export type ReviewVerdict = { approved: true; by: EventActor; note?: string } | { approved: false; by: EventActor; reason: RejectReason; note?: string };

/**
 * The review queue ended for a lead: approved, it routes on in a round of
 * its own and every later round passes review tiers over; rejected, it is
 * rejected against its source with the reviewer's reason, unbilled; or a
 * manager reassigned it.
 */
export function decideReviewEnded(lead: LeadState, run: RunState, verdict: ReviewVerdict | 'reassign'): RoutingDecision {
  if (verdict === 'reassign') return decision(lead, { run, next: { kind: 'reassign' } });
  if (!verdict.approved) {
    const detail = `rejected in review by ${verdict.by.userId}${verdict.note ? `: ${verdict.note}` : ''}`;
    return decision(lead, {
      events: [{ body: { type: 'rejected', data: { reason: verdict.reason, detail } }, actor: verdict.by }],
      run,
      next: { kind: 'rejected' },
    });
  }
  const approved: Emit = { body: { type: 'review_approved', data: verdict.note ? { note: verdict.note } : {} }, actor: verdict.by };
  const round = run.round + 1;
  return decision(lead, {
    events: [approved],
    run: { ...run, round, walk: { ...run.walk, reviewed: true } },
    next: { kind: 'route', round, exclude: [...run.walk.exclude], reviewed: true },
  });
}

/** A paced lead's turn came: it is delivered now; or a manager reassigned it meanwhile and it gives its reservations back. */
export function decidePaceEnded(lead: LeadState, run: RunState, wait: Extract<RoutingStep, { kind: 'pace' }>, reassignRequested: boolean): RoutingDecision {
  if (!reassignRequested) return decision(lead, { run, next: { kind: 'deliver', targets: wait.targets } });
  const released = letGo(
    run,
    wait.targets.map((t) => t.endpointId),
  );
  return decision(lead, { release: released.handles, run: released.run, next: { kind: 'reassign' } });
}

function deliveryEvents(outcomes: readonly DeliveryOutcome[]): Emit[] {
  return outcomes.map((o) =>
    o.ok
      ? system({
          type: 'delivered',
          data: {
            endpointId: o.target.endpointId,
            method: o.receipt.method,
            idempotencyKey: o.idempotencyKey,
            ...(o.target.priceCents ? { priceCents: o.target.priceCents } : {}),
          },
        })
      : system({ type: 'delivery_failed', data: { endpointId: o.target.endpointId, reason: o.reason } }),
  );
}

/**
 * Deliveries ended. A receiver that kept failing gives its reservation back
 * and is never chosen again for this lead; with nobody delivered the lead
 * fails over to the next round. A receiver that does not claim (a location, a
 * partner, a buyer) owns the lead on delivery; people are offered it.
 */
export function decideDelivered(lead: LeadState, run: RunState, outcomes: readonly DeliveryOutcome[]): RoutingDecision {
  const events = deliveryEvents(outcomes);
  const failed = outcomes.filter((o) => !o.ok).map((o) => o.target.endpointId);
  const delivered = outcomes.filter((o) => o.ok).map((o) => o.target);
  const afterFailures = letGo(run, failed);
  const walked: RunState = { ...afterFailures.run, walk: { ...run.walk, exclude: [...run.walk.exclude, ...failed] } };
  if (delivered.length === 0) return andThen(lead, decision(lead, { events, release: afterFailures.handles, run: walked, next: null }), nextRound);
  const claimers = delivered.filter((t) => t.claimRequired);
  if (claimers.length === 0) {
    const owner = delivered[0]!;
    const others = letGo(
      walked,
      delivered.slice(1).map((t) => t.endpointId),
    );
    const settled = settleOwner(others.run, owner.endpointId);
    return decision(lead, {
      events: [...events, system({ type: 'assigned', data: { endpointId: owner.endpointId, by: 'delivery' } })],
      release: [...afterFailures.handles, ...others.handles],
      settle: settled.handles,
      run: settled.run,
      next: { kind: 'owned' },
    });
  }
  const first = claimers[0]!;
  return decision(lead, {
    events,
    release: afterFailures.handles,
    run: walked,
    next: {
      kind: 'offer',
      endpointIds: claimers.map((t) => t.endpointId),
      round: lead.offerRound + 1,
      deadlineSec: first.claimDeadlineSec ?? DEFAULT_CLAIM_DEADLINE_SEC,
      pauseOutsideHours: !!first.pauseDeadlineOutsideHours,
      maxLapses: first.maxLapses ?? DEFAULT_MAX_LAPSES,
    },
  });
}

/** The offer is out: the lead waits for a claim until the deadline the offer step computed. */
export function decideOffered(lead: LeadState, run: RunState, offer: Extract<RoutingStep, { kind: 'offer' }>, deadlineAt: number): RoutingDecision {
  const offered: Omit<Notice, 'key'> = { kind: 'offered', endpointIds: offer.endpointIds, facts: { round: offer.round, deadlineAt } };
  const lapsedBy = run.walk.lastLapsed;
  // After a lapse the managers hear who let it lapse and who has it now.
  const reoffered: Array<Omit<Notice, 'key'>> = lapsedBy
    ? [{ kind: 'lapsed', endpointIds: [], managers: true, concerns: [...lapsedBy, ...offer.endpointIds], facts: { lapsedBy, nowWith: offer.endpointIds } }]
    : [];
  const { lastLapsed: _told, ...walk } = run.walk;
  return decision(lead, {
    events: [system({ type: 'offered', data: { endpointIds: offer.endpointIds, deadlineAt, round: offer.round } })],
    notices: [offered, ...reoffered],
    run: { ...run, walk },
    next: { kind: 'await_claim', endpointIds: offer.endpointIds, deadlineAt, maxLapses: offer.maxLapses },
  });
}

/**
 * The wait for a claim ended. Claimed: the others give their reservations
 * back and hear so. A manager's reassignment: the offer is withdrawn.
 * Otherwise the offer lapsed (the deadline passed, or everyone declined): the
 * lead goes to the next eligible person, never back to those who let it
 * lapse, until the plan's allowed lapses are used up and the managers get it.
 */
export function decideOfferEnded(
  lead: LeadState,
  run: RunState,
  wait: Extract<RoutingStep, { kind: 'await_claim' }>,
  reassignRequested: boolean,
): RoutingDecision {
  const offered = wait.endpointIds;
  const owner = lead.ownerEndpointId;
  if (owner) {
    const others = offered.filter((id) => id !== owner);
    const released = letGo(run, others);
    const settled = settleOwner(released.run, owner);
    return decision(lead, {
      release: released.handles,
      settle: settled.handles,
      notices: others.length > 0 ? [{ kind: 'claimed', endpointIds: others, facts: {} }] : [],
      run: settled.run,
      next: { kind: 'owned' },
    });
  }
  const released = letGo(run, offered);
  if (reassignRequested) return decision(lead, { release: released.handles, run: released.run, next: { kind: 'reassign' } });

  const lapsed = system({ type: 'lapsed', data: { endpointIds: offered, round: lead.offerRound } });
  const lapses = run.walk.lapses + 1;
  const walked: RunState = { ...released.run, walk: { ...run.walk, exclude: [...run.walk.exclude, ...offered], lapses, lastLapsed: offered } };
  const lapseNotice = { kind: 'lapsed' as const, endpointIds: offered, facts: { lapsedBy: offered } };
  const lapse = decision(lead, { events: [lapsed], release: released.handles, notices: [lapseNotice], run: walked, next: null });
  if (lapses >= wait.maxLapses)
    return andThen(lead, lapse, (l, r) => escalate(l, r, 'claim_lapses', `${lapses} offer(s) lapsed unclaimed; escalated to the manager queue`));
  return andThen(lead, lapse, nextRound);
}

/** What the alerts of a notice reached: recorded on the lead when there was anyone to tell. */
export function decideAlerted(report: AlertReport): Emit[] {
  if (report.sent.length + report.failed.length + report.skipped.length === 0) return [];
  return [system({ type: 'alerted', data: report })];
}

/** Stable per lead × endpoint: every attempt, retry and replay of a delivery carries it, so the receiver sees one lead. */
export const deliveryKey = (workflowId: string, endpointId: string) => `${workflowId}:${endpointId}`;
