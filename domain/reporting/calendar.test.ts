import { describe, expect, it } from 'vitest';
import { blockStart, dayNumber, daysBetween, daysOf, dyadicBlocks, isMonth, localDay, monthRange, periodsOf, weekStart } from './calendar.ts';

describe('report calendar', () => {
  it('buckets instants into the local day of the tenant zone, across DST changes', () => {
    // 2026-03-08 is the spring-forward Sunday in the US.
    expect(localDay(Date.UTC(2026, 2, 8, 5, 59), 'America/Chicago')).toBe('2026-03-07');
    expect(localDay(Date.UTC(2026, 2, 8, 6, 0), 'America/Chicago')).toBe('2026-03-08');
    // After the change Chicago is UTC−5: local midnight is 05:00 UTC.
    expect(localDay(Date.UTC(2026, 2, 9, 4, 59), 'America/Chicago')).toBe('2026-03-08');
    expect(localDay(Date.UTC(2026, 2, 9, 5, 0), 'America/Chicago')).toBe('2026-03-09');
    expect(localDay(Date.UTC(2026, 2, 9, 5, 0), 'Asia/Kolkata')).toBe('2026-03-09');
    expect(localDay(Date.UTC(2026, 2, 8, 18, 29), 'Asia/Kolkata')).toBe('2026-03-08');
    expect(localDay(Date.UTC(2026, 2, 8, 18, 30), 'Asia/Kolkata')).toBe('2026-03-09');
  });

  it('knows real dates and months', () => {
    expect(dayNumber('2026-02-29')).toBeUndefined();
    expect(dayNumber('2028-02-29')).toBeDefined();
    expect(dayNumber('2026-13-01')).toBeUndefined();
    expect(isMonth('2026-12')).toBe(true);
    expect(isMonth('2026-00')).toBe(false);
    expect(monthRange('2028-02')).toEqual({ from: '2028-02-01', to: '2028-02-29' });
    expect(daysBetween('2026-01-30', '2026-03-01')).toBe(31);
    expect(weekStart('2026-03-08')).toBe('2026-03-02'); // a Sunday → its Monday
    expect(weekStart('2026-03-09')).toBe('2026-03-09');
  });

  it('covers any range exactly with few aligned blocks', () => {
    const all = daysOf('2026-01-01', '2027-12-31');
    const at = (day: string, plus: number) => all[all.indexOf(day) + plus]!;
    for (let offset = 0; offset < 64; offset++) {
      for (const len of [1, 7, 30, 31, 90]) {
        const from = all[offset]!;
        const to = at(from, len - 1);
        const blocks = dyadicBlocks(from, to);
        const covered = blocks.flatMap((b) => daysOf(b.start, at(b.start, b.span - 1)));
        expect(covered).toEqual(daysOf(from, to));
        for (const b of blocks) expect(blockStart(b.start, b.span)).toBe(b.start);
        if (len <= 31) expect(blocks.length).toBeLessThanOrEqual(10);
      }
    }
  });

  it('splits a range into periods of a grain, clipped to the range', () => {
    expect(periodsOf('2026-01-28', '2026-03-02', 'month')).toEqual([
      { period: '2026-01-01', from: '2026-01-28', to: '2026-01-31' },
      { period: '2026-02-01', from: '2026-02-01', to: '2026-02-28' },
      { period: '2026-03-01', from: '2026-03-01', to: '2026-03-02' },
    ]);
    expect(periodsOf('2026-03-04', '2026-03-17', 'week').map((p) => [p.period, p.from, p.to])).toEqual([
      ['2026-03-02', '2026-03-04', '2026-03-08'],
      ['2026-03-09', '2026-03-09', '2026-03-15'],
      ['2026-03-16', '2026-03-16', '2026-03-17'],
    ]);
    expect(periodsOf('2026-03-04', '2026-03-06', 'day')).toHaveLength(3);
    expect(periodsOf('2026-03-04', '2026-03-06', undefined)).toEqual([{ period: '2026-03-04', from: '2026-03-04', to: '2026-03-06' }]);
  });
});
