import type { LeadFilter } from '../../db/lead-query.ts';
import { leadScope, type Operation } from '../../domain/access/policy.ts';
import { authorize, mayAccess, type ApiContext } from '../context.ts';
import type { GraphQLModule } from '../module.ts';
import { leadResolvers, pageArgs } from './lead-fields.ts';
import { leadsTypeDefs } from './type-defs.ts';

export interface LeadFilterArg {
  status?: string[] | null;
  sourceId?: string | null;
  endpointId?: string | null;
  serviceLine?: string | null;
  receivedFrom?: number | null;
  receivedTo?: number | null;
}

export const toLeadFilter = (f: LeadFilterArg | null | undefined): LeadFilter => ({
  ...(f?.status?.length ? { status: f.status } : {}),
  ...(f?.sourceId ? { sourceId: f.sourceId } : {}),
  ...(f?.endpointId ? { endpointId: f.endpointId } : {}),
  ...(f?.serviceLine ? { serviceLine: f.serviceLine } : {}),
  ...(f?.receivedFrom != null ? { receivedFrom: f.receivedFrom } : {}),
  ...(f?.receivedTo != null ? { receivedTo: f.receivedTo } : {}),
});

export const connection = (page: { leads: unknown[]; endCursor?: string; hasNextPage: boolean }) => ({
  nodes: page.leads,
  pageInfo: { endCursor: page.endCursor ?? null, hasNextPage: page.hasNextPage },
});

/**
 * A lead the caller may act on with `op`, or undefined: missing, another
 * tenant's and not-theirs look the same. Lead operations (claim, share,
 * status, reassign, return: services/lead-commands.ts) pass through here
 * before the workflow decides.
 */
export async function loadVisibleLead(ctx: ApiContext, leadId: string, op: Operation = 'lead.read') {
  authorize(ctx, op);
  const lead = await ctx.loaders.lead.load(leadId);
  if (!lead || !mayAccess(ctx, op, { kind: 'lead', lead })) return undefined;
  return lead;
}

export const leadsModule: GraphQLModule = {
  typeDefs: leadsTypeDefs,
  resolvers: {
    Query: {
      lead: async (_: unknown, { id }: { id: string }, ctx: ApiContext) => (await loadVisibleLead(ctx, id)) ?? null,
      leads: async (_: unknown, args: { filter?: LeadFilterArg | null; first?: number | null; after?: string | null }, ctx: ApiContext) => {
        const actor = authorize(ctx, 'lead.list');
        const page = await ctx.services.leads.list(actor.tenantId, leadScope(actor), toLeadFilter(args.filter), pageArgs(args.first, args.after));
        for (const l of page.leads) ctx.loaders.lead.prime(l.leadId, l);
        return connection(page);
      },
    },
    Lead: leadResolvers,
  },
};
