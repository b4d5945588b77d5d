import { beforeAll, describe, expect, it } from 'vitest';
import { importConfig } from '../config-import.ts';
import { loadZipDataset } from '../geo/load-zip-dataset.ts';
import type { ZipDataset } from '../geo/zip-dataset.ts';
import { allocate } from './allocate.ts';
import { compileSnapshot } from './compile-snapshot.ts';
import { exclusiveConflicts } from './exclusive-conflicts.ts';
import { MemoryCounters } from './memory-counters.ts';
import { lead, MONDAY_MORNING } from './test-network.ts';

let ds: ZipDataset;
beforeAll(async () => {
  ds = await loadZipDataset();
});

function conflictsOf(endpoints: string, territories = '') {
  const r = importConfig(`tenant: { id: t, name: T, timeZone: America/Chicago }\nendpoints:\n${endpoints}\n${territories}`);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return { doc: r.value, conflicts: exclusiveConflicts(r.value, ds).map((c) => `${c.path.join('.')}: ${c.message}`) };
}

describe('exclusive grants judged by effective coverage', () => {
  it('a carve-out makes room for the grant it was written for: the pair imports, and the carved ZIP routes to the second holder', () => {
    const { doc, conflicts } =
      conflictsOf(`  - { id: uptown, name: Uptown, kind: location, territories: [{ kind: exclusive, zipRanges: ['75201-75210'], serviceLines: [plumbing] }, { kind: carve_out, zips: ['75205'], serviceLines: [plumbing] }] }
  - { id: highland, name: Highland Park, kind: location, territories: [{ kind: exclusive, zips: ['75205'], serviceLines: [plumbing] }] }`);
    expect(conflicts).toEqual([]);
    const snap = compileSnapshot(doc, 1);
    const to = (zip: string) => allocate({ lead: lead(zip, { zip }), snapshot: snap, counters: new MemoryCounters(), now: MONDAY_MORNING, random: 0 }).chosen;
    expect(to('75205')).toEqual(['highland']);
    expect(to('75206')).toEqual(['uptown']);
  });

  it('names both holders and the overlapping area when ZIP lists and ranges overlap', () => {
    expect(
      conflictsOf(`  - { id: a, name: Alpha, kind: location, territories: [{ kind: exclusive, zips: ['75201'] }] }
  - { id: b, name: Beta, kind: location, territories: [{ kind: exclusive, zipRanges: ['75200-75205'] }] }`).conflicts,
    ).toEqual([
      'endpoints.1.territories.0: this exclusive grant (ZIPs 75200-75205) of Beta (b) overlaps the exclusive grant a#1 of Alpha (a) for every service line in 75201: one of them needs a carve-out or a narrower area',
    ]);
  });

  it('finds two exclusive holders of one county, of a county inside a state, and of a ZIP inside a radius', () => {
    const { conflicts } = conflictsOf(`  - { id: a, name: Alpha, kind: location, territories: [{ kind: exclusive, counties: ['48113'] }] }
  - { id: b, name: Beta, kind: location, territories: [{ kind: exclusive, counties: ['48113'], serviceLines: [hvac] }] }
  - { id: c, name: Gamma, kind: location, territories: [{ kind: exclusive, states: [OK] }] }
  - { id: d, name: Delta, kind: location, territories: [{ kind: exclusive, counties: ['40109'] }] }
  - { id: e, name: Epsilon, kind: location, territories: [{ kind: exclusive, radius: { lat: 30.2672, lon: -97.7431, miles: 5 } }] }
  - { id: f, name: Zeta, kind: location, territories: [{ kind: exclusive, zips: ['78701'] }] }`);
    expect(conflicts).toHaveLength(3);
    expect(conflicts[0]).toMatch(
      /^endpoints\.1\.territories\.0: this exclusive grant \(county 48113\) of Beta \(b\) overlaps the exclusive grant a#1 of Alpha \(a\) for hvac in 75001, 75006, 75011, 75014, 75015 and \d+ more ZIPs: one of them needs a carve-out or a narrower area$/,
    );
    expect(conflicts[1]).toMatch(
      /^endpoints\.3\.territories\.0: this exclusive grant \(county 40109\) of Delta \(d\) overlaps the exclusive grant c#1 of Gamma \(c\) for every service line in 73/,
    );
    expect(conflicts[2]).toMatch(
      /^endpoints\.5\.territories\.0: this exclusive grant \(ZIPs 78701\) of Zeta \(f\) overlaps the exclusive grant e#1 of Epsilon \(e\) for every service line in 78701:/,
    );
  });

  it('different service lines do not conflict; a wider carve-out does not remove a narrower grant (as in routing)', () => {
    expect(
      conflictsOf(`  - { id: a, name: Alpha, kind: location, territories: [{ kind: exclusive, zips: ['75201'], serviceLines: [plumbing] }] }
  - { id: b, name: Beta, kind: location, territories: [{ kind: exclusive, zips: ['75201'], serviceLines: [hvac] }] }`).conflicts,
    ).toEqual([]);
    const countyCut =
      conflictsOf(`  - { id: a, name: Alpha, kind: location, territories: [{ kind: exclusive, zips: ['75201'] }, { kind: carve_out, counties: ['48113'] }] }
  - { id: b, name: Beta, kind: location, territories: [{ kind: exclusive, zips: ['75201'] }] }`).conflicts;
    expect(countyCut).toHaveLength(1);
  });

  it('a carve-out for everyone at the top level removes the area from every holder', () => {
    expect(
      conflictsOf(
        `  - { id: a, name: Alpha, kind: location, territories: [{ kind: exclusive, zipRanges: ['75201-75203'] }] }
  - { id: b, name: Beta, kind: location, territories: [{ kind: exclusive, zips: ['75202'] }] }`,
        `territories:\n  - { id: cut, kind: carve_out, zips: ['75202'] }`,
      ).conflicts,
    ).toEqual([]);
  });
});
