import { pct, type AlgorithmInput, type Ranking } from './types.ts';

/**
 * Deterministic deficit method: the member furthest below its share of the
 * split (after this lead) goes next, so the split converges without drawing
 * random numbers. Shares are renormalised over the members eligible now.
 */
export function percentage({ tier, contenders, counters }: AlgorithmInput): Ranking {
  const target = (id: string) => tier.percentages?.get(id) ?? 0;
  const totalTarget = contenders.reduce((a, c) => a + target(c.ep.id), 0);
  const share = (id: string) => (totalTarget > 0 ? target(id) / totalTarget : 1 / contenders.length);
  const count = (id: string) => counters.counts.get(tier.tallyPrefix + id) ?? 0;
  const n = contenders.reduce((a, c) => a + count(c.ep.id), 0);
  const deficit = (id: string) => share(id) * (n + 1) - count(id);
  const sorted = [...contenders].sort((a, b) => deficit(b.ep.id) - deficit(a.ep.id) || a.ep.index - b.ep.index);
  const note = (id: string) => `target ${pct(share(id))}, has ${count(id)} of ${n}${n > 0 ? ` (${pct(count(id) / n)})` : ''}`;
  return {
    ranked: sorted.map((c) => ({ contender: c, note: note(c.ep.id) })),
    take: 1,
    summary: `percentage split, ${note(sorted[0]!.ep.id)}`,
    tally: true,
  };
}
