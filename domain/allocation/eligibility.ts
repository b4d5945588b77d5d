import { capWindowKeysInZone, type CapWindow } from './cap-windows.ts';
import { openStateAt } from './schedule.ts';
import type { CompiledEndpoint, CompiledOrder } from './snapshot-types.ts';
import type { Reservation } from './types.ts';

export interface JudgeContext {
  serviceLine: string;
  state: string;
  now: number;
  counts: ReadonlyMap<string, number>;
  exclude: ReadonlySet<string>;
  /** Every endpoint of the snapshot: the caps of a candidate's team, location and network count it too. */
  endpoints: ReadonlyMap<string, CompiledEndpoint>;
  /** What the lead cost its source (secondary holders without a bid pay from it). */
  sourceCostCents: number;
  /** A lead released by hand: being closed rules nobody out. */
  ignoreSchedules?: boolean;
}

export interface Judgement {
  eligible: boolean;
  reason: string;
  counters: Record<string, string>;
  /** What a reservation for this endpoint would take, filled for eligible endpoints. */
  reservations: Reservation[];
  /** The order a sale would count against, when the endpoint has orders. */
  order?: { order: CompiledOrder; sold: number };
  closedButAccepting?: string;
  /** Ruled out only because it is closed now: it would be judged again when it opens. */
  closed?: true;
}

const CAP_LABEL: Record<CapWindow, string> = { hourly: 'hourly', daily: 'daily', weekly: 'weekly', monthly: 'monthly' };

const fail = (reason: string, counters: Record<string, string> = {}): Judgement => ({ eligible: false, reason, counters, reservations: [] });

/**
 * Checks one endpoint's cap windows and open-unclaimed limit, noting what it
 * read under `label` and what a reservation would take; the reason when one is
 * full. Cap windows are the endpoint's own wall clock (its zone).
 */
function takeCapacity(ep: CompiledEndpoint, ctx: JudgeContext, counters: Record<string, string>, reservations: Reservation[], label = ''): string | undefined {
  if (ep.capWindows.length > 0) {
    const keys = capWindowKeysInZone(ep.zone, ctx.now);
    for (const w of ep.capWindows) {
      const limit = ep.caps[w]!;
      const scope = ep.capScopePrefix + keys[w];
      const used = ctx.counts.get(scope) ?? 0;
      counters[label + w] = `${used} of ${limit}`;
      if (used >= limit) return label ? `${CAP_LABEL[w]} cap reached, ${used} of ${limit}` : `${CAP_LABEL[w]} cap reached: ${used} of ${limit}`;
      reservations.push({ kind: 'cap', endpointId: ep.id, scope, window: w, windowKey: keys[w], limit, used });
    }
  }
  const openLimit = ep.caps.openUnclaimed;
  if (openLimit !== undefined) {
    const used = ctx.counts.get(ep.openScope) ?? 0;
    counters[label + 'openUnclaimed'] = `${used} of ${openLimit}`;
    if (used >= openLimit)
      return label
        ? `open-unclaimed limit reached, ${used} of ${openLimit} leads not yet claimed`
        : `open-unclaimed limit reached: ${used} of ${openLimit} leads not yet claimed`;
    reservations.push({ kind: 'open_unclaimed', endpointId: ep.id, scope: ep.openScope, limit: openLimit, used });
  }
  return undefined;
}

/**
 * Everything about an endpoint that can rule it out for this lead at this
 * moment, apart from territory (which depends on the tier). The first failing
 * rule is the reason given; counters show what was read.
 */
export function judge(ep: CompiledEndpoint, ctx: JudgeContext): Judgement {
  if (ctx.exclude.has(ep.id)) return fail('already tried for this lead (delivery failed or the offer lapsed)');
  if (ep.paused) return fail('paused');
  if (ep.serviceLines !== null && !ep.serviceLines.has(ctx.serviceLine)) return fail(`does not serve ${ctx.serviceLine}`);
  if (ep.licensedStates !== null && !ep.licensedStates.has(ctx.state)) return fail(`not licensed in ${ctx.state}`);

  let closedButAccepting: string | undefined;
  if (ep.schedule) {
    const st = openStateAt(ep.schedule, ctx.now);
    if (!st.open && ctx.ignoreSchedules) closedButAccepting = `closed (${st.local}) but the lead was released by hand`;
    else if (!st.open) {
      if (st.why === 'holiday') return { ...fail(`closed for a holiday: ${st.local}`), closed: true };
      if (!ep.schedule.acceptAfterHours) return { ...fail(`closed: it is ${st.local}`), closed: true };
      closedButAccepting = `closed (${st.local}) but accepts leads after hours`;
    }
  }

  const counters: Record<string, string> = {};
  const reservations: Reservation[] = [];
  const own = takeCapacity(ep, ctx, counters, reservations);
  if (own) return fail(own, counters);
  // A team's, location's or network's caps count every lead that reaches anyone under it.
  for (const id of ep.ancestors) {
    const above = ctx.endpoints.get(id);
    if (!above) continue;
    const full = takeCapacity(above, ctx, counters, reservations, `${above.name} `);
    if (full) return fail(`${above.name}: ${full}, counting ${ep.kind === 'agent' ? 'its agents' : 'everything under it'}`, counters);
  }
  let order: Judgement['order'];
  if (ep.orders.length > 0) {
    // Orders fill in the order they are written: the first with room takes the sale.
    for (const o of ep.orders) {
      const used = ctx.counts.get(o.scope) ?? 0;
      const sold = o.sold + used;
      counters[`order ${o.id}`] = `${sold} of ${o.committed} sold`;
      if (!order && sold < o.committed) {
        order = { order: o, sold };
        reservations.push({ kind: 'order', endpointId: ep.id, orderId: o.id, scope: o.scope, limit: o.committed - o.sold, used });
      }
    }
    if (!order) return fail(`every order filled (${ep.orders.map((o) => `${o.id}: ${counters[`order ${o.id}`]}`).join('; ')})`, counters);
  }
  const j: Judgement = { eligible: true, reason: closedButAccepting ?? 'eligible', counters, reservations };
  if (order) j.order = order;
  if (closedButAccepting) j.closedButAccepting = closedButAccepting;
  return j;
}
