import type { TerritoryKind } from '../../../schema/territory.ts';
import type { Judgement } from '../eligibility.ts';
import type { CompiledEndpoint, CompiledTier } from '../snapshot-types.ts';
import type { AllocationCounters } from '../types.ts';

/** An eligible candidate of a tier, with what the territory lookup found. */
export interface Contender {
  ep: CompiledEndpoint;
  judgement: Judgement;
  priceFactor: number;
  /** The grant the endpoint holds the lead's area by (none for a rotation member, a listed endpoint or the source's pick). */
  grant?: { id: string; kind: TerritoryKind } | undefined;
  /** What the lead cost its source: a secondary holder without a bid pays this × its price factor. */
  sourceCostCents: number;
  /** e.g. "exclusive holder of 75201 for plumbing" */
  standing: string;
}

export interface AlgorithmInput {
  tier: CompiledTier;
  contenders: readonly Contender[];
  counters: AllocationCounters;
  random: () => number;
}

export interface Ranked {
  contender: Contender;
  /** The algorithm's numbers for this contender, in words. */
  note: string;
}

export interface Ranking {
  /** Every contender, best first. */
  ranked: Ranked[];
  /** How many from the top are chosen (more than one only for broadcast). */
  take: number;
  /** The deciding numbers, for the decision's summary. */
  summary: string;
  /** A round-robin turn the first contender must claim. */
  turn?: { scope: string; turn: number };
  /** Percentage splits count every assignment per member. */
  tally?: boolean;
}

export const byIndex = (a: Contender, b: Contender) => a.ep.index - b.ep.index;
export const dollars = (cents: number) => `$${(cents / 100).toFixed(2)}`;
export const pct = (x: number) => `${(Math.round(x * 1000) / 10).toString()}%`;
