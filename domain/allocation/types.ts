import type { Algorithm } from '../../schema/routing-plan.ts';
import type { TerritoryKind } from '../../schema/territory.ts';
import type { LeadGeography } from '../geo/lead-geography.ts';
import type { CapWindow } from './cap-windows.ts';
import type { PerformanceScore } from './performance.ts';
import type { CompiledPace } from './snapshot-types.ts';

export interface AllocationLead {
  id: string;
  sourceId: string;
  serviceLine: string;
  geography: LeadGeography;
  scores?: Readonly<Record<string, number>> | undefined;
  /** The source named the receiver: it gets the lead if eligible apart from territory. */
  preassignedEndpointId?: string | undefined;
  /** Endpoints that failed delivery or let this lead lapse: never chosen again for it. */
  exclude?: readonly string[] | undefined;
  /** Released by hand while everyone is closed: closed endpoints take it as if they accepted leads after hours. */
  ignoreSchedules?: boolean | undefined;
  /** What validation found, for tiers that select or pass over leads by it. */
  validation?: LeadSignals | undefined;
  /** Ops approved it in review: review tiers are passed over. */
  reviewed?: boolean | undefined;
}

/** A rotation's (or round-robin tier's) turn log, as the shell read it. */
export interface RotationState {
  /** Highest turn number taken so far (0 before the first). */
  turn: number;
  /** endpoint id → the last turn it was given; members absent here are treated as served longest ago. */
  lastTurn: Readonly<Record<string, number>>;
}

/**
 * What the shell read before calling allocate. `counts` holds slots taken per
 * scope (caps, open-unclaimed, orders, tallies); see counterScopes for the
 * scopes a lead needs. Missing scopes count as 0.
 */
export interface AllocationCounters {
  counts: ReadonlyMap<string, number>;
  rotations: ReadonlyMap<string, RotationState>;
  /** Endpoints' performance measured from their own results (read when a plan distributes by performance). */
  performance?: ReadonlyMap<string, PerformanceScore>;
}

/** What the shell must take atomically for a chosen endpoint; `limit` is the number of slots the scope allows. */
export type Reservation =
  | { kind: 'cap'; endpointId: string; scope: string; window: CapWindow; windowKey: string; limit: number; used: number }
  | { kind: 'open_unclaimed'; endpointId: string; scope: string; limit: number; used: number }
  | { kind: 'order'; endpointId: string; orderId: string; scope: string; limit: number; used: number }
  | { kind: 'turn'; endpointId: string; scope: string; turn: number }
  | { kind: 'tally'; endpointId: string; scope: string };

export type Verdict = 'chosen' | 'eligible' | 'ineligible' | 'lost';

export interface CandidateExplanation {
  endpointId: string;
  name: string;
  verdict: Verdict;
  /** Plain English for ops. */
  reason: string;
  /** The counters this candidate was judged on, e.g. { daily: "20 of 20" }. */
  counters: Record<string, string>;
}

export interface TierExplanation {
  index: number;
  name: string;
  algorithm: Algorithm | 'preassigned';
  candidates: CandidateExplanation[];
  /** Why the walk moved on, when it did. */
  outcome: string;
}

export interface Target {
  endpointId: string;
  name: string;
  /** A person, team or rotation must claim; a location, partner or buyer owns the lead on delivery. */
  claimRequired: boolean;
  claimDeadlineSec?: number;
  maxLapses?: number;
  pauseDeadlineOutsideHours?: boolean;
  /** The kind and id of the grant the endpoint holds the lead's area by; absent for rotation members, listed endpoints and the source's pick. */
  territoryKind?: TerritoryKind;
  grantId?: string;
  /** Secondary grants sell cheaper: 1 otherwise. */
  priceFactor: number;
  /** bidCents × priceFactor (a secondary holder without a bid: the source cost × priceFactor), for highest-bid and buyer billing. */
  priceCents: number;
  reservations: Reservation[];
  /** Metered deliveries (the endpoint's or the tier's pace): the shell queues the lead for a slot. */
  paces?: CompiledPace[];
}

/** What validation found that routing may act on. */
export interface LeadSignals {
  /** The chain's flags, `step:code`. */
  flags: readonly string[];
  lineType?: string | undefined;
  riskScore?: number | undefined;
  identityConfidence?: number | undefined;
}

export interface HoldPlan {
  /** The first moment an endpoint that could take the lead opens. */
  opensAt: number;
  /** That endpoint's time zone, for saying "Mon 08:00 America/Chicago". */
  zone: string;
  /** Every endpoint opening at that moment: the held leads of one market queue for them together. */
  endpointIds: string[];
  /** Their hourly capacity together (the sum of their hourly caps); null when one has none. */
  perHour: number | null;
}

export interface AllocationDecision {
  leadId: string;
  /**
   * `held`: every endpoint that could take the lead is closed now and the plan
   * holds it until the first opens; `closed`: the same, and the plan rejects
   * it; `no_coverage`: nobody covers its area and service line at all.
   */
  outcome: 'assigned' | 'broadcast' | 'no_coverage' | 'held' | 'closed' | 'review';
  /** For a held lead: when and where it can next be routed. */
  hold?: HoldPlan;
  chosen: string[];
  targets: Target[];
  tier?: { index: number; name: string; algorithm: Algorithm | 'preassigned' };
  planId: string;
  /** Eligible losers of the deciding tier, best first, with what to reserve if delivery fails over to them. */
  fallbacks: Target[];
  /** Everything the shell must reserve, all chosen endpoints together. */
  reservations: Reservation[];
  configVersion: number;
  explanation: { tiers: TierExplanation[]; summary: string; geography?: string };
}
