/** Wall-clock facts about one instant in one IANA zone. */
export interface LocalTime {
  year: number;
  month: number; // 1..12
  day: number; // 1..31
  /** 0 = Monday … 6 = Sunday */
  weekday: number;
  hour: number;
  minuteOfDay: number;
  /** Days since 1970-01-01 in local time. */
  dayNumber: number;
  offsetMinutes: number;
}

const QUARTER_HOUR = 15 * 60_000;
const DAY = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();
// Every real-world offset change happens on a quarter-hour in UTC, so the
// offset found at the start of a quarter-hour holds for all of it: one Intl
// call per zone per 15 minutes instead of one per lead.
const offsetCache = new Map<string, { bucket: number; offset: number }>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

function computeOffsetMinutes(zone: string, t: number): number {
  const p: Record<string, number> = {};
  for (const part of formatter(zone).formatToParts(t)) if (part.type !== 'literal') p[part.type] = Number(part.value);
  const asUtc = Date.UTC(p.year!, p.month! - 1, p.day, p.hour, p.minute, p.second);
  return Math.round((asUtc - (t - (t % 1000))) / 60_000);
}

export function offsetMinutes(zone: string, t: number): number {
  const bucket = Math.floor(t / QUARTER_HOUR);
  const hit = offsetCache.get(zone);
  if (hit && hit.bucket === bucket) return hit.offset;
  const offset = computeOffsetMinutes(zone, bucket * QUARTER_HOUR);
  offsetCache.set(zone, { bucket, offset });
  return offset;
}

/** Civil date from a day count (proleptic Gregorian), without allocating a Date. */
export function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

export function localTime(zone: string, t: number): LocalTime {
  const offset = offsetMinutes(zone, t);
  const local = t + offset * 60_000;
  const dayNumber = Math.floor(local / DAY);
  const msOfDay = local - dayNumber * DAY;
  const minuteOfDay = Math.floor(msOfDay / 60_000);
  const { year, month, day } = civilFromDays(dayNumber);
  // 1970-01-01 was a Thursday (index 3 with Monday = 0).
  const weekday = (((dayNumber + 3) % 7) + 7) % 7;
  return { year, month, day, weekday, hour: Math.floor(minuteOfDay / 60), minuteOfDay, dayNumber, offsetMinutes: offset };
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));
export const isoDate = (lt: Pick<LocalTime, 'year' | 'month' | 'day'>) => `${lt.year}-${pad2(lt.month)}-${pad2(lt.day)}`;
export const WEEKDAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;
export const hhmm = (minuteOfDay: number) => `${pad2(Math.floor(minuteOfDay / 60))}:${pad2(minuteOfDay % 60)}`;
export { pad2 };

const WEEKDAY_SHORT = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;

/** "Mon 2026-12-07 08:00 America/Chicago": an instant as the people in that zone read it. */
export function localWhen(zone: string, t: number): string {
  const lt = localTime(zone, t);
  return `${WEEKDAY_SHORT[lt.weekday]} ${isoDate(lt)} ${hhmm(lt.minuteOfDay)} ${zone}`;
}
