import { can, leadScope } from '../../domain/access/policy.ts';
import { authorize, requirePrincipal, type ApiContext } from '../context.ts';
import { invalidInput, refused, succeeded } from '../core/payload.ts';
import type { QueryMySubmissionsArgs } from '../generated/graphql.ts';
import { pageArgs } from '../leads/lead-fields.ts';
import { leadPage, toLeadFilter } from '../leads/resolvers.ts';
import type { GraphQLModule } from '../module.ts';
import { portalsTypeDefs } from './type-defs.ts';

const DAY = 86_400_000;

function list(ctx: ApiContext, op: 'portal.vendor' | 'portal.buyer', args: Partial<QueryMySubmissionsArgs>, extra: { returned?: boolean } = {}) {
  const actor = authorize(ctx, op);
  return leadPage(ctx, args, (page) => ctx.services.leads.list(actor.tenantId, leadScope(actor), { ...toLeadFilter(args.filter), ...extra }, page));
}

export const portalsModule: GraphQLModule = {
  typeDefs: portalsTypeDefs,
  resolvers: {
    Query: {
      mySubmissions: (_, args, ctx) => list(ctx, 'portal.vendor', args),
      myDeliveries: (_, args, ctx) => list(ctx, 'portal.buyer', args),
      myReturns: (_, args, ctx) => {
        const p = requirePrincipal(ctx);
        // One query for both portals: each sees the returns on its own side.
        const op = can(p, 'portal.buyer').allow ? 'portal.buyer' : 'portal.vendor';
        return list(ctx, op, args, { returned: true });
      },
      myAcceptance: async (_, args, ctx) => {
        const actor = authorize(ctx, 'portal.vendor');
        const to = args.to ?? ctx.now;
        const from = args.from ?? to - 30 * DAY;
        if (from >= to) return refused(invalidInput('"from" must be before "to"', 'from'), { stats: null });
        const { received, rejected } = await ctx.services.leads.sourceOutcomes(actor.tenantId, actor.sourceId!, from, to);
        const rejectedTotal = Object.values(rejected).reduce((a, b) => a + b, 0);
        return succeeded({
          stats: {
            from,
            to,
            received,
            accepted: received - rejectedTotal,
            rejected: rejectedTotal,
            acceptanceRate: received === 0 ? null : (received - rejectedTotal) / received,
            rejectedByReason: Object.entries(rejected)
              .map(([reason, count]) => ({ reason, count }))
              .sort((a, b) => b.count - a.count),
          },
        });
      },
      openReturnWindows: async (_, args, ctx) => {
        const actor = authorize(ctx, 'portal.buyer');
        const page = pageArgs(args.first, undefined);
        if (!page.ok) return refused(page.error, { nodes: [] });
        const config = await ctx.loaders.config.load(actor.tenantId);
        const sources = new Map((config?.document.sources ?? []).map((s) => [s.id, s]));
        const windows = [...sources.values()].map((s) => ({ sourceId: s.id, since: ctx.now - s.returnWindowSec * 1000 }));
        const candidates = await ctx.services.leads.returnable(actor.tenantId, actor.endpointId!, windows, 1000);
        const open = [];
        for (const lead of candidates) {
          const source = sources.get(lead.sourceId);
          if (!source || lead.deliveredAt === undefined) continue;
          const closesAt = lead.deliveredAt + source.returnWindowSec * 1000;
          if (closesAt <= ctx.now) continue;
          ctx.loaders.lead.prime(lead.leadId, lead);
          open.push({ lead, closesAt, secondsLeft: Math.floor((closesAt - ctx.now) / 1000), allowedReasons: source.allowedReturnReasons });
        }
        return succeeded({ nodes: open.sort((a, b) => a.closesAt - b.closesAt).slice(0, page.value.first) });
      },
    },
  },
};
