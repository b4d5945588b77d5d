import { GraphQLError } from 'graphql';
import { can, leadScope } from '../../domain/access/policy.ts';
import { authorize, requirePrincipal, type ApiContext } from '../context.ts';
import { connection, toLeadFilter, type LeadFilterArg } from '../leads/resolvers.ts';
import { pageArgs } from '../leads/lead-fields.ts';
import type { GraphQLModule } from '../module.ts';
import { portalsTypeDefs } from './type-defs.ts';

const DAY = 86_400_000;

type PageArgs = { filter?: LeadFilterArg | null; first?: number | null; after?: string | null };

async function list(ctx: ApiContext, op: 'portal.vendor' | 'portal.buyer', args: PageArgs, extra: { returned?: boolean } = {}) {
  const actor = authorize(ctx, op);
  const page = await ctx.services.leads.list(actor.tenantId, leadScope(actor), { ...toLeadFilter(args.filter), ...extra }, pageArgs(args.first, args.after));
  for (const l of page.leads) ctx.loaders.lead.prime(l.leadId, l);
  return connection(page);
}

export const portalsModule: GraphQLModule = {
  typeDefs: portalsTypeDefs,
  resolvers: {
    Query: {
      mySubmissions: (_: unknown, args: PageArgs, ctx: ApiContext) => list(ctx, 'portal.vendor', args),
      myDeliveries: (_: unknown, args: PageArgs, ctx: ApiContext) => list(ctx, 'portal.buyer', args),
      myReturns: (_: unknown, args: PageArgs, ctx: ApiContext) => {
        const p = requirePrincipal(ctx);
        // One query for both portals: each sees the returns on its own side.
        const op = can(p, 'portal.buyer').allow ? 'portal.buyer' : 'portal.vendor';
        return list(ctx, op, args, { returned: true });
      },
      myAcceptance: async (_: unknown, args: { from?: number | null; to?: number | null }, ctx: ApiContext) => {
        const actor = authorize(ctx, 'portal.vendor');
        const to = args.to ?? ctx.now;
        const from = args.from ?? to - 30 * DAY;
        if (from >= to) throw new GraphQLError('"from" must be before "to"', { extensions: { code: 'BAD_USER_INPUT', field: 'from' } });
        const { received, rejected } = await ctx.services.leads.sourceOutcomes(actor.tenantId, actor.sourceId!, from, to);
        const rejectedTotal = Object.values(rejected).reduce((a, b) => a + b, 0);
        return {
          from,
          to,
          received,
          accepted: received - rejectedTotal,
          rejected: rejectedTotal,
          acceptanceRate: received === 0 ? null : (received - rejectedTotal) / received,
          rejectedByReason: Object.entries(rejected).map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count),
        };
      },
      openReturnWindows: async (_: unknown, args: { first?: number | null }, ctx: ApiContext) => {
        const actor = authorize(ctx, 'portal.buyer');
        const { first } = pageArgs(args.first, undefined);
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
        return open.sort((a, b) => a.closesAt - b.closesAt).slice(0, first);
      },
    },
  },
};
