import { civilFromDays, isoDate, localTime, pad2, type LocalTime } from './zone-clock.ts';

export const CAP_WINDOWS = ['hourly', 'daily', 'weekly', 'monthly'] as const;
export type CapWindow = (typeof CAP_WINDOWS)[number];
export type CapWindowKeys = Record<CapWindow, string>;

function isoWeek(lt: LocalTime): string {
  // The ISO week belongs to the year of its Thursday.
  const thursday = lt.dayNumber - lt.weekday + 3;
  const th = civilFromDays(thursday);
  const jan1 = daysFromCivil(th.year, 1, 1);
  const week = Math.floor((thursday - jan1) / 7) + 1;
  return `${th.year}-W${pad2(week)}`;
}

function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

function formatOffset(min: number): string {
  const sign = min < 0 ? '-' : '+';
  const a = Math.abs(min);
  return `${sign}${pad2(Math.floor(a / 60))}:${pad2(a % 60)}`;
}

/**
 * The keys of the cap windows containing `now`, on the endpoint's own wall
 * clock: its day starts at its midnight, its week on its Monday (ISO weeks).
 * The hour key carries the UTC offset so the repeated hour of a fall-back
 * night is two windows, not one twice as long.
 */
export function capWindowKeysInZone(zone: string, now: number): CapWindowKeys {
  // Windows turn over on quarter-hours at the finest (half-hour zones), so a key set holds for its quarter-hour.
  const bucket = Math.floor(now / 900_000);
  const hit = keyCache.get(zone);
  if (hit && hit.bucket === bucket) return hit.keys;
  const keys = computeKeys(zone, now);
  keyCache.set(zone, { bucket, keys });
  return keys;
}

const keyCache = new Map<string, { bucket: number; keys: CapWindowKeys }>();

function computeKeys(zone: string, now: number): CapWindowKeys {
  const lt = localTime(zone, now);
  const day = isoDate(lt);
  return {
    hourly: `${day}T${pad2(lt.hour)}${formatOffset(lt.offsetMinutes)}`,
    daily: day,
    weekly: isoWeek(lt),
    monthly: `${lt.year}-${pad2(lt.month)}`,
  };
}

/** Cap window keys for an endpoint (its schedule's zone, else the tenant's). */
export function capWindowKeys(
  endpoint: { timeZone: string } | { schedule?: { timeZone: string } | undefined },
  now: number,
  tenantTimeZone = 'America/New_York',
): CapWindowKeys {
  const zone = 'timeZone' in endpoint ? endpoint.timeZone : (endpoint.schedule?.timeZone ?? tenantTimeZone);
  return capWindowKeysInZone(zone, now);
}
