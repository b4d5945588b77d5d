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
}

/**
 * The counters allocate will read for this lead at this moment, so the shell
 * loads exactly those (one round trip) before calling it.
 */
export function counterScopes(snapshot: Snapshot, lead: AllocationLead, now: number): CounterScopes {
  const plan = planFor(snapshot, lead.sourceId, lead.serviceLine);
  const ids = new Set<string>();
  if (lead.preassignedEndpointId !== undefined) ids.add(lead.preassignedEndpointId);
  const area = matchArea(snapshot, lead.geography, lead.serviceLine);
  for (const id of area.holders.keys()) ids.add(id);
  const counts = new Set<string>();
  const rotations = new Set<string>();
  for (const tier of plan.tiers) {
    for (const ep of tier.fixed ?? []) ids.add(ep.id);
    rotations.add(tier.turnScope);
    if (tier.algorithm === 'percentage') for (const id of tier.percentages?.keys() ?? []) counts.add(tier.tallyPrefix + id);
  }
  for (const id of ids) {
    const ep = snapshot.endpoints.get(id);
    if (!ep) continue;
    if (ep.capWindows.length > 0) {
      const keys = capWindowKeysInZone(ep.zone, now);
      for (const w of CAP_WINDOWS) if (ep.caps[w] !== undefined) counts.add(ep.capScopePrefix + keys[w]);
    }
    if (ep.caps.openUnclaimed !== undefined) counts.add(ep.openScope);
    for (const o of ep.orders) counts.add(o.scope);
  }
  return { counts: [...counts], rotations: [...rotations] };
}
