import { haversineMiles } from './distance.ts';
import type { GeographyResolution, LeadGeography, ResolutionReason, ResolvedFrom } from './lead-geography.ts';
import type { ZipDataset, ZipRecord } from './zip-dataset.ts';

export interface AddressInput {
  zip?: string | undefined;
  city?: string | undefined;
  state?: string | undefined;
}

/** A lead geography with everything the ZIP dataset knows, and how the ZIP was settled. */
export type ResolvedGeography = LeadGeography & ZipRecord & { resolution: GeographyResolution };

export type GeographyResult = { ok: true; value: ResolvedGeography } | { ok: false; reason: 'unresolvable'; message: string };

function toResolved(r: ZipRecord, resolvedFrom: ResolvedFrom, reason: ResolutionReason, note: string): ResolvedGeography {
  const out: ResolvedGeography = { zip: r.zip, city: r.city, state: r.state, lat: r.lat, lon: r.lon, resolution: { from: resolvedFrom, reason, note } };
  if (r.countyFips) out.countyFips = r.countyFips;
  if (r.countyName) out.countyName = r.countyName;
  if (r.timeZone) out.timeZone = r.timeZone;
  return out;
}

/** The city's most central ZIP: a stable, defensible pick when the address gives no ZIP. */
function centralZip(zips: readonly ZipRecord[]): ZipRecord {
  const lat = zips.reduce((a, z) => a + z.lat, 0) / zips.length;
  const lon = zips.reduce((a, z) => a + z.lon, 0) / zips.length;
  let best = zips[0]!;
  let bestD = Infinity;
  for (const z of zips) {
    const d = haversineMiles(lat, lon, z.lat, z.lon);
    if (d < bestD) [best, bestD] = [z, d];
  }
  return best;
}

/**
 * Settles a lead's ZIP, state, county, coordinates and time zone. A missing,
 * malformed, unknown or other-state ZIP is replaced from city + state when the
 * dataset knows the city; the result says which happened.
 */
export function resolveGeography(ds: ZipDataset, input: AddressInput): GeographyResult {
  const raw = input.zip?.trim() ?? '';
  const state = input.state?.trim().toUpperCase() || undefined;
  const city = input.city?.trim() || undefined;
  const five = /^(\d{5})(-?\d{4})?$/.exec(raw)?.[1];
  const rec = five ? ds.lookup(five) : undefined;

  if (rec && (!state || state === rec.state))
    return { ok: true, value: toResolved(rec, 'zip', 'zip_matched', `ZIP ${rec.zip} is in ${rec.city}, ${rec.state}`) };

  const reason: ResolutionReason = raw === '' ? 'zip_missing' : !five ? 'zip_malformed' : !rec ? 'zip_unknown' : 'zip_state_mismatch';
  const cityZips = city && state ? ds.byCity(city, state) : [];
  if (cityZips.length > 0) {
    // A ZIP that exists in the named city is kept even if the state was what disagreed.
    const inCity = rec && cityZips.find((z) => z.zip === rec.zip);
    const pick = inCity ?? centralZip(cityZips);
    const why = {
      zip_missing: 'the lead had no ZIP',
      zip_malformed: `"${raw}" is not a ZIP`,
      zip_unknown: `ZIP ${five} does not exist`,
      zip_state_mismatch: `ZIP ${five} is in ${rec?.state}, not ${state}`,
      zip_matched: '',
    }[reason];
    return { ok: true, value: toResolved(pick, 'city_state', reason, `${why}; resolved to ${pick.zip} from ${pick.city}, ${pick.state}`) };
  }
  if (rec) {
    // The state disagrees and the city does not help: the ZIP is the more precise of the two.
    return { ok: true, value: toResolved(rec, 'zip', 'zip_state_mismatch', `ZIP ${rec.zip} is in ${rec.state}, not ${state}; kept the ZIP`) };
  }
  const where = city && state ? `${city}, ${state} is not a known city` : 'no city and state to fall back on';
  return { ok: false, reason: 'unresolvable', message: `${raw === '' ? 'no ZIP' : `ZIP "${raw}" is unknown`} and ${where}` };
}
