import { describe, expect, it } from 'vitest';
import { seededRandom } from '../allocation/random.ts';
import { bucketOf, bucketValue, HISTOGRAM_RELATIVE_ERROR, histogramCount, mergeInto, percentile, record, type Histogram } from './histogram.ts';

describe('duration histogram', () => {
  it('reads every duration back within the stated relative error', () => {
    expect(HISTOGRAM_RELATIVE_ERROR).toBeCloseTo(0.0443, 3);
    for (const ms of [1, 2, 3, 7, 150, 999, 60_000, 3_600_000, 30 * 86_400_000]) {
      const back = bucketValue(bucketOf(ms));
      expect(Math.abs(back - ms) / ms).toBeLessThanOrEqual(HISTOGRAM_RELATIVE_ERROR + 1e-12);
    }
    expect(bucketOf(0)).toBe(0);
    expect(bucketOf(-5)).toBe(0);
    expect(bucketValue(0)).toBe(0);
  });

  it('gives nearest-rank percentiles close to the exact ones', () => {
    const rand = seededRandom(7);
    const values = Array.from({ length: 5000 }, () => Math.round(Math.exp(rand() * 14)));
    const h: Histogram = {};
    for (const v of values) record(h, v);
    values.sort((a, b) => a - b);
    for (const p of [0.5, 0.9, 0.99]) {
      const exact = values[Math.ceil(p * values.length) - 1]!;
      const approx = percentile(h, p)!;
      expect(Math.abs(approx - exact) / exact).toBeLessThanOrEqual(HISTOGRAM_RELATIVE_ERROR + 0.01);
    }
  });

  it('merges by adding counts, so the percentile of a merge is the percentile of the union', () => {
    const a: Histogram = {};
    const b: Histogram = {};
    const both: Histogram = {};
    for (let i = 1; i <= 300; i++) {
      record(i % 2 ? a : b, i * 1000);
      record(both, i * 1000);
    }
    const merged = mergeInto(mergeInto({}, a), b);
    expect(merged).toEqual(both);
    expect(histogramCount(merged)).toBe(300);
    expect(percentile(merged, 0.5)).toBe(percentile(both, 0.5));
  });

  it('has no percentile when empty', () => {
    expect(percentile({}, 0.5)).toBeUndefined();
  });
});
