import { z } from 'zod';

/** USPS codes of the states, DC and the inhabited territories. */
export const US_STATE_CODES = [
  'AL',
  'AK',
  'AZ',
  'AR',
  'CA',
  'CO',
  'CT',
  'DE',
  'DC',
  'FL',
  'GA',
  'HI',
  'ID',
  'IL',
  'IN',
  'IA',
  'KS',
  'KY',
  'LA',
  'ME',
  'MD',
  'MA',
  'MI',
  'MN',
  'MS',
  'MO',
  'MT',
  'NE',
  'NV',
  'NH',
  'NJ',
  'NM',
  'NY',
  'NC',
  'ND',
  'OH',
  'OK',
  'OR',
  'PA',
  'RI',
  'SC',
  'SD',
  'TN',
  'TX',
  'UT',
  'VT',
  'VA',
  'WA',
  'WV',
  'WI',
  'WY',
  'PR',
  'VI',
  'GU',
  'AS',
  'MP',
] as const;
export type UsStateCode = (typeof US_STATE_CODES)[number];
const STATE_SET: ReadonlySet<string> = new Set(US_STATE_CODES);

// Error messages quote the offending value so that a list item can be named
// by its value rather than by an index an ops person has to count to.
const quoted = (v: unknown) => JSON.stringify(v);

export const IdSchema = z
  .string({ error: 'must be an id (text)' })
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$/, { error: (iss) => `${quoted(iss.input)} is not a valid id (letters, digits, . _ : -)` });

export const NameSchema = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');

export const ZipSchema = z
  .string({
    error: (iss) =>
      typeof iss.input === 'number'
        ? `${iss.input} is a number: write ZIPs in quotes ("${String(iss.input).padStart(5, '0')}") so leading zeros survive`
        : `${quoted(iss.input)} is not a ZIP`,
  })
  .regex(/^\d{5}$/, { error: (iss) => `${quoted(iss.input)} is not a ZIP` });

export const StateCodeSchema = z
  .string({ error: (iss) => `${quoted(iss.input)} is not a US state code` })
  .refine((s) => STATE_SET.has(s), { error: (iss) => `${quoted(iss.input)} is not a US state code` });

export const CountyFipsSchema = z
  .string({ error: (iss) => `${quoted(iss.input)} is not a county FIPS code` })
  .regex(/^\d{5}$/, { error: (iss) => `${quoted(iss.input)} is not a county FIPS code (5 digits, state + county)` });

export const ServiceLineSchema = z
  .string({ error: (iss) => `${quoted(iss.input)} is not a service line id` })
  .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, { error: (iss) => `${quoted(iss.input)} is not a service line id (lower-case letters, digits, - or _)` });

export const CentsSchema = z.number({ error: 'must be an amount in integer cents' }).int('must be an amount in integer cents').min(0, 'must not be negative');

export const CountSchema = z.number({ error: 'must be a whole number' }).int('must be a whole number').min(0, 'must not be negative');

const zoneCache = new Map<string, boolean>();
function isTimeZone(tz: string): boolean {
  let ok = zoneCache.get(tz);
  if (ok === undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
      ok = tz.includes('/') || tz === 'UTC';
    } catch {
      ok = false;
    }
    zoneCache.set(tz, ok);
  }
  return ok;
}

export const TimeZoneSchema = z
  .string({ error: 'must be an IANA time zone such as "America/Chicago"' })
  .refine(isTimeZone, { error: (iss) => `${quoted(iss.input)} is not an IANA time zone (for example "America/Chicago")` });

const DURATION_UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };

/**
 * A duration in seconds; YAML authors may write "48h", "7d" or "30m" instead
 * of counting seconds. Export always writes seconds.
 */
export const DurationSecSchema = z.union([
  CountSchema,
  z.string().transform((s, ctx) => {
    const m = /^\s*(\d+)\s*([smhdw])\s*$/.exec(s);
    if (!m) {
      ctx.addIssue({ code: 'custom', message: `${quoted(s)} is not a duration (seconds, or a number with s, m, h, d or w)` });
      return z.NEVER;
    }
    return Number(m[1]) * (DURATION_UNITS[m[2]!] ?? 1);
  }),
]);

export const DateSchema = z
  .string({ error: (iss) => `${quoted(iss.input)} is not a date (YYYY-MM-DD)` })
  .regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, { error: (iss) => `${quoted(iss.input)} is not a date (YYYY-MM-DD)` });
