import { historyDetail } from '../../domain/access/policy.ts';
import { renderExplanation } from '../../domain/allocation/explain.ts';
import type { AllocationDecision } from '../../domain/allocation/types.ts';
import type { RoutingRound } from '../../services/lead-history.ts';
import { authorize, requirePrincipal } from '../context.ts';
import { refused, succeeded } from '../core/payload.ts';
import { loadVisibleLead } from '../leads/resolvers.ts';
import type { GraphQLModule } from '../module.ts';
import { routingTypeDefs } from './type-defs.ts';

/** A decision as the RoutingDecision type shows it. */
export function decisionOut(d: AllocationDecision) {
  return {
    outcome: d.outcome,
    chosen: d.targets.map((t) => ({
      endpointId: t.endpointId,
      name: t.name,
      claimRequired: t.claimRequired,
      claimDeadlineSec: t.claimDeadlineSec ?? null,
      territoryKind: t.territoryKind ?? null,
      grantId: t.grantId ?? null,
      priceFactor: t.priceFactor,
      priceCents: t.priceCents,
    })),
    tier: d.tier ?? null,
    planId: d.planId,
    configVersion: d.configVersion,
    summary: d.explanation.summary,
    geography: d.explanation.geography ?? null,
    tiers: d.explanation.tiers.map((t) => ({
      ...t,
      candidates: t.candidates.map((c) => ({ ...c, counters: Object.entries(c.counters).map(([name, value]) => ({ name, value })) })),
    })),
    text: renderExplanation(d),
  };
}

const roundOut = (r: RoutingRound) => ({ round: r.round, decidedAt: r.decidedAt, decision: decisionOut(r.decision) });

export const routingModule: GraphQLModule = {
  typeDefs: routingTypeDefs,
  resolvers: {
    Query: {
      simulateRouting: async (_, args, ctx) => {
        const actor = authorize(ctx, 'routing.simulate');
        // GraphQL gives absent optional fields as null; the schema wants them left out.
        const input = Object.fromEntries(Object.entries(args.lead).filter(([, v]) => v !== null));
        const r = await ctx.services.simulate(actor.tenantId, input, args.at ?? undefined);
        if (!r.ok) return refused(r.error, { market: null, serviceLine: null, at: null, decision: null });
        const g = r.value.geography;
        return succeeded({
          market: { zip: g.zip, city: g.city, state: g.state, countyFips: g.countyFips ?? null, timeZone: g.timeZone ?? null },
          serviceLine: r.value.serviceLine,
          at: r.value.at,
          decision: decisionOut(r.value.decision),
        });
      },

      leadExplanation: async (_, { id }, ctx) => {
        const lead = await loadVisibleLead(ctx, id, 'lead.explain');
        if (!lead) return null;
        return (await ctx.services.history.rounds(lead.tenantId, id)).map(roundOut);
      },

      leadHistory: async (_, { id }, ctx) => {
        const lead = await loadVisibleLead(ctx, id, 'lead.history');
        if (!lead) return null;
        const detail = historyDetail(requirePrincipal(ctx).actor, lead);
        if (detail === 'none') return null;
        const h = await ctx.services.history.get(lead.tenantId, id, detail, ctx.now);
        if (!h) return null;
        return {
          leadId: h.leadId,
          detail: h.detail,
          entries: h.entries.map((e) => ({ ...e, actor: e.actor ?? null, actorRole: e.actorRole ?? null, data: e.data ?? null, round: e.round ?? null })),
          routingRounds: h.routingRounds?.map(roundOut) ?? null,
          workflow: h.workflow ?? null,
        };
      },
    },
  },
};
