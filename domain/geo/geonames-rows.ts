import type { RawZipRow } from './zip-dataset.ts';

/**
 * Rows of a GeoNames postal-code file (tab-separated: country, postal code,
 * place, state name, state code, county name, county code, community name and
 * code, latitude, longitude, accuracy), as the ZIP dataset takes them. Lines
 * without a usable code or coordinates are left out.
 */
export function parseGeoNamesRows(text: string): RawZipRow[] {
  const rows: RawZipRow[] = [];
  for (const line of text.split('\n')) {
    const f = line.split('\t');
    if (f.length < 11) continue;
    const [, zipCode = '', placeName = '', , stateCode = '', countyName = '', countyCode = ''] = f;
    const latitude = Number(f[9]);
    const longitude = Number(f[10]);
    if (!zipCode || !stateCode || f[9] === '' || f[10] === '' || !Number.isFinite(latitude) || !Number.isFinite(longitude)) continue;
    rows.push({
      zipCode,
      placeName,
      stateCode,
      ...(countyName ? { countyName } : {}),
      ...(countyCode ? { countyCode } : {}),
      latitude,
      longitude,
    });
  }
  return rows;
}
