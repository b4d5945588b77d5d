import { describe, expect, it } from 'vitest';
import { compileSchedule, nextOpening } from './schedule.ts';

const weekdays = { mon: ['08:00-17:00'], tue: ['08:00-17:00'], wed: ['08:00-17:00'], thu: ['08:00-17:00'], fri: ['08:00-17:00'] };
const chicago = (holidays: string[] = []) => compileSchedule({ timeZone: 'America/Chicago', hours: weekdays, holidays, acceptAfterHours: false });
const iso = (t: number | undefined) => (t === undefined ? undefined : new Date(t).toISOString());

describe('the next opening of a schedule', () => {
  it('a Saturday 23:00 lead finds Monday 08:00 local', () => {
    // Saturday 2026-12-05 23:00 CST = Sunday 05:00 UTC; Monday 08:00 CST = 14:00 UTC.
    expect(iso(nextOpening(chicago(), Date.UTC(2026, 11, 6, 5, 0)))).toBe('2026-12-07T14:00:00.000Z');
  });

  it('is now when it is open', () => {
    const t = Date.UTC(2026, 11, 7, 15, 30);
    expect(nextOpening(chicago(), t)).toBe(t);
  });

  it('later today when the day has not opened yet', () => {
    expect(iso(nextOpening(chicago(), Date.UTC(2026, 11, 7, 12, 0)))).toBe('2026-12-07T14:00:00.000Z');
  });

  it('across the spring-forward weekend: Monday 08:00 is CDT, an hour earlier in UTC', () => {
    // Saturday 2027-03-13 23:00 CST; clocks go forward on Sunday 2027-03-14.
    expect(iso(nextOpening(chicago(), Date.UTC(2027, 2, 14, 5, 0)))).toBe('2027-03-15T13:00:00.000Z');
  });

  it('across the fall-back weekend: Monday 08:00 is CST again', () => {
    expect(iso(nextOpening(chicago(), Date.UTC(2026, 10, 1, 4, 0)))).toBe('2026-11-02T14:00:00.000Z');
  });

  it('skips a holiday', () => {
    expect(iso(nextOpening(chicago(['2026-12-07']), Date.UTC(2026, 11, 6, 5, 0)))).toBe('2026-12-08T14:00:00.000Z');
  });

  it('an opening inside the skipped hour of spring forward moves to the first open minute', () => {
    const s = compileSchedule({ timeZone: 'America/Chicago', hours: { sun: ['02:30-05:00'] }, holidays: [], acceptAfterHours: false });
    // Sunday 2027-03-14 02:30 does not exist in Chicago; 03:00 CDT = 08:00 UTC.
    expect(iso(nextOpening(s, Date.UTC(2027, 2, 14, 6, 0)))).toBe('2027-03-14T08:00:00.000Z');
  });

  it('is undefined for a schedule that never opens', () => {
    expect(
      nextOpening(compileSchedule({ timeZone: 'America/Chicago', hours: {}, holidays: [], acceptAfterHours: false }), Date.UTC(2026, 11, 6)),
    ).toBeUndefined();
  });
});
