import type { LeadFilter } from '../../db/lead-query.ts';
import { leadScope, type Operation } from '../../domain/access/policy.ts';
import type { LeadState } from '../../domain/lifecycle/lead-state.ts';
import { authorize, mayAccess, type ApiContext } from '../context.ts';
import { refused, succeeded } from '../core/payload.ts';
import type { LeadFilter as LeadFilterInput, QueryLeadsArgs } from '../generated/graphql.ts';
import type { GraphQLModule } from '../module.ts';
import { leadResolvers, pageArgs, type PageArgs } from './lead-fields.ts';
import { leadsTypeDefs } from './type-defs.ts';

// A SubmissionFilter is a LeadFilter with fewer fields: both arrive here.
export const toLeadFilter = (f: LeadFilterInput | null | undefined): LeadFilter => ({
  ...(f?.status?.length ? { status: f.status } : {}),
  ...(f?.sourceId ? { sourceId: f.sourceId } : {}),
  ...(f?.endpointId ? { endpointId: f.endpointId } : {}),
  ...(f?.serviceLine ? { serviceLine: f.serviceLine } : {}),
  ...(f?.receivedFrom != null ? { receivedFrom: f.receivedFrom } : {}),
  ...(f?.receivedTo != null ? { receivedTo: f.receivedTo } : {}),
});

const NO_PAGE = { nodes: [], pageInfo: { endCursor: null, hasNextPage: false } };

/**
 * One page of leads in the caller's scope as a LeadConnection; bad page
 * arguments come back in its errors, with no leads.
 */
export async function leadPage(
  ctx: ApiContext,
  args: Pick<QueryLeadsArgs, 'first' | 'after'>,
  list: (page: PageArgs) => Promise<{ leads: LeadState[]; endCursor?: string; hasNextPage: boolean }>,
) {
  const page = pageArgs(args.first, args.after);
  if (!page.ok) return refused(page.error, NO_PAGE);
  const found = await list(page.value);
  for (const l of found.leads) ctx.loaders.lead.prime(l.leadId, l);
  return succeeded({ nodes: found.leads, pageInfo: { endCursor: found.endCursor ?? null, hasNextPage: found.hasNextPage } });
}

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
      lead: async (_, { id }, ctx) => (await loadVisibleLead(ctx, id)) ?? null,
      leads: (_, args, ctx) => {
        const actor = authorize(ctx, 'lead.list');
        return leadPage(ctx, args, (page) => ctx.services.leads.list(actor.tenantId, leadScope(actor), toLeadFilter(args.filter), page));
      },
    },
    Lead: leadResolvers,
  },
};
