import { describe, expect, it } from 'vitest';
import { haversineMiles } from './distance.ts';
import { loadZipDataset } from './load-zip-dataset.ts';
import { resolveGeography } from './resolve-geography.ts';

describe('offline ZIP dataset', () => {
  it('knows state, county FIPS, coordinates and time zone of a ZIP', async () => {
    const ds = await loadZipDataset();
    expect(ds.size).toBeGreaterThan(40_000);
    expect(ds.lookup('75201')).toMatchObject({ state: 'TX', countyFips: '48113', countyName: 'Dallas', timeZone: 'America/Chicago' });
    expect(ds.lookup('10001')).toMatchObject({ state: 'NY', countyFips: '36061', timeZone: 'America/New_York' });
    expect(ds.lookup('85004')?.timeZone).toBe('America/Phoenix');
  });

  it('fills every ZIP with a time zone', async () => {
    const ds = await loadZipDataset();
    expect(
      ds
        .all()
        .filter((r) => !r.timeZone)
        .map((r) => r.zip),
    ).toEqual([]);
  });
});

describe('haversineMiles', () => {
  it('measures great-circle distance', () => {
    // Dallas City Hall to Fort Worth City Hall is about 30 miles as the crow flies.
    expect(haversineMiles(32.7763, -96.7969, 32.7555, -97.3308)).toBeCloseTo(31.1, 0);
    expect(haversineMiles(40, -100, 40, -100)).toBe(0);
  });
});

describe('resolveGeography', () => {
  it('keeps a ZIP that matches the state', async () => {
    const r = resolveGeography(await loadZipDataset(), { zip: '75201', city: 'Dallas', state: 'TX' });
    expect(r).toMatchObject({ ok: true, value: { zip: '75201', resolution: { from: 'zip', reason: 'zip_matched' } } });
  });

  it('resolves a missing ZIP from city and state and says so', async () => {
    const ds = await loadZipDataset();
    const r = resolveGeography(ds, { city: 'Plano', state: 'tx' });
    if (!r.ok) throw new Error(r.message);
    expect(r.value.state).toBe('TX');
    expect(ds.lookup(r.value.zip)?.city).toBe('Plano');
    expect(r.value).toMatchObject({ resolution: { from: 'city_state', reason: 'zip_missing' }, countyFips: '48085' });
    expect(r.value.resolution.note).toMatch(/^the lead had no ZIP; resolved to \d{5} from Plano, TX$/);
  });

  it('replaces a ZIP from another state when the city is known', async () => {
    const r = resolveGeography(await loadZipDataset(), { zip: '10001', city: 'Austin', state: 'TX' });
    expect(r).toMatchObject({ ok: true, value: { state: 'TX', resolution: { from: 'city_state', reason: 'zip_state_mismatch' } } });
  });

  it('trims ZIP+4 and reports an unresolvable address instead of throwing', async () => {
    const ds = await loadZipDataset();
    expect(resolveGeography(ds, { zip: '75201-1234' })).toMatchObject({ ok: true, value: { zip: '75201' } });
    expect(resolveGeography(ds, { zip: '7520', city: 'Nowhereville', state: 'TX' })).toMatchObject({ ok: false, reason: 'unresolvable' });
  });
});
