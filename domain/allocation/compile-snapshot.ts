import type { Endpoint } from '../../schema/endpoint.ts';
import type { RoutingPlan, TierSelector } from '../../schema/routing-plan.ts';
import type { TenantConfigDocument } from '../../schema/tenant-config.ts';
import type { TerritoryKind } from '../../schema/territory.ts';
import { AreaIndexBuilder, type AreaSpec } from './area-index.ts';
import { CAP_WINDOWS } from './cap-windows.ts';
import { compileSchedule } from './schedule.ts';
import type {
  CompiledCarveOut,
  CompiledEndpoint,
  CompiledGrant,
  CompiledPace,
  CompiledPlan,
  CompiledRotation,
  CompiledTier,
  Snapshot,
} from './snapshot-types.ts';

export const BUILTIN_PLAN_ID = 'builtin-default';

const setOrNull = <T>(xs: readonly T[]) => (xs.length === 0 ? null : new Set(xs));

/** The scope key a plan is found under; "*" stands for any. */
export const planKey = (sourceId: string | undefined, serviceLine: string | undefined) => `${sourceId ?? '*'}|${serviceLine ?? '*'}`;

function compileEndpoint(e: Endpoint, index: number, tenantZone: string, dependents: string[], ancestors: string[]): CompiledEndpoint {
  const caps: CompiledEndpoint['caps'] = {};
  for (const w of CAP_WINDOWS) if (e.caps[w] !== undefined) caps[w] = e.caps[w];
  if (e.caps.openUnclaimed !== undefined) caps.openUnclaimed = e.caps.openUnclaimed;
  return {
    id: e.id,
    name: e.name,
    kind: e.kind,
    index,
    serviceLines: setOrNull(e.serviceLines),
    licensedStates: setOrNull(e.licensedStates),
    zone: e.schedule?.timeZone ?? tenantZone,
    schedule: e.schedule ? compileSchedule(e.schedule) : null,
    caps,
    capWindows: CAP_WINDOWS.filter((w) => e.caps[w] !== undefined),
    weight: e.weight,
    priority: e.priority,
    bidCents: e.bidCents,
    orders: e.orders.map((o) => ({ ...o, scope: `order:${e.id}:${o.id}` })),
    performanceScore: e.performanceScore,
    paused: e.paused,
    teamId: e.teamId,
    locationId: e.locationId,
    tags: new Set(e.tags),
    claimRequired: e.kind === 'agent' || e.kind === 'team',
    openScope: `open:${e.id}`,
    capScopePrefix: `cap:${e.id}:`,
    dependents,
    ancestors,
    pace: e.pace ? compilePace(`pace:${e.id}`, e.pace.perHour) : undefined,
  };
}

const compilePace = (scope: string, perHour: number): CompiledPace => ({ scope, perHour, intervalMs: Math.round(3_600_000 / perHour) });

/** Every endpoint above `e`, nearest first, through teamId, locationId and parentId (the import refuses loops). */
function ancestorsOf(e: Endpoint, byId: ReadonlyMap<string, Endpoint>): string[] {
  const out: string[] = [];
  const queue = [e.teamId, e.locationId, e.parentId];
  while (queue.length > 0) {
    const id = queue.shift();
    if (id === undefined || id === e.id || out.includes(id)) continue;
    out.push(id);
    const up = byId.get(id);
    if (up) queue.push(up.teamId, up.locationId, up.parentId);
  }
  return out;
}

const KIND_ORDER: TerritoryKind[][] = [['exclusive'], ['shared'], ['secondary'], ['fallback']];

function builtinPlan(): RoutingPlan {
  return {
    id: BUILTIN_PLAN_ID,
    isDefault: true,
    tiers: KIND_ORDER.map((kinds) => ({
      name: `${kinds[0]} holders`,
      selector: { territoryKinds: kinds },
      algorithm: 'round_robin' as const,
      whenClosed: 'next' as const,
      afterHours: false,
      review: false,
    })),
    whenClosed: 'hold',
  };
}

function compilePlan(p: RoutingPlan, endpoints: ReadonlyMap<string, CompiledEndpoint>, rotations: ReadonlyMap<string, CompiledRotation>): CompiledPlan {
  const all = [...endpoints.values()];
  const tiers = p.tiers.map((t, index): CompiledTier => {
    const s: TierSelector = t.selector ?? {};
    const rotation = s.rotationId !== undefined ? rotations.get(s.rotationId) : undefined;
    const hasExtra = s.teamIds !== undefined || s.tags !== undefined || s.endpointIds !== undefined;
    const matchesExtra = (e: CompiledEndpoint) =>
      (s.teamIds === undefined || (e.teamId !== undefined && s.teamIds.includes(e.teamId)) || s.teamIds.includes(e.id)) &&
      (s.tags === undefined || s.tags.some((tag) => e.tags.has(tag))) &&
      (s.endpointIds === undefined || s.endpointIds.includes(e.id));
    // The selector is resolved against the configuration once, not per lead.
    let fixed: CompiledEndpoint[] | null = null;
    if (t.review) fixed = [];
    else if (rotation) fixed = rotation.members.map((id) => endpoints.get(id)).filter((e): e is CompiledEndpoint => e !== undefined && matchesExtra(e));
    else if (s.endpointIds && !s.territoryKinds)
      fixed = s.endpointIds.map((id) => endpoints.get(id)).filter((e): e is CompiledEndpoint => e !== undefined && matchesExtra(e));
    else if (!s.territoryKinds) fixed = all.filter(matchesExtra);
    const filter = s.territoryKinds && !rotation && hasExtra ? new Set(all.filter(matchesExtra).map((e) => e.id)) : null;
    const turnScope = rotation ? `turn:rotation:${rotation.id}` : `turn:plan:${p.id}:${index}`;
    return {
      index,
      name: t.name,
      algorithm: t.algorithm,
      kinds: s.territoryKinds ? new Set(s.territoryKinds) : null,
      fixed,
      filter,
      rotation,
      turnScope,
      tallyPrefix: `tally:${p.id}:${index}:`,
      broadcastCount: t.broadcastCount ?? 3,
      percentages: t.percentages ? new Map(Object.entries(t.percentages)) : null,
      claimDeadlineSec: t.claimDeadlineSec ?? rotation?.claimDeadlineSec,
      whenClosed: t.whenClosed,
      afterHours: t.afterHours,
      review: t.review,
      onlyIf: t.onlyIf,
      skipIf: t.skipIf,
      pace: t.pace ? compilePace(`pace:plan:${p.id}:${index}`, t.pace.perHour) : undefined,
    };
  });
  return { id: p.id, tiers, whenClosed: p.whenClosed };
}

/**
 * Compiles one configuration version into the lookup structures allocation
 * reads: ZIP/county/state/radius → grants and carve-outs, endpoints by id,
 * plans by (source, service line). Built once per version, shared by every lead.
 */
export function compileSnapshot(config: TenantConfigDocument, version: number): Snapshot {
  const tenantZone = config.tenant.timeZone;
  const dependents = new Map<string, string[]>();
  for (const e of config.endpoints) {
    for (const parent of new Set([e.locationId, e.teamId])) {
      if (parent !== undefined && parent !== e.id) dependents.set(parent, [...(dependents.get(parent) ?? []), e.id]);
    }
  }
  const byId = new Map(config.endpoints.map((e) => [e.id, e]));
  const endpoints = new Map(config.endpoints.map((e, i) => [e.id, compileEndpoint(e, i, tenantZone, dependents.get(e.id) ?? [], ancestorsOf(e, byId))]));

  const grants = new AreaIndexBuilder<CompiledGrant>();
  const carveOuts = new AreaIndexBuilder<CompiledCarveOut>();
  const addTerritory = (
    t: AreaSpec & { id?: string | undefined; kind: string; serviceLines: string[]; priceFactor?: number },
    endpointId: string | undefined,
    fallbackId: string,
  ) => {
    const id = t.id ?? fallbackId;
    if (t.kind === 'carve_out') carveOuts.add({ id, endpointId, serviceLines: setOrNull(t.serviceLines) }, t);
    else if (endpointId !== undefined) {
      grants.add(
        {
          id,
          endpointId,
          kind: t.kind as TerritoryKind,
          priceFactor: t.kind === 'secondary' ? (t.priceFactor ?? 1) : 1,
          serviceLines: setOrNull(t.serviceLines),
        },
        t,
      );
    }
  };
  config.endpoints.forEach((e) => e.territories.forEach((t, j) => addTerritory(t, e.id, `${e.id}#${j + 1}`)));
  config.territories.forEach((t) => addTerritory(t, t.endpointId, t.id));

  const rotations = new Map(
    config.rotations.map((r): [string, CompiledRotation] => [
      r.id,
      {
        id: r.id,
        name: r.name,
        members: r.members,
        claimDeadlineSec: r.claimDeadlineSec,
        maxLapses: r.maxLapses,
        pauseDeadlineOutsideHours: r.pauseDeadlineOutsideHours,
      },
    ]),
  );
  const plans = new Map<string, CompiledPlan>();
  let configuredDefault: CompiledPlan | undefined;
  for (const p of config.routingPlans) {
    const compiled = compilePlan(p, endpoints, rotations);
    if (p.isDefault) configuredDefault = compiled;
    else plans.set(planKey(p.sourceId, p.serviceLine), compiled);
  }
  return {
    version,
    tenantId: config.tenant.id,
    tenantTimeZone: tenantZone,
    endpoints,
    grants: grants.build(),
    carveOuts: carveOuts.build(),
    plans,
    defaultPlan: configuredDefault ?? compilePlan(builtinPlan(), endpoints, rotations),
    zipGrantCount: grants.zipEntries,
    sourceCosts: new Map(config.sources.map((src) => [src.id, src.costBasis.kind === 'flat' ? 0 : src.costBasis.amountCents])),
  };
}

/** Most specific first: source + service line, source, service line, the tenant default, the built-in default. */
export function planFor(snapshot: Snapshot, sourceId: string, serviceLine: string): CompiledPlan {
  return (
    snapshot.plans.get(planKey(sourceId, serviceLine)) ??
    snapshot.plans.get(planKey(sourceId, undefined)) ??
    snapshot.plans.get(planKey(undefined, serviceLine)) ??
    snapshot.defaultPlan
  );
}
