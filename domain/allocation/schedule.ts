import { WEEKDAYS, type Schedule } from '../../schema/endpoint.ts';
import { hhmm, isoDate, localTime, WEEKDAY_NAMES } from './zone-clock.ts';

/** Opening ranges per weekday (0 = Monday) in minutes of the local day, half-open. */
export interface CompiledSchedule {
  zone: string;
  ranges: ReadonlyArray<ReadonlyArray<readonly [number, number]>>;
  holidays: ReadonlySet<string>;
  /** The holidays as local day numbers (days since 1970-01-01), so the hot check builds no date string. */
  holidayDays: ReadonlySet<number>;
  acceptAfterHours: boolean;
}

const toMinutes = (hm: string) => Number(hm.slice(0, 2)) * 60 + Number(hm.slice(3, 5));

export function compileSchedule(s: Schedule): CompiledSchedule {
  const ranges: Array<Array<[number, number]>> = WEEKDAYS.map(() => []);
  WEEKDAYS.forEach((day, i) => {
    for (const r of s.hours[day] ?? []) {
      const [open, close] = r.split('-').map(toMinutes) as [number, number];
      if (close > open) ranges[i]!.push([open, close]);
      else {
        // Past midnight: the tail belongs to the next weekday.
        ranges[i]!.push([open, 1440]);
        if (close > 0) ranges[(i + 1) % 7]!.push([0, close]);
      }
    }
  });
  const holidayDays = new Set(s.holidays.map((d) => Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)) - 1, Number(d.slice(8, 10))) / 86_400_000));
  return { zone: s.timeZone, ranges, holidays: new Set(s.holidays), holidayDays, acceptAfterHours: s.acceptAfterHours };
}

export type OpenState = { open: true } | { open: false; why: 'closed' | 'holiday'; local: string };

const OPEN: OpenState = { open: true };

// Runs for every candidate of every lead: the words are built only for a closed endpoint, which needs them.
export function openStateAt(s: CompiledSchedule, now: number): OpenState {
  const lt = localTime(s.zone, now);
  const holiday = s.holidayDays.has(lt.dayNumber);
  if (!holiday) for (const [a, b] of s.ranges[lt.weekday]!) if (lt.minuteOfDay >= a && lt.minuteOfDay < b) return OPEN;
  const local = `${WEEKDAY_NAMES[lt.weekday]} ${hhmm(lt.minuteOfDay)} in ${s.zone}`;
  return holiday ? { open: false, why: 'holiday', local: `${isoDate(lt)} (${local})` } : { open: false, why: 'closed', local };
}

/**
 * The first instant at or after `from` when the schedule is open, within
 * `horizonDays`; undefined if it never opens in that time. Walks opening
 * ranges day by day on the endpoint's own wall clock (holidays skipped), and
 * corrects for a UTC offset change (daylight saving) between `from` and the
 * opening.
 */
export function nextOpening(s: CompiledSchedule, from: number, horizonDays = 21): number | undefined {
  if (openStateAt(s, from).open) return from;
  const fromOffset = localTime(s.zone, from).offsetMinutes;
  const shift = (t: number) => t + (fromOffset - localTime(s.zone, t).offsetMinutes) * 60_000;
  const start = localTime(s.zone, from);
  const fromMinute = from - (from % 60_000);
  for (let d = 0; d <= horizonDays; d++) {
    // Local midnight d days on, as the offset at `from` would have it.
    const midnight = fromMinute - start.minuteOfDay * 60_000 + d * 86_400_000;
    const day = localTime(s.zone, shift(midnight + 12 * 3_600_000)); // noon: a moment surely inside that local day
    if (s.holidays.has(isoDate(day))) continue;
    for (const [a] of s.ranges[day.weekday]!) {
      const candidate = shift(midnight + a * 60_000);
      if (candidate <= from) continue;
      if (openStateAt(s, candidate).open) return candidate;
      // The opening minute fell into a skipped hour (spring forward): the first open minute after it.
      for (let m = 1; m <= 120; m++) if (openStateAt(s, candidate + m * 60_000).open) return candidate + m * 60_000;
    }
    // A range running past the current minute today (opened earlier, still open) is caught by the first check.
  }
  return undefined;
}
