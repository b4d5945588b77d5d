import { WEEKDAYS, type Schedule } from '../../schema/endpoint.ts';
import { hhmm, isoDate, localTime, WEEKDAY_NAMES } from './zone-clock.ts';

/** Opening ranges per weekday (0 = Monday) in minutes of the local day, half-open. */
export interface CompiledSchedule {
  zone: string;
  ranges: ReadonlyArray<ReadonlyArray<readonly [number, number]>>;
  holidays: ReadonlySet<string>;
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
  return { zone: s.timeZone, ranges, holidays: new Set(s.holidays), acceptAfterHours: s.acceptAfterHours };
}

export type OpenState = { open: true; local: string } | { open: false; why: 'closed' | 'holiday'; local: string };

export function openStateAt(s: CompiledSchedule, now: number): OpenState {
  const lt = localTime(s.zone, now);
  const local = `${WEEKDAY_NAMES[lt.weekday]} ${hhmm(lt.minuteOfDay)} in ${s.zone}`;
  const date = isoDate(lt);
  if (s.holidays.has(date)) return { open: false, why: 'holiday', local: `${date} (${local})` };
  for (const [a, b] of s.ranges[lt.weekday]!) if (lt.minuteOfDay >= a && lt.minuteOfDay < b) return { open: true, local };
  return { open: false, why: 'closed', local };
}
