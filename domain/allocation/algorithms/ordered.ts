import { describePerformance, MIN_BASIS, WINDOW_DAYS } from '../performance.ts';
import type { Contender } from './types.ts';
import { byIndex, dollars, pct, type AlgorithmInput, type Ranking } from './types.ts';

function rankBy(contenders: readonly Contender[], compare: (a: Contender, b: Contender) => number, note: (c: Contender) => string, label: string): Ranking {
  const sorted = [...contenders].sort((a, b) => compare(a, b) || byIndex(a, b));
  return { ranked: sorted.map((c) => ({ contender: c, note: note(c) })), take: 1, summary: `${label}: ${note(sorted[0]!)}` };
}

/** 1 is served first. */
export const priority = ({ contenders }: AlgorithmInput) =>
  rankBy(
    contenders,
    (a, b) => a.ep.priority - b.ep.priority,
    (c) => `priority ${c.ep.priority}`,
    'highest priority',
  );

/** Without a hand-set score or enough results of its own, an endpoint stands at the middle. */
export const DEFAULT_PERFORMANCE = 50;

/** The best performer: a hand-set score where there is one, else the one measured from its own results. */
export const performance = ({ contenders, counters }: AlgorithmInput) => {
  const measured = (c: Contender) => counters.performance?.get(c.ep.id);
  const score = (c: Contender) => c.ep.performanceScore ?? measured(c)?.score ?? DEFAULT_PERFORMANCE;
  const note = (c: Contender) => {
    if (c.ep.performanceScore !== undefined) return `performance score ${c.ep.performanceScore} (hand-set)`;
    const m = measured(c);
    return m
      ? `performance score ${describePerformance(m)}`
      : `performance score ${DEFAULT_PERFORMANCE} (default: fewer than ${MIN_BASIS} leads in ${WINDOW_DAYS} days)`;
  };
  return rankBy(contenders, (a, b) => score(b) - score(a), note, 'best performance');
};

/**
 * What the receiver pays: its bid × the grant's price factor. A secondary
 * holder without a bid (overflow rights sold at a margin, not in an auction)
 * pays the lead's source cost × the factor instead.
 */
export const effectiveBid = (c: Contender) =>
  Math.round((c.ep.bidCents === 0 && c.grant?.kind === 'secondary' ? c.sourceCostCents : c.ep.bidCents) * c.priceFactor);

/** Price-based: a secondary holder's bid counts at its grant's price factor. */
export const highestBid = ({ contenders }: AlgorithmInput) =>
  rankBy(
    contenders,
    (a, b) => effectiveBid(b) - effectiveBid(a),
    (c) =>
      c.priceFactor === 1
        ? `bid ${dollars(c.ep.bidCents)}`
        : c.ep.bidCents === 0 && c.grant?.kind === 'secondary'
          ? `no bid: source cost ${dollars(c.sourceCostCents)} × ${c.priceFactor} = ${dollars(effectiveBid(c))}`
          : `bid ${dollars(c.ep.bidCents)} × ${c.priceFactor} = ${dollars(effectiveBid(c))}`,
    'highest bid',
  );

const fill = (c: Contender) => (c.judgement.order ? c.judgement.order.sold / c.judgement.order.order.committed : Infinity);

/** The order furthest from its commitment goes first; endpoints without orders come last. */
export const orderPriority = ({ contenders }: AlgorithmInput) =>
  rankBy(
    contenders,
    (a, b) => fill(a) - fill(b),
    (c) => {
      const o = c.judgement.order;
      return o ? `order ${o.order.id}: ${o.sold} of ${o.order.committed} sold (${pct(o.sold / o.order.committed)})` : 'no open order';
    },
    'least-filled order',
  );

/** First to claim wins: offer to the best N by priority at once. */
export function broadcast(input: AlgorithmInput): Ranking {
  const r = rankBy(
    input.contenders,
    (a, b) => a.ep.priority - b.ep.priority,
    (c) => `priority ${c.ep.priority}`,
    'broadcast',
  );
  const take = Math.min(input.tier.broadcastCount, r.ranked.length);
  return { ...r, take, summary: `offered to ${take} at once, first to claim wins` };
}
