import { Repeater } from 'graphql-yoga';
import { can } from '../../domain/access/policy.ts';
import type { OpenOffer } from '../../services/open-offers.ts';
import { authorize, requirePrincipal, type ApiContext } from '../context.ts';
import { invalidInput, refused, succeeded } from '../core/payload.ts';
import type { OfferParent as Offer } from '../mappers.ts';
import type { GraphQLModule } from '../module.ts';
import { subscribeOffers } from '../offers-pubsub.ts';
import { pollEvery } from '../core/polling.ts';
import { offersTypeDefs } from './type-defs.ts';

export const OFFER_POLL_MS = 1000;
const MAX_REMEMBERED = 5000;

const toOffer = (o: OpenOffer): Offer => ({
  tenantId: o.tenantId,
  endpointId: o.endpointId,
  leadId: o.leadId,
  round: o.round,
  deadlineAt: o.deadlineAt,
  lead: o.lead,
});

/**
 * The endpoint's offers as a stream: in-process publishes arrive at once, and
 * a poll of the endpoint's in-app inbox each second catches offers made by
 * the worker process (a quiet poll is one point read). Each (lead, round) is
 * sent once.
 */
export function offerStream(ctx: ApiContext, tenantId: string, endpointId: string, pollMs = OFFER_POLL_MS) {
  return new Repeater<Offer>(async (push, stop) => {
    const sent = new Set<string>();
    const emit = (o: Offer) => {
      const key = `${o.leadId}#${o.round}`;
      if (sent.has(key)) return;
      sent.add(key);
      if (sent.size > MAX_REMEMBERED) sent.delete(sent.values().next().value!);
      void push(o);
    };
    const live = subscribeOffers(tenantId, endpointId);
    void (async () => {
      for await (const o of live) emit({ ...o, tenantId, endpointId });
    })();
    const next = ctx.services.offers.watcher(tenantId, endpointId);
    const stopPolling = await pollEvery(pollMs, async () => {
      for (const o of await next(Date.now())) emit(toOffer(o));
    });
    await stop;
    stopPolling();
    await live.return?.();
  });
}

/** The endpoint the caller watches (the one named, else an agent's own), through the policy; undefined when there is none. */
function watchedEndpoint(
  ctx: ApiContext,
  op: 'offers.read' | 'offers.subscribe',
  named: string | null | undefined,
): { tenantId: string; endpointId: string } | undefined {
  const { actor } = requirePrincipal(ctx);
  const endpointId = named ?? actor.endpointId;
  if (!endpointId) {
    authorize(ctx, op);
    return undefined;
  }
  authorize(ctx, op, { kind: 'endpoint', tenantId: actor.tenantId, endpointId });
  return { tenantId: actor.tenantId, endpointId };
}

export const offersModule: GraphQLModule = {
  typeDefs: offersTypeDefs,
  resolvers: {
    Query: {
      myOffers: async (_, args, ctx) => {
        const watched = watchedEndpoint(ctx, 'offers.read', args.endpointId);
        if (!watched) return refused(invalidInput('name the endpoint to watch: you are bound to none', 'endpointId'), { nodes: [] });
        const offers = await ctx.services.offers.list(watched.tenantId, watched.endpointId, ctx.now);
        for (const o of offers) ctx.loaders.lead.prime(o.leadId, o.lead);
        return succeeded({ nodes: offers.map(toOffer) });
      },
    },
    Subscription: {
      offerReceived: {
        // The SDL makes endpointId required, so the validator has already refused a subscription without one.
        subscribe: (_, args, ctx) => {
          const { tenantId, endpointId } = watchedEndpoint(ctx, 'offers.subscribe', args.endpointId)!;
          return offerStream(ctx, tenantId, endpointId);
        },
        resolve: (offer: Offer) => offer,
      },
    },
    Offer: {
      deadlineAt: (o) => (o.deadlineAt > 0 ? o.deadlineAt : null),
      // As read when the offer was found, else fresh: the subscription's request-wide cache would go stale.
      lead: async (o, _, ctx) => {
        const lead = o.lead ?? (await ctx.services.leads.byIds(o.tenantId, [o.leadId])).get(o.leadId);
        if (!lead) return null;
        return can(requirePrincipal(ctx), 'lead.read', { kind: 'lead', lead }).allow ? lead : null;
      },
    },
  },
};
