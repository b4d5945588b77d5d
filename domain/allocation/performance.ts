/** What an endpoint's own results over the rolling window say (a report row of the endpoint). */
export interface EndpointOutcomes {
  delivered: number;
  offered: number;
  claimed: number;
  returned: number;
  /** Median time from delivery to claim, ms; null when nothing was claimed. */
  medianClaimMs: number | null;
  /** Leads that reached contacted or further (appointment, qualified, won), each once. */
  contacted: number;
  won: number;
}

export interface PerformanceScore {
  /** 0–100 */
  score: number;
  /** Each part 0–100; `claim` only for endpoints that claim (people and rotations). */
  parts: { claim?: number; contact: number; won: number; kept: number };
  /** Delivered leads in the window the score rests on. */
  basis: number;
}

/** Below this many delivered leads in the window the configured score is used: a handful of leads says little. */
export const MIN_BASIS = 5;
export const WINDOW_DAYS = 30;
const WEIGHTS = { claim: 30, contact: 25, won: 25, kept: 20 } as const;
const FAST_MS = 60_000;
const SLOW_MS = 30 * 60_000;
/** A win rate of 25% or more earns the whole "won" part. */
const FULL_WIN_RATE = 0.25;

const clamp = (x: number) => Math.max(0, Math.min(100, x));

/**
 * An endpoint's performance from its own measured results over the last
 * WINDOW_DAYS days, 0–100, the weighted mean of four parts:
 * - claim (weight 30, only for endpoints offered leads): claim rate × speed,
 *   speed 100 at a median delivery-to-claim of 1 minute or less, falling
 *   linearly to 0 at 30 minutes;
 * - contact (25): the share of delivered leads that reached contacted,
 *   appointment, qualified or won;
 * - won (25): the win rate, full marks from 25%;
 * - kept (20): the share of delivered leads not returned.
 * Undefined below MIN_BASIS delivered leads.
 */
export function performanceScore(o: EndpointOutcomes): PerformanceScore | undefined {
  if (o.delivered < MIN_BASIS) return undefined;
  const parts: PerformanceScore['parts'] = {
    contact: clamp((100 * o.contacted) / o.delivered),
    won: clamp((100 * o.won) / o.delivered / FULL_WIN_RATE),
    kept: clamp(100 * (1 - o.returned / o.delivered)),
  };
  if (o.offered > 0) {
    const speed = o.medianClaimMs === null ? 0 : clamp((100 * (SLOW_MS - Math.max(FAST_MS, o.medianClaimMs))) / (SLOW_MS - FAST_MS));
    parts.claim = clamp((o.claimed / o.offered) * speed);
  }
  const weighted = Object.entries(parts) as Array<[keyof typeof WEIGHTS, number]>;
  const total = weighted.reduce((a, [k]) => a + WEIGHTS[k], 0);
  const score = weighted.reduce((a, [k, v]) => a + WEIGHTS[k] * v, 0) / total;
  return { score: Math.round(score), parts: Object.fromEntries(weighted.map(([k, v]) => [k, Math.round(v)])) as PerformanceScore['parts'], basis: o.delivered };
}

/** "72 (claim 80, contact 70, won 60, kept 90; 40 leads in 30 days)" */
export function describePerformance(p: PerformanceScore): string {
  const parts = Object.entries(p.parts)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  return `${p.score} (${parts}; ${p.basis} leads in ${WINDOW_DAYS} days)`;
}
