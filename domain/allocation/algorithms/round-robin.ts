import type { AlgorithmInput, Ranking } from './types.ts';

/**
 * Least recently served first, by a turn number that only ever grows. A new
 * or returning member (no recent turn) is served once and then waits behind
 * everyone, so absences and roster changes never reset the rotation and never
 * give a burst; among equals the roster order decides.
 */
export function roundRobin({ tier, contenders, counters }: AlgorithmInput): Ranking {
  const state = counters.rotations.get(tier.turnScope);
  const turn = (state?.turn ?? 0) + 1;
  const last = (id: string) => state?.lastTurn[id] ?? 0;
  const sorted = [...contenders].sort((a, b) => last(a.ep.id) - last(b.ep.id) || a.ep.index - b.ep.index);
  const ranked = sorted.map((c) => {
    const l = last(c.ep.id);
    return { contender: c, note: l > 0 ? `last served on turn ${l}` : 'not served recently' };
  });
  if (ranked[0]) ranked[0].note = `${ranked[0].note}; takes turn ${turn}`;
  return { ranked, take: 1, summary: `round robin turn ${turn}`, turn: { scope: tier.turnScope, turn } };
}
