import type { TerritoryKind } from '../../schema/territory.ts';
import { resolutionNote } from '../geo/lead-geography.ts';
import { ALGORITHM_IMPL, ALGORITHM_LABEL } from './algorithms/index.ts';
import { effectiveBid } from './algorithms/ordered.ts';
import type { Contender, Ranking } from './algorithms/types.ts';
import { planFor } from './compile-snapshot.ts';
import { judge, type JudgeContext } from './eligibility.ts';
import { toRandom } from './random.ts';
import { nextOpening } from './schedule.ts';
import { LEVEL_NAME, type CompiledEndpoint, type CompiledPace, type CompiledTier, type Snapshot } from './snapshot-types.ts';
import { conditionHolds, tierGate } from './validation-gate.ts';
import { localWhen } from './zone-clock.ts';
import { matchArea, type AreaMatch, type CarvedHolding, type Holding } from './territory-match.ts';
import type { AllocationCounters, AllocationDecision, AllocationLead, CandidateExplanation, Target, TierExplanation } from './types.ts';

export interface AllocateInput {
  lead: AllocationLead;
  snapshot: Snapshot;
  counters: AllocationCounters;
  /** epoch ms */
  now: number;
  /** A number in [0, 1) (seeds a generator) or a generator; only weighted draws use it. */
  random: number | (() => number);
}

const KIND_PREFERENCE: readonly TerritoryKind[] = ['exclusive', 'shared', 'secondary', 'fallback'];

function areaWords(h: Holding | CarvedHolding, lead: AllocationLead): string {
  const g = lead.geography;
  switch (h.level) {
    case 0:
      return g.zip;
    case 1:
      return `${g.zip} (by radius)`;
    case 2:
      return `${g.zip} (county ${g.countyFips})`;
    default:
      return `${g.zip} (state ${g.state})`;
  }
}

function standingOf(h: Holding, lead: AllocationLead, snapshot: Snapshot): string {
  const via = h.via ? ` via ${snapshot.endpoints.get(h.via)?.name ?? h.via}` : '';
  const factor = h.grant.kind === 'secondary' ? `, price factor ${h.grant.priceFactor}` : '';
  return `${h.grant.kind} holder of ${areaWords(h, lead)} for ${lead.serviceLine}${via}${factor}`;
}

function carvedReason(c: CarvedHolding, lead: AllocationLead): string {
  return `carved out: ${LEVEL_NAME[c.carveLevel]} carve-out ${c.carveOut.id} removes ${lead.geography.zip} ${lead.serviceLine} from its ${c.grant.kind} grant ${c.grant.id}`;
}

interface TierWalk {
  contenders: Contender[];
  explained: CandidateExplanation[];
  /** Candidates ruled out only because they are closed now. */
  closed: CompiledEndpoint[];
}

/** A tier passed over before anyone was judged. */
const nobody = (): TierWalk => ({ contenders: [], explained: [], closed: [] });

const ineligible = (ep: CompiledEndpoint, reason: string, counters: Record<string, string> = {}): CandidateExplanation => ({
  endpointId: ep.id,
  name: ep.name,
  verdict: 'ineligible',
  reason,
  counters,
});

function consider(ep: CompiledEndpoint, holding: Holding | undefined, standing: string, ctx: JudgeContext, walk: TierWalk) {
  const j = judge(ep, ctx);
  if (!j.eligible) {
    walk.explained.push(ineligible(ep, j.reason, j.counters));
    if (j.closed) walk.closed.push(ep);
    return;
  }
  // One object per contender, no spreads: this runs for every candidate of every lead.
  walk.contenders.push({
    ep,
    judgement: j,
    priceFactor: holding?.grant.priceFactor ?? 1,
    grant: holding?.grant,
    sourceCostCents: ctx.sourceCostCents,
    standing,
  });
}

function holdingIn(area: AreaMatch, id: string, kinds: ReadonlySet<TerritoryKind>): Holding | undefined {
  const held = area.holders.get(id);
  if (!held) return undefined;
  for (const k of KIND_PREFERENCE)
    if (kinds.has(k)) {
      const h = held.get(k);
      if (h) return h;
    }
  return undefined;
}

function walkTier(tier: CompiledTier, lead: AllocationLead, snapshot: Snapshot, area: AreaMatch, ctx: JudgeContext): TierWalk {
  const walk: TierWalk = { contenders: [], explained: [], closed: [] };
  const kinds = tier.kinds;
  if (tier.fixed) {
    for (const ep of tier.fixed) {
      if (!kinds) {
        consider(ep, undefined, tier.rotation ? `member of ${tier.rotation.name}` : `selected by tier "${tier.name}"`, ctx, walk);
        continue;
      }
      const h = holdingIn(area, ep.id, kinds);
      if (h) consider(ep, h, standingOf(h, lead, snapshot), ctx, walk);
      else {
        const carved = area.carved.get(ep.id)?.find((c) => kinds.has(c.grant.kind));
        walk.explained.push(
          ineligible(
            ep,
            carved ? carvedReason(carved, lead) : `outside territory: holds no ${[...kinds].join('/')} grant for ${lead.geography.zip} ${lead.serviceLine}`,
          ),
        );
      }
    }
    return walk;
  }
  if (!kinds) return walk;
  const picked: Array<{ ep: CompiledEndpoint; h?: Holding; carved?: CarvedHolding }> = [];
  for (const id of area.holders.keys()) {
    if (tier.filter && !tier.filter.has(id)) continue;
    const h = holdingIn(area, id, kinds);
    const ep = snapshot.endpoints.get(id);
    if (h && ep) picked.push({ ep, h });
  }
  for (const [id, list] of area.carved) {
    if ((tier.filter && !tier.filter.has(id)) || holdingIn(area, id, kinds)) continue;
    const c = list.find((x) => kinds.has(x.grant.kind));
    const ep = snapshot.endpoints.get(id);
    if (c && ep) picked.push({ ep, carved: c });
  }
  picked.sort((a, b) => a.ep.index - b.ep.index);
  for (const p of picked) {
    if (p.h) consider(p.ep, p.h, standingOf(p.h, lead, snapshot), ctx, walk);
    else if (p.carved) walk.explained.push(ineligible(p.ep, carvedReason(p.carved, lead)));
  }
  return walk;
}

function toTarget(c: Contender, tier: CompiledTier | undefined, ranking: Ranking | undefined): Target {
  const ep = c.ep;
  const claimRequired = ep.claimRequired || tier?.rotation !== undefined || tier?.algorithm === 'broadcast';
  const reservations = [...c.judgement.reservations];
  if (ranking?.turn) reservations.push({ kind: 'turn', endpointId: ep.id, scope: ranking.turn.scope, turn: ranking.turn.turn });
  if (ranking?.tally && tier) reservations.push({ kind: 'tally', endpointId: ep.id, scope: tier.tallyPrefix + ep.id });
  const t: Target = { endpointId: ep.id, name: ep.name, claimRequired, priceFactor: c.priceFactor, priceCents: effectiveBid(c), reservations };
  if (c.grant) {
    t.territoryKind = c.grant.kind;
    t.grantId = c.grant.id;
  }
  if (ep.pace || tier?.pace) t.paces = [ep.pace, tier?.pace].filter((p): p is CompiledPace => p !== undefined);
  if (claimRequired) t.claimDeadlineSec = tier?.claimDeadlineSec ?? 300;
  if (tier?.rotation) {
    t.maxLapses = tier.rotation.maxLapses;
    t.pauseDeadlineOutsideHours = tier.rotation.pauseDeadlineOutsideHours;
  }
  return t;
}

function noCoverageSummary(lead: AllocationLead, tiers: TierExplanation[]): string {
  const all = tiers.flatMap((t) => t.candidates);
  const where = `${lead.geography.zip} (${lead.geography.state}) for ${lead.serviceLine}`;
  if (all.length === 0) return `No coverage: no endpoint holds ${where}`;
  const reasons = new Map<string, number>();
  for (const c of all) {
    const key = c.reason.split(':')[0]!;
    reasons.set(key, (reasons.get(key) ?? 0) + 1);
  }
  const list = [...reasons].map(([r, n]) => `${n} ${r}`).join(', ');
  return `No coverage for ${where}: ${all.length} candidate${all.length === 1 ? '' : 's'} considered in ${tiers.length} tier${tiers.length === 1 ? '' : 's'}, none eligible (${list})`;
}

/** What one allocation builds as it walks the plan: the explanation so far and what every decision shares. */
interface Walkthrough {
  tiers: TierExplanation[];
  base: Pick<AllocationDecision, 'leadId' | 'planId' | 'configVersion'>;
  geography: string | undefined;
  counters: AllocationCounters;
  random: AllocateInput['random'];
}

// Module-level, not closures inside allocate: they run for every lead, and a
// closure per call (named by the loader for stack traces) is measurable there.
function explained(w: Walkthrough, summary: string): AllocationDecision['explanation'] {
  return { tiers: w.tiers, summary: w.geography ? `${summary} (${w.geography})` : summary, ...(w.geography ? { geography: w.geography } : {}) };
}

function explainRanked(r: Ranking['ranked'][number], verdict: 'chosen' | 'lost', tier: CompiledTier): CandidateExplanation {
  const closed = r.contender.judgement.closedButAccepting;
  return {
    endpointId: r.contender.ep.id,
    name: r.contender.ep.name,
    verdict,
    reason: `${verdict === 'chosen' ? r.contender.standing : `lost on ${ALGORITHM_LABEL[tier.algorithm]}`}: ${r.note}${closed ? `; ${closed}` : ''}`,
    counters: r.contender.judgement.counters,
  };
}

/** The tier with eligible candidates decides, by its algorithm. */
function decideTier(w: Walkthrough, tier: CompiledTier, walk: TierWalk): AllocationDecision {
  const ranking = ALGORITHM_IMPL[tier.algorithm]({ tier, contenders: walk.contenders, counters: w.counters, random: toRandom(w.random) });
  const chosen = ranking.ranked.slice(0, ranking.take);
  const rest = ranking.ranked.slice(ranking.take);
  const targets = chosen.map((r) => toTarget(r.contender, tier, ranking));
  const fallbacks = rest.map((r) => toTarget(r.contender, tier, ranking));
  w.tiers.push({
    index: tier.index,
    name: tier.name,
    algorithm: tier.algorithm,
    outcome: 'decided',
    candidates: [...chosen.map((r) => explainRanked(r, 'chosen', tier)), ...rest.map((r) => explainRanked(r, 'lost', tier)), ...walk.explained],
  });
  const first = chosen[0]!.contender;
  const summary =
    tier.algorithm === 'broadcast'
      ? `Offered to ${chosen.map((r) => r.contender.ep.name).join(', ')} at once (first to claim wins), tier "${tier.name}"`
      : `Assigned to ${first.ep.name} (${first.standing}), ${ranking.summary}`;
  return {
    ...w.base,
    outcome: tier.algorithm === 'broadcast' ? 'broadcast' : 'assigned',
    chosen: chosen.map((r) => r.contender.ep.id),
    targets,
    tier: { index: tier.index, name: tier.name, algorithm: tier.algorithm },
    fallbacks,
    reservations: targets.flatMap((t) => t.reservations),
    explanation: explained(w, summary),
  };
}

/** A tier that decided nothing, and why the walk moved on. */
function passOver(w: Walkthrough, tier: CompiledTier, walk: TierWalk, outcome?: string): void {
  w.tiers.push({
    index: tier.index,
    name: tier.name,
    algorithm: tier.algorithm,
    candidates: walk.explained,
    outcome: outcome ?? (walk.explained.length === 0 ? 'no candidates' : 'no eligible candidate'),
  });
}

/**
 * Decides where one lead goes. Pure: the same lead, snapshot, counters, time
 * and random input give the same decision. Walks the plan's tiers; the first
 * tier with an eligible candidate decides, by its algorithm.
 */
export function allocate({ lead, snapshot, counters, now, random }: AllocateInput): AllocationDecision {
  const ctx: JudgeContext = {
    serviceLine: lead.serviceLine,
    state: lead.geography.state,
    now,
    counts: counters.counts,
    exclude: new Set(lead.exclude ?? []),
    endpoints: snapshot.endpoints,
    sourceCostCents: snapshot.sourceCosts.get(lead.sourceId) ?? 0,
    ...(lead.ignoreSchedules ? { ignoreSchedules: true } : {}),
  };
  const tiers: TierExplanation[] = [];
  const geography = resolutionNote(lead.geography);
  const plan = planFor(snapshot, lead.sourceId, lead.serviceLine);
  const base = { leadId: lead.id, planId: plan.id, configVersion: snapshot.version };
  const w: Walkthrough = { tiers, base, geography, counters, random };

  if (lead.preassignedEndpointId !== undefined) {
    const ep = snapshot.endpoints.get(lead.preassignedEndpointId);
    const walk: TierWalk = { contenders: [], explained: [], closed: [] };
    if (ep) consider(ep, undefined, 'named by the source', ctx, walk);
    const c = walk.contenders[0];
    if (c) {
      const target = toTarget(c, undefined, undefined);
      tiers.push({
        index: -1,
        name: 'named by the source',
        algorithm: 'preassigned',
        outcome: 'chosen',
        candidates: [{ endpointId: c.ep.id, name: c.ep.name, verdict: 'chosen', reason: 'named by the source', counters: c.judgement.counters }],
      });
      return {
        ...base,
        outcome: 'assigned',
        chosen: [c.ep.id],
        targets: [target],
        tier: { index: -1, name: 'named by the source', algorithm: 'preassigned' },
        fallbacks: [],
        reservations: target.reservations,
        explanation: explained(w, `Assigned to ${c.ep.name}, named by the source`),
      };
    }
    tiers.push({
      index: -1,
      name: 'named by the source',
      algorithm: 'preassigned',
      outcome: 'the named endpoint cannot take it; routing by the plan',
      candidates: ep
        ? walk.explained
        : [
            {
              endpointId: lead.preassignedEndpointId,
              name: lead.preassignedEndpointId,
              verdict: 'ineligible',
              reason: 'not in this configuration',
              counters: {},
            },
          ],
    });
  }

  const area = matchArea(snapshot, lead.geography, lead.serviceLine);
  // The plan's tiers in order; after-hours tiers only when a closed lead is sent to them.
  const closed: CompiledEndpoint[] = [];
  let policy: 'hold' | 'after_hours' | 'reject' | undefined;
  for (const tier of plan.tiers) {
    if (tier.afterHours) continue;
    const gate = tierGate(tier, lead.validation);
    if (gate) {
      passOver(w, tier, nobody(), gate);
      continue;
    }
    if (tier.review) {
      if (lead.reviewed) {
        passOver(w, tier, nobody(), 'passed over: ops approved the lead in review');
        continue;
      }
      const why = tier.onlyIf ? conditionHolds(tier.onlyIf, lead.validation) : undefined;
      passOver(w, tier, nobody(), 'sent to the review queue');
      return {
        ...base,
        outcome: 'review',
        chosen: [],
        targets: [],
        fallbacks: [],
        reservations: [],
        explanation: explained(w, `Sent to review by tier "${tier.name}"${why ? `: ${why}` : ''}`),
      };
    }
    const walk = walkTier(tier, lead, snapshot, area, ctx);
    if (walk.contenders.length > 0) return decideTier(w, tier, walk);
    closed.push(...walk.closed);
    if (walk.closed.length > 0 && tier.whenClosed !== 'next') {
      policy = tier.whenClosed;
      passOver(w, tier, walk, `everyone who could take it is closed: this tier says ${tier.whenClosed.replace('_', ' ')}`);
      break;
    }
    passOver(w, tier, walk);
  }
  if (closed.length > 0) {
    policy ??= plan.whenClosed;
    if (policy === 'after_hours') {
      for (const tier of plan.tiers) {
        if (!tier.afterHours || tierGate(tier, lead.validation)) continue;
        const walk = walkTier(tier, lead, snapshot, area, ctx);
        if (walk.contenders.length > 0) return decideTier(w, tier, walk);
        passOver(w, tier, walk);
      }
      policy = 'hold'; // nobody on call: the lead waits rather than being thrown away
    }
    const names = [...new Set(closed.map((e) => e.name))].join(', ');
    if (policy === 'reject') {
      return {
        ...base,
        outcome: 'closed',
        chosen: [],
        targets: [],
        fallbacks: [],
        reservations: [],
        explanation: explained(w, `Rejected as closed: everyone who could take it is closed now (${names}), and this plan rejects such leads`),
      };
    }
    const openings = closed.flatMap((ep) => {
      const at = ep.schedule ? nextOpening(ep.schedule, now) : undefined;
      return at === undefined ? [] : [{ ep, at }];
    });
    if (openings.length > 0) {
      const opensAt = Math.min(...openings.map((o) => o.at));
      const first = [...new Map(openings.filter((o) => o.at === opensAt).map((o) => [o.ep.id, o.ep])).values()];
      const caps = first.map((ep) => ep.caps.hourly);
      const perHour = caps.every((c): c is number => c !== undefined) ? caps.reduce((a, b) => a + b, 0) : null;
      const zone = first[0]!.zone;
      return {
        ...base,
        outcome: 'held',
        chosen: [],
        targets: [],
        fallbacks: [],
        reservations: [],
        hold: { opensAt, zone, endpointIds: first.map((e) => e.id), perHour },
        explanation: explained(
          w,
          `Held until ${localWhen(zone, opensAt)}: everyone who could take it is closed now (${names}); ${first.map((e) => e.name).join(', ')} open${first.length === 1 ? 's' : ''} first`,
        ),
      };
    }
  }
  return {
    ...base,
    outcome: 'no_coverage',
    chosen: [],
    targets: [],
    fallbacks: [],
    reservations: [],
    explanation: explained(w, noCoverageSummary(lead, tiers)),
  };
}
