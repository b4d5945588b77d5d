import { CAP_WINDOWS } from './cap-windows.ts';
import { capWindowKeysInZone } from './cap-windows.ts';
import { planFor } from './compile-snapshot.ts';
import type { Snapshot } from './snapshot-types.ts';
import { matchArea } from './territory-match.ts';
import type { AllocationLead } from './types.ts';

export interface CounterScopes {
  /** Slot-count scopes: caps, open-unclaimed, orders, percentage tallies. */
  counts: string[];
  /** Turn logs of the rotations and round-robin tiers the lead's plan may use. */
  rotations: string[];
  /**
   * Per round-robin turn log, the endpoints whose last turn the decision reads.
   * A turn log is shared by every area a tier serves, so the last few turns of
   * the log rarely include the holders of this lead's area: their own last
   * turns must be read.
   */
  turnMembers: Record<string, string[]>;
  /** The smallest limit any endpoint has on each count scope (tallies have none). */
  limits: Record<string, number>;
  /** A tier distributes by performance: the endpoints' measured scores are read too. */
  performance: boolean;
}

/**
 * The counters allocate will read for this lead at this moment, with each
 * scope's limit, so the shell loads exactly those before calling it.
 */
export function counterScopes(snapshot: Snapshot, lead: AllocationLead, now: number): CounterScopes {
  const plan = planFor(snapshot, lead.sourceId, lead.serviceLine);
  const ids = new Set<string>();
  if (lead.preassignedEndpointId !== undefined) ids.add(lead.preassignedEndpointId);
  const area = matchArea(snapshot, lead.geography, lead.serviceLine);
  for (const id of area.holders.keys()) ids.add(id);
  const counts = new Set<string>();
  const rotations = new Set<string>();
  const turnMembers: Record<string, string[]> = {};
  for (const tier of plan.tiers) {
    for (const ep of tier.fixed ?? []) ids.add(ep.id);
    rotations.add(tier.turnScope);
    if (tier.algorithm === 'round_robin') {
      const kinds = tier.kinds;
      const holds = (id: string) => !kinds || [...(area.holders.get(id)?.keys() ?? [])].some((k) => kinds.has(k));
      const members = tier.fixed ? tier.fixed.map((e) => e.id) : [...area.holders.keys()].filter((id) => (!tier.filter || tier.filter.has(id)) && holds(id));
      turnMembers[tier.turnScope] = [...new Set([...(turnMembers[tier.turnScope] ?? []), ...members])];
    }
    if (tier.algorithm === 'percentage') for (const id of tier.percentages?.keys() ?? []) counts.add(tier.tallyPrefix + id);
  }
  const limits: Record<string, number> = {};
  const limit = (scope: string, n: number) => {
    counts.add(scope);
    limits[scope] = Math.min(limits[scope] ?? Infinity, n);
  };
  // Every candidate's team, location and network caps count its leads too.
  for (const id of [...ids]) for (const up of snapshot.endpoints.get(id)?.ancestors ?? []) ids.add(up);
  for (const id of ids) {
    const ep = snapshot.endpoints.get(id);
    if (!ep) continue;
    if (ep.capWindows.length > 0) {
      const keys = capWindowKeysInZone(ep.zone, now);
      for (const w of CAP_WINDOWS) if (ep.caps[w] !== undefined) limit(ep.capScopePrefix + keys[w], ep.caps[w]);
    }
    if (ep.caps.openUnclaimed !== undefined) limit(ep.openScope, ep.caps.openUnclaimed);
    for (const o of ep.orders) limit(o.scope, o.committed - o.sold);
  }
  return { counts: [...counts], rotations: [...rotations], turnMembers, limits, performance: plan.tiers.some((t) => t.algorithm === 'performance') };
}
