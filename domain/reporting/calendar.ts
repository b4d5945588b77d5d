/**
 * Calendar arithmetic for reports, all in code (the database is never asked to
 * bucket dates). Days are local dates in the tenant's time zone, written
 * "YYYY-MM-DD" so they sort and compare as strings; months are "YYYY-MM".
 */

const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();
const dayCache = new Map<string, Map<number, string>>();
const QUARTER_HOUR = 900_000;

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    // en-CA formats dates as YYYY-MM-DD.
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(timeZone, f);
  }
  return f;
}

/**
 * The local date of an instant in a time zone. Every zone's offset and every
 * DST change falls on a quarter hour, so the local date is constant within an
 * aligned UTC quarter hour: the answer is cached per quarter hour.
 */
export function localDay(at: number, timeZone: string): string {
  let cache = dayCache.get(timeZone);
  if (!cache) {
    cache = new Map();
    dayCache.set(timeZone, cache);
  }
  const slot = Math.floor(at / QUARTER_HOUR);
  let day = cache.get(slot);
  if (day === undefined) {
    if (cache.size > 200_000) cache.clear();
    day = formatter(timeZone).format(at);
    cache.set(slot, day);
  }
  return day;
}

export const monthOf = (day: string): string => day.slice(0, 7);

const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH_RE = /^(\d{4})-(\d{2})$/;

/** Days since 1970-01-01 of a local date; undefined if it is not a real date. */
export function dayNumber(day: string): number | undefined {
  const m = DAY_RE.exec(day);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = Date.UTC(y, mo - 1, d);
  const back = new Date(t);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return undefined;
  return t / DAY_MS;
}

export const isDay = (s: string) => dayNumber(s) !== undefined;
export function isMonth(s: string): boolean {
  const m = MONTH_RE.exec(s);
  return !!m && Number(m[2]) >= 1 && Number(m[2]) <= 12;
}

export function dayFromNumber(n: number): string {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

export function addDays(day: string, n: number): string {
  return dayFromNumber(dayNumber(day)! + n);
}

/** Inclusive count of days from `from` to `to`. */
export function daysBetween(from: string, to: string): number {
  return dayNumber(to)! - dayNumber(from)! + 1;
}

export function daysOf(from: string, to: string): string[] {
  const a = dayNumber(from)!;
  const b = dayNumber(to)!;
  const out: string[] = [];
  for (let n = a; n <= b; n++) out.push(dayFromNumber(n));
  return out;
}

export function monthRange(month: string): { from: string; to: string } {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const from = `${month}-01`;
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { from, to: `${month}-${String(last).padStart(2, '0')}` };
}

/** Monday of the ISO week holding `day`. */
export function weekStart(day: string): string {
  const n = dayNumber(day)!;
  const weekday = (n + 3) % 7; // 1970-01-01 was a Thursday: 0 = Monday
  return dayFromNumber(n - weekday);
}

export type TimeGrain = 'day' | 'week' | 'month';

/** The first day of the period of `grain` holding `day`. */
export function periodStart(day: string, grain: TimeGrain): string {
  if (grain === 'day') return day;
  if (grain === 'week') return weekStart(day);
  return `${monthOf(day)}-01`;
}

/** Splits [from, to] into the sub-ranges of each period of `grain` (clipped to the range). */
export function periodsOf(from: string, to: string, grain: TimeGrain | undefined): Array<{ period: string; from: string; to: string }> {
  if (!grain) return [{ period: from, from, to }];
  const out: Array<{ period: string; from: string; to: string }> = [];
  let cur = from;
  while (cur <= to) {
    const start = periodStart(cur, grain);
    let end: string;
    if (grain === 'day') end = cur;
    else if (grain === 'week') end = addDays(start, 6);
    else end = monthRange(monthOf(cur)).to;
    if (end > to) end = to;
    out.push({ period: start, from: cur, to: end });
    cur = addDays(end, 1);
  }
  return out;
}

/** Largest span of a pre-merged rollup block, in days. */
export const MAX_BLOCK_SPAN = 32;
export const BLOCK_SPANS = [1, 2, 4, 8, 16, 32] as const;

/**
 * Covers [from, to] with aligned power-of-two blocks of days (a block of span
 * s starts on a day number divisible by s). Any 30-day range takes at most
 * ten blocks, so a report reads a handful of pre-merged documents instead of
 * one per day.
 */
export function dyadicBlocks(from: string, to: string): Array<{ span: number; start: string }> {
  let a = dayNumber(from)!;
  const b = dayNumber(to)!;
  const out: Array<{ span: number; start: string }> = [];
  while (a <= b) {
    let span = MAX_BLOCK_SPAN;
    while (span > 1 && (a % span !== 0 || a + span - 1 > b)) span /= 2;
    out.push({ span, start: dayFromNumber(a) });
    a += span;
  }
  return out;
}

/** The aligned block of `span` days holding `day`. */
export function blockStart(day: string, span: number): string {
  const n = dayNumber(day)!;
  return dayFromNumber(n - (((n % span) + span) % span));
}
