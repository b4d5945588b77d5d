import type { TenantConfigDocument } from '../../schema/tenant-config.ts';
import type { ZipRange } from '../../schema/territory.ts';
import { haversineMiles } from '../geo/distance.ts';
import type { ZipDataset, ZipRecord } from '../geo/zip-dataset.ts';
import { LEVEL, type Level } from './snapshot-types.ts';

/** One exclusive grant in conflict with another: where it is written, and the words for ops. */
export interface ExclusiveConflict {
  path: Array<string | number>;
  message: string;
}

interface Area {
  zips: string[];
  zipRanges: ZipRange[];
  counties: string[];
  states: string[];
  radius?: { lat: number; lon: number; miles: number } | undefined;
  serviceLines: string[];
}

/** Service lines a grant still covers at one ZIP: every line but `except`, or exactly `only`. */
type Lines = { all: true; except: Set<string> } | { all: false; only: Set<string> };

interface Holding {
  endpointId: string;
  grantId: string;
  path: Array<string | number>;
  lines: Lines;
}

function expandRange(r: ZipRange): string[] {
  const out: string[] = [];
  for (let n = Number(r.from); n <= Number(r.to); n++) out.push(String(n).padStart(5, '0'));
  return out;
}

/** Indexes of the dataset by county and state, built once per dataset. */
const indexes = new WeakMap<ZipDataset, { county: Map<string, string[]>; state: Map<string, string[]> }>();
function indexOf(ds: ZipDataset) {
  let ix = indexes.get(ds);
  if (!ix) {
    ix = { county: new Map(), state: new Map() };
    for (const r of ds.all()) {
      if (r.countyFips) ix.county.set(r.countyFips, [...(ix.county.get(r.countyFips) ?? []), r.zip]);
      ix.state.set(r.state, [...(ix.state.get(r.state) ?? []), r.zip]);
    }
    indexes.set(ds, ix);
  }
  return ix;
}

/**
 * Every ZIP an area reaches, with how narrowly (routing's levels: ZIP,
 * radius, county, state), as the ZIP dataset places counties, states and
 * radii; ZIPs it does not know stay as written.
 */
function zipsOf(a: Area, ds: ZipDataset): Map<string, Level> {
  const ix = indexOf(ds);
  const out = new Map<string, Level>();
  const add = (z: string, level: Level) => out.set(z, Math.min(level, out.get(z) ?? level) as Level);
  for (const z of [...a.zips, ...a.zipRanges.flatMap(expandRange)]) add(z, LEVEL.zip);
  if (a.radius) {
    const { lat, lon, miles } = a.radius;
    const dLat = miles / 69;
    const inBox = (r: ZipRecord) => Math.abs(r.lat - lat) <= dLat + 0.01;
    for (const r of ds.all()) if (inBox(r) && haversineMiles(lat, lon, r.lat, r.lon) <= miles) add(r.zip, LEVEL.radius);
  }
  for (const c of a.counties) for (const z of ix.county.get(c) ?? []) add(z, LEVEL.county);
  for (const st of a.states) for (const z of ix.state.get(st) ?? []) add(z, LEVEL.state);
  return out;
}

function describeArea(a: Area): string {
  const parts = [
    ...(a.zips.length ? [`ZIPs ${a.zips.slice(0, 3).join(', ')}${a.zips.length > 3 ? ', …' : ''}`] : []),
    ...a.zipRanges.map((r) => `ZIPs ${r.from}-${r.to}`),
    ...a.counties.map((c) => `county ${c}`),
    ...a.states.map((s) => `state ${s}`),
    ...(a.radius ? [`${a.radius.miles} miles around ${a.radius.lat}, ${a.radius.lon}`] : []),
  ];
  return parts.join(' + ');
}

function overlap(a: Lines, b: Lines): string[] | 'some' | undefined {
  if (a.all && b.all) return 'some';
  if (a.all && !b.all) return nonEmpty([...b.only].filter((l) => !a.except.has(l)));
  if (!a.all && b.all) return nonEmpty([...a.only].filter((l) => !b.except.has(l)));
  if (!a.all && !b.all) return nonEmpty([...a.only].filter((l) => b.only.has(l)));
  return undefined;
}
const nonEmpty = (xs: string[]) => (xs.length > 0 ? xs : undefined);

/**
 * Two exclusive holders of the same ZIP for the same service line is a
 * contract conflict, not a routing choice. Coverage is judged as routing sees
 * it: every ZIP a grant's ZIPs, ranges, counties, states and radius reach
 * (counties, states and radii placed by the ZIP dataset), minus the carve-outs
 * that remove it from that holder (or from everyone) for a service line. One
 * conflict per pair of grants, naming both holders and where they overlap.
 */
export function exclusiveConflicts(doc: TenantConfigDocument, ds: ZipDataset): ExclusiveConflict[] {
  const names = new Map(doc.endpoints.map((e) => [e.id, e.name]));
  const grants: Array<{ endpointId: string; grantId: string; area: Area; path: Array<string | number> }> = [];
  const carveOuts: Array<{ endpointId: string | undefined; area: Area }> = [];
  doc.endpoints.forEach((e, i) =>
    e.territories.forEach((t, j) => {
      const path = ['endpoints', i, 'territories', j];
      if (t.kind === 'exclusive') grants.push({ endpointId: e.id, grantId: t.id ?? `${e.id}#${j + 1}`, area: t, path });
      if (t.kind === 'carve_out') carveOuts.push({ endpointId: e.id, area: t });
    }),
  );
  doc.territories.forEach((t, i) => {
    if (t.kind === 'exclusive') grants.push({ endpointId: t.endpointId, grantId: t.id, area: t, path: ['territories', i] });
    if (t.kind === 'carve_out') carveOuts.push({ endpointId: t.endpointId, area: t });
  });
  if (grants.length < 2) return [];

  // What each carve-out removes, by ZIP: for whom, for which service lines (empty = all), and from which
  // grants (as in routing, a carve-out removes grants at its own level and wider).
  const carved = new Map<string, Array<{ endpointId: string | undefined; lines: string[]; level: Level }>>();
  for (const c of carveOuts)
    for (const [z, level] of zipsOf(c.area, ds)) carved.set(z, [...(carved.get(z) ?? []), { endpointId: c.endpointId, lines: c.area.serviceLines, level }]);

  const holders = new Map<string, Holding[]>();
  const reported = new Set<string>();
  const out: ExclusiveConflict[] = [];
  for (const g of grants) {
    const clashes = new Map<string, { other: Holding; lines: string[] | 'some'; zips: string[] }>();
    for (const [z, level] of zipsOf(g.area, ds)) {
      const cuts = (carved.get(z) ?? []).filter((c) => (c.endpointId === undefined || c.endpointId === g.endpointId) && c.level <= level);
      if (cuts.some((c) => c.lines.length === 0)) continue; // carved out for every line
      const cutLines = new Set(cuts.flatMap((c) => c.lines));
      const lines: Lines =
        g.area.serviceLines.length === 0 ? { all: true, except: cutLines } : { all: false, only: new Set(g.area.serviceLines.filter((l) => !cutLines.has(l))) };
      if (!lines.all && lines.only.size === 0) continue;
      const here = holders.get(z) ?? [];
      for (const h of here) {
        if (h.endpointId === g.endpointId) continue;
        const both = overlap(h.lines, lines);
        if (!both) continue;
        const key = `${h.grantId}|${g.grantId}`;
        const c = clashes.get(key) ?? { other: h, lines: both, zips: [] };
        c.zips.push(z);
        clashes.set(key, c);
      }
      here.push({ endpointId: g.endpointId, grantId: g.grantId, path: g.path, lines });
      holders.set(z, here);
    }
    for (const [key, c] of clashes) {
      if (reported.has(key)) continue;
      reported.add(key);
      const zips = c.zips.sort();
      const where = `${zips.slice(0, 5).join(', ')}${zips.length > 5 ? ` and ${zips.length - 5} more ZIPs` : ''}`;
      const lines = c.lines === 'some' ? 'every service line' : c.lines.join(', ');
      const other = `${names.get(c.other.endpointId) ?? c.other.endpointId} (${c.other.endpointId})`;
      out.push({
        path: g.path,
        message: `this exclusive grant (${describeArea(g.area)}) of ${names.get(g.endpointId) ?? g.endpointId} (${g.endpointId}) overlaps the exclusive grant ${c.other.grantId} of ${other} for ${lines} in ${where}: one of them needs a carve-out or a narrower area`,
      });
    }
  }
  return out;
}
