import { describe, expect, it } from 'vitest';
import { enoughSamples, formatGrowthTable, growthRows, grows, ms, parseSizes, quantile, sizeLabel, summarize, type GrowthResult } from './growth-table.ts';

describe('parseSizes', () => {
  it('reads plain numbers and k/M suffixes, sorted and without repeats', () => {
    expect(parseSizes('10000,1000, 100k,1k')).toEqual([1000, 10_000, 100_000]);
    expect(parseSizes('1_000,1.5k,1m')).toEqual([1000, 1500, 1_000_000]);
  });
  it('refuses what is not a size', () => {
    expect(() => parseSizes('')).toThrow(/at least one/);
    expect(() => parseSizes('ten')).toThrow(/not a number/);
    expect(() => parseSizes('0')).toThrow(/whole number/);
    expect(() => parseSizes('1.5')).toThrow(/whole number/);
  });
});

describe('sampling', () => {
  const policy = { runs: 5, slowMs: 100, slowRuns: 2, verySlowMs: 1000 };
  it('takes `runs` samples of a fast query', () => {
    expect(enoughSamples([1, 2, 3, 4], policy)).toBe(false);
    expect(enoughSamples([1, 2, 3, 4, 5], policy)).toBe(true);
  });
  it('stops a slow query after `slowRuns` samples', () => {
    expect(enoughSamples([150], policy)).toBe(false);
    expect(enoughSamples([150, 90], policy)).toBe(true);
  });
  it('stops a very slow query after one sample', () => {
    expect(enoughSamples([], policy)).toBe(false);
    expect(enoughSamples([1500], policy)).toBe(true);
  });
});

describe('quantile and summarize', () => {
  it('uses the nearest rank', () => {
    const xs = Array.from({ length: 100 }, (_, i) => 100 - i); // 100..1, unsorted
    expect(quantile(xs, 0.5)).toBe(50);
    expect(quantile(xs, 0.99)).toBe(99);
    expect(quantile([7], 0.99)).toBe(7);
    expect(quantile([], 0.5)).toBeNaN();
    expect(summarize([3, 1, 2])).toEqual({ n: 3, median: 2, p99: 3 });
  });
});

describe('growthRows', () => {
  const r = (query: string, size: number, median: number): GrowthResult => ({ query, size, n: 30, median, p99: median * 2 });
  it('puts each query on one row, sizes in order, with largest over smallest', () => {
    const rows = growthRows(
      [r('list', 1000, 2), r('scan', 1000, 1), r('list', 100_000, 3), r('scan', 10_000, 10), r('scan', 100_000, 100)],
      [1000, 10_000, 100_000],
    );
    expect(rows.map((x) => x.query)).toEqual(['list', 'scan']);
    expect(rows[0]!.cells.map((c) => c?.median)).toEqual([2, undefined, 3]);
    expect(rows[0]!.ratio).toBeCloseTo(1.5);
    expect(rows[1]!.ratio).toBe(100);
    expect(grows(rows[0]!)).toBe(false);
    expect(grows(rows[1]!)).toBe(true);
  });
  it('gives no ratio for a single size or a zero median', () => {
    expect(growthRows([r('a', 1000, 2)], [1000, 10_000])[0]!.ratio).toBeUndefined();
    expect(growthRows([r('a', 1000, 0), r('a', 10_000, 2)], [1000, 10_000])[0]!.ratio).toBeUndefined();
  });
  it('gives no ratio unless the first and last sizes were both measured', () => {
    expect(growthRows([r('a', 10_000, 2), r('a', 100_000, 8)], [1000, 10_000, 100_000])[0]!.ratio).toBeUndefined();
    expect(growthRows([r('a', 1000, 2), r('a', 10_000, 8)], [1000, 10_000, 100_000])[0]!.ratio).toBeUndefined();
    expect(growthRows([r('a', 1000, 2), r('a', 100_000, 8)], [1000, 10_000, 100_000])[0]!.ratio).toBe(4);
  });
});

describe('formatting', () => {
  it('labels sizes and milliseconds compactly', () => {
    expect([1000, 10_000, 100_000, 1500, 999, 2_000_000].map(sizeLabel)).toEqual(['1k', '10k', '100k', '1.5k', '999', '2M']);
    expect([0.4123, 4.123, 41.23, 412.3, Number.NaN, undefined].map(ms)).toEqual(['0.412', '4.12', '41.2', '412', 'n/a', 'n/a']);
  });
  it('prints a Markdown table with the growing rows in bold', () => {
    const rows = growthRows(
      [
        { query: 'list', size: 1000, n: 30, median: 2, p99: 3 },
        { query: 'list', size: 100_000, n: 30, median: 2.5, p99: 4 },
        { query: 'scan', size: 1000, n: 30, median: 10, p99: 12 },
        { query: 'scan', size: 100_000, n: 3, median: 900, p99: 950 },
      ],
      [1000, 100_000],
    );
    expect(formatGrowthTable(rows, [1000, 100_000]).split('\n')).toEqual([
      '| query | 1k median (p99) ms | 100k median (p99) ms | 100k/1k |',
      '| --- | ---: | ---: | ---: |',
      '| list | 2.00 (3.00) | 2.50 (4.00) | 1.3× |',
      '| scan | 10.0 (12.0) | 900 (950) | **90.0×** |',
    ]);
  });
});
