import { describe, expect, it } from 'vitest';
import { describePerformance, performanceScore } from './performance.ts';

const base = { delivered: 40, offered: 40, claimed: 36, returned: 4, medianClaimMs: 3 * 60_000, contacted: 30, won: 6 };

describe('performance from outcomes', () => {
  it('weighs claim (rate × speed), contact, wins and returns by the documented formula', () => {
    const p = performanceScore(base)!;
    // speed: 100 × (30 − 3) / 29 = 93.1; claim = 0.9 × 93.1 = 83.8; contact 75; won 6/40/0.25 = 60; kept 90.
    expect(p.parts).toEqual({ claim: 84, contact: 75, won: 60, kept: 90 });
    expect(p.score).toBe(Math.round((30 * 83.79 + 25 * 75 + 25 * 60 + 20 * 90) / 100));
    expect(describePerformance(p)).toBe(`${p.score} (contact 75, won 60, kept 90, claim 84; 40 leads in 30 days)`);
  });

  it('leaves the claim part out for endpoints that own leads on delivery', () => {
    const p = performanceScore({ ...base, offered: 0, claimed: 0, medianClaimMs: null })!;
    expect(p.parts.claim).toBeUndefined();
    expect(p.score).toBe(Math.round((25 * 75 + 25 * 60 + 20 * 90) / 70));
  });

  it('a slow claimer scores lower than a fast one; a lapse-prone one lower still', () => {
    const fast = performanceScore({ ...base, medianClaimMs: 30_000 })!.score;
    const slow = performanceScore({ ...base, medianClaimMs: 25 * 60_000 })!.score;
    const lapsing = performanceScore({ ...base, claimed: 10, medianClaimMs: 25 * 60_000 })!.score;
    expect(fast).toBeGreaterThan(slow);
    expect(slow).toBeGreaterThan(lapsing);
  });

  it('says nothing below five delivered leads', () => {
    expect(performanceScore({ ...base, delivered: 4 })).toBeUndefined();
  });
});
