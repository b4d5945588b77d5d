import type { AlertKind } from '../../schema/alert-settings.ts';
import type { NoticeFacts } from '../alerts/alert-text.ts';
import type { Audience } from '../alerts/recipients.ts';
import type { HeldReservation, ReservationHandle } from '../allocation/reservation-handle.ts';
import type { Actor } from './actor.ts';
import type { LeadEventBody } from './lead-events.ts';
import type { LeadState } from './lead-state.ts';

/** Who an event is attributed to; the workflow itself when absent. */
export type EventActor = Pick<Actor, 'userId' | 'role'>;

export interface Emit {
  body: LeadEventBody;
  actor?: EventActor;
}

export type NoticeKind = AlertKind;

/**
 * Someone must hear of something: an alert to the people it names (see
 * `Audience`), written in words by `domain/alerts/alert-text.ts` from its
 * kind and facts.
 */
export interface Notice extends Audience {
  kind: NoticeKind;
  endpointIds: string[];
  facts: NoticeFacts;
  /** Derived from the lead's event sequence: a replay or retry sends the same notice under the same key. */
  key: string;
}

/**
 * Where a lead's routing stands, beside what its events say: the numbered
 * routing rounds (each round's decision and reservations carry its number),
 * what the lead holds, and the current assignment walk.
 */
export interface RunState {
  round: number;
  held: HeldReservation[];
  walk: Walk;
}

/** One walk through the plan: from the first routing to an owner, an escalation or a rejection. */
export interface Walk {
  /** Everyone who failed delivery or let an offer lapse in this walk: never chosen again for this lead. */
  exclude: string[];
  lapses: number;
  /** Routing rounds this walk has run. */
  rounds: number;
  /** Who let the last offer lapse, until the next offer says who has it now. */
  lastLapsed?: string[];
  /** The receiver the source (or a manager) named, for the walk's first round only. */
  preassignedEndpointId?: string;
  /** Ops approved the lead in review: every later round passes review tiers over. */
  reviewed?: true;
}

export const initialRun = (): RunState => ({ round: 0, held: [], walk: { exclude: [], lapses: 0, rounds: 0 } });

/** What the workflow must do about one input: record these events, give back these reservations, send these notices, then go on to `next`. */
export interface Decision<Next> {
  events: Emit[];
  /** Give back everything held under these handles. */
  release: ReservationHandle[];
  /** Give back only what lasts until the lead has an owner (the open-unclaimed unit). */
  settle: ReservationHandle[];
  notices: Notice[];
  run: RunState;
  next: Next;
}

interface DecisionParts<Next> {
  events?: Emit[];
  release?: ReservationHandle[];
  settle?: ReservationHandle[];
  notices?: Array<Omit<Notice, 'key'>>;
  run: RunState;
  next: Next;
}

/** Assembles a decision; notice keys are the sequence number of the decision's last event. */
export function decision<Next>(lead: Pick<LeadState, 'lastEventSeq'> | undefined, parts: DecisionParts<Next>): Decision<Next> {
  const events = parts.events ?? [];
  const key = String((lead?.lastEventSeq ?? 0) + events.length);
  return {
    events,
    release: parts.release ?? [],
    settle: parts.settle ?? [],
    notices: (parts.notices ?? []).map((n) => ({ ...n, key })),
    run: parts.run,
    next: parts.next,
  };
}

/** The reservations held at these endpoints, and the run without them. */
export function letGo(run: RunState, endpointIds: readonly string[]): { handles: ReservationHandle[]; run: RunState } {
  const ids = new Set(endpointIds);
  const handles = run.held.filter((h) => ids.has(h.endpointId)).map(({ leadId, round, endpointId }) => ({ leadId, round, endpointId }));
  return { handles, run: { ...run, held: run.held.filter((h) => !ids.has(h.endpointId)) } };
}

/** The owner's units that last only until the lead has an owner, and the run with them marked given back. */
export function settleOwner(run: RunState, endpointId: string): { handles: ReservationHandle[]; run: RunState } {
  const handles = run.held
    .filter((h) => h.endpointId === endpointId && h.untilOwned)
    .map(({ leadId, round, endpointId: e }) => ({ leadId, round, endpointId: e }));
  return { handles, run: { ...run, held: run.held.map((h) => (h.endpointId === endpointId ? { ...h, untilOwned: false } : h)) } };
}

/**
 * One decision followed by another made on its outcome: the second sees the
 * run the first left and numbers its notices after the first's events.
 */
export function andThen<A, B>(
  lead: Pick<LeadState, 'lastEventSeq'>,
  first: Decision<A>,
  then: (lead: Pick<LeadState, 'lastEventSeq'>, run: RunState) => Decision<B>,
): Decision<B> {
  const second = then({ lastEventSeq: lead.lastEventSeq + first.events.length }, first.run);
  return {
    events: [...first.events, ...second.events],
    release: [...first.release, ...second.release],
    settle: [...first.settle, ...second.settle],
    notices: [...first.notices, ...second.notices],
    run: second.run,
    next: second.next,
  };
}
