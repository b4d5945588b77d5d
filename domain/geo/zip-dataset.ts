import { STATE_FIPS } from './state-fips.ts';

export interface ZipRecord {
  zip: string;
  city: string;
  state: string;
  /** 5 digits: state FIPS + county code. */
  countyFips?: string;
  countyName?: string;
  lat: number;
  lon: number;
  timeZone?: string;
}

/** A row as the upstream dataset gives it (GeoNames postal codes). */
export interface RawZipRow {
  zipCode: string;
  placeName: string;
  stateCode: string;
  countyName?: string;
  countyCode?: string;
  latitude: number;
  longitude: number;
}

export interface ZipDataset {
  readonly size: number;
  lookup(zip: string): ZipRecord | undefined;
  /** Every ZIP of a city, in ZIP order. */
  byCity(city: string, state: string): readonly ZipRecord[];
  all(): readonly ZipRecord[];
}

/** Case, punctuation and "Saint"/"St." spellings differ between sources. */
export function normalizeCity(city: string): string {
  return city
    .toLowerCase()
    .replace(/[.,'’]/g, '')
    .replace(/\bsaint\b/g, 'st')
    .replace(/\bfort\b/g, 'ft')
    .replace(/\bmount\b/g, 'mt')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Territories the ZIP → zone table leaves out; each has a single zone. */
const TERRITORY_ZONES: Readonly<Record<string, string>> = {
  PR: 'America/Puerto_Rico',
  VI: 'America/St_Thomas',
  GU: 'Pacific/Guam',
  MP: 'Pacific/Saipan',
  AS: 'Pacific/Pago_Pago',
  MH: 'Pacific/Majuro',
  PW: 'Pacific/Palau',
  FM: 'Pacific/Pohnpei',
};

function majority(values: Iterable<string>): string | undefined {
  const n = new Map<string, number>();
  for (const v of values) n.set(v, (n.get(v) ?? 0) + 1);
  let best: string | undefined;
  let bestN = 0;
  for (const [v, c] of n) if (c > bestN || (c === bestN && best !== undefined && v < best)) [best, bestN] = [v, c];
  return best;
}

/**
 * Builds the lookup structures from raw rows and a ZIP → time zone function.
 * ZIPs the time-zone table lacks take their county's most common zone, then
 * their state's: zones follow county lines almost everywhere in the US.
 */
export function buildZipDataset(rows: readonly RawZipRow[], zoneOf: (zip: string) => string | null | undefined): ZipDataset {
  const byZip = new Map<string, ZipRecord>();
  for (const r of rows) {
    if (!/^\d{5}$/.test(r.zipCode) || !r.stateCode || byZip.has(r.zipCode)) continue;
    const stateFips = STATE_FIPS[r.stateCode];
    const rec: ZipRecord = {
      zip: r.zipCode,
      city: r.placeName,
      state: r.stateCode,
      lat: r.latitude,
      lon: r.longitude,
    };
    if (stateFips && r.countyCode && /^\d{3}$/.test(r.countyCode)) rec.countyFips = stateFips + r.countyCode;
    if (r.countyName) rec.countyName = r.countyName;
    const tz = zoneOf(r.zipCode);
    if (tz) rec.timeZone = tz;
    byZip.set(r.zipCode, rec);
  }
  const sorted = [...byZip.values()].sort((a, b) => (a.zip < b.zip ? -1 : 1));

  const zonesBy = (key: (r: ZipRecord) => string | undefined) => {
    const m = new Map<string, string[]>();
    for (const r of sorted) {
      const k = key(r);
      if (k && r.timeZone) m.set(k, [...(m.get(k) ?? []), r.timeZone]);
    }
    return new Map([...m].map(([k, v]) => [k, majority(v)!]));
  };
  const countyZone = zonesBy((r) => r.countyFips);
  const stateZone = zonesBy((r) => r.state);
  for (const r of sorted) {
    if (r.timeZone) continue;
    const tz = (r.countyFips && countyZone.get(r.countyFips)) || stateZone.get(r.state) || TERRITORY_ZONES[r.state];
    if (tz) r.timeZone = tz;
  }

  const cities = new Map<string, ZipRecord[]>();
  for (const r of sorted) {
    const k = `${normalizeCity(r.city)}|${r.state}`;
    const list = cities.get(k);
    if (list) list.push(r);
    else cities.set(k, [r]);
  }
  return {
    size: sorted.length,
    lookup: (zip) => byZip.get(zip),
    byCity: (city, state) => cities.get(`${normalizeCity(city)}|${state.toUpperCase()}`) ?? [],
    all: () => sorted,
  };
}
