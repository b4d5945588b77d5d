import type { TerritoryKind } from '../../schema/territory.ts';
import { haversineMiles } from '../geo/distance.ts';
import { cellOf } from './area-index.ts';
import type { AreaIndex, CompiledCarveOut, CompiledGrant, Level, Snapshot } from './snapshot-types.ts';
import type { LeadGeography } from '../geo/lead-geography.ts';

export interface Holding {
  grant: CompiledGrant;
  level: Level;
  /** Set when the endpoint inherits the grant from its location or team. */
  via?: string;
}

export interface CarvedHolding {
  grant: CompiledGrant;
  level: Level;
  carveOut: CompiledCarveOut;
  carveLevel: Level;
}

export interface AreaMatch {
  /** endpoint id → its narrowest surviving holding per grant kind */
  holders: Map<string, Map<TerritoryKind, Holding>>;
  /** endpoint id → holdings a carve-out removed (only those not also held some other way) */
  carved: Map<string, CarvedHolding[]>;
}

const serves = (lines: ReadonlySet<string> | null, serviceLine: string) => lines === null || lines.has(serviceLine);

function visitArea<T>(index: AreaIndex<T>, geo: LeadGeography, visit: (item: T, level: Level) => void) {
  const z = index.zip.get(geo.zip);
  if (z) for (const item of z) visit(item, 0);
  if (index.radiusCount > 0 && geo.lat !== undefined && geo.lon !== undefined) {
    const cell = index.radiusCells.get(cellOf(geo.lat, geo.lon));
    if (cell) for (const r of cell) if (haversineMiles(r.lat, r.lon, geo.lat, geo.lon) <= r.miles) visit(r.item, 1);
  }
  if (geo.countyFips !== undefined) {
    const c = index.county.get(geo.countyFips);
    if (c) for (const item of c) visit(item, 2);
  }
  const s = index.state.get(geo.state);
  if (s) for (const item of s) visit(item, 3);
}

/** Keeps an endpoint's narrowest holding per kind, its own before an inherited one. */
function hold(holders: AreaMatch['holders'], endpointId: string, h: Holding): void {
  let kinds = holders.get(endpointId);
  if (!kinds) holders.set(endpointId, (kinds = new Map<TerritoryKind, Holding>()));
  const prev = kinds.get(h.grant.kind);
  if (!prev || h.level < prev.level || (prev.via !== undefined && h.via === undefined)) kinds.set(h.grant.kind, h);
}

/**
 * Who holds the lead's area for its service line. A carve-out removes the
 * area from its endpoint's (or everyone's) grants matched at the carve-out's
 * own level or wider, so a ZIP carve-out beats a county or state grant, while
 * a ZIP grant written inside a carved-out county survives.
 */
export function matchArea(snapshot: Snapshot, geo: LeadGeography, serviceLine: string): AreaMatch {
  const carveLevel = new Map<string | undefined, { level: Level; carveOut: CompiledCarveOut }>();
  visitArea(snapshot.carveOuts, geo, (c, level) => {
    if (!serves(c.serviceLines, serviceLine)) return;
    const prev = carveLevel.get(c.endpointId);
    if (!prev || level < prev.level) carveLevel.set(c.endpointId, { level, carveOut: c });
  });

  const holders = new Map<string, Map<TerritoryKind, Holding>>();
  const carvedRaw: Array<[string, CarvedHolding]> = [];
  visitArea(snapshot.grants, geo, (g, level) => {
    if (!serves(g.serviceLines, serviceLine)) return;
    const own = carveLevel.get(g.endpointId);
    const all = carveLevel.get(undefined);
    const carve = own && (!all || own.level <= all.level) ? own : all;
    if (carve && level >= carve.level) {
      carvedRaw.push([g.endpointId, { grant: g, level, carveOut: carve.carveOut, carveLevel: carve.level }]);
      return;
    }
    hold(holders, g.endpointId, { grant: g, level });
  });

  // Agents and teams stand in their location's shoes.
  const direct = [...holders];
  for (const [endpointId, kinds] of direct) {
    const deps = snapshot.endpoints.get(endpointId)?.dependents;
    if (!deps) continue;
    for (const dep of deps) for (const h of kinds.values()) hold(holders, dep, { grant: h.grant, level: h.level, via: endpointId });
  }

  const carved = new Map<string, CarvedHolding[]>();
  for (const [endpointId, c] of carvedRaw) {
    if (holders.get(endpointId)?.has(c.grant.kind)) continue;
    const list = carved.get(endpointId);
    if (list) list.push(c);
    else carved.set(endpointId, [c]);
    const deps = snapshot.endpoints.get(endpointId)?.dependents ?? [];
    for (const dep of deps) if (!holders.get(dep)?.has(c.grant.kind)) carved.set(dep, [...(carved.get(dep) ?? []), c]);
  }
  return { holders, carved };
}
