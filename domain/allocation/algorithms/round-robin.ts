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
  // Each contender's last turn read once; no named closure per call (the loader names each one, measurably).
  const served = contenders.map((c) => ({ c, l: state?.lastTurn[c.ep.id] ?? 0 }));
  served.sort((a, b) => a.l - b.l || a.c.ep.index - b.c.ep.index);
  const ranked = served.map(({ c, l }) => ({ contender: c, note: l > 0 ? `last served on turn ${l}` : 'not served recently' }));
  if (ranked[0]) ranked[0].note = `${ranked[0].note}; takes turn ${turn}`;
  return { ranked, take: 1, summary: `round robin turn ${turn}`, turn: { scope: tier.turnScope, turn } };
}
