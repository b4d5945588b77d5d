import { GraphQLError } from 'graphql';
import { Repeater } from 'graphql-yoga';
import { can } from '../../domain/access/policy.ts';
import { authorize, requirePrincipal, type ApiContext } from '../context.ts';
import type { GraphQLModule } from '../module.ts';
import { subscribeOffers, type OfferEvent } from '../offers-pubsub.ts';
import { offersTypeDefs } from './type-defs.ts';

export const OFFER_POLL_MS = 1000;
const MAX_REMEMBERED = 5000;

interface Offer extends OfferEvent {
  tenantId: string;
  endpointId: string;
}

/**
 * The endpoint's offers as a stream: in-process publishes arrive at once, and
 * a poll of the read model each second catches offers made by the worker
 * process. Each (lead, round) is sent once.
 */
export function offerStream(ctx: ApiContext, tenantId: string, endpointId: string, pollMs = OFFER_POLL_MS) {
  return new Repeater<Offer>(async (push, stop) => {
    const sent = new Set<string>();
    const emit = (o: OfferEvent) => {
      const key = `${o.leadId}#${o.round}`;
      if (sent.has(key)) return;
      sent.add(key);
      if (sent.size > MAX_REMEMBERED) sent.delete(sent.values().next().value!);
      void push({ ...o, tenantId, endpointId });
    };
    const live = subscribeOffers(tenantId, endpointId);
    void (async () => {
      for await (const o of live) emit(o);
    })();
    let polling = false;
    const poll = async () => {
      if (polling) return;
      polling = true;
      try {
        for (const l of (await ctx.services.leads.openOffers(tenantId, endpointId)).reverse()) {
          emit({ leadId: l.leadId, round: l.offerRound, deadlineAt: l.offerDeadlineAt ?? 0 });
        }
      } catch {
        // A failed poll is retried on the next tick; the stream stays open.
      } finally {
        polling = false;
      }
    };
    const timer = setInterval(() => void poll(), pollMs);
    await poll();
    await stop;
    clearInterval(timer);
    await live.return?.();
  });
}

/** The endpoint the caller watches: its own (agents), or the one a manager names. */
function watchedEndpoint(ctx: ApiContext, op: 'offers.read' | 'offers.subscribe', named: string | null | undefined): { tenantId: string; endpointId: string } {
  const { actor } = requirePrincipal(ctx);
  const endpointId = named ?? actor.endpointId;
  if (!endpointId) {
    authorize(ctx, op);
    throw new GraphQLError('name the endpoint to watch', { extensions: { code: 'BAD_USER_INPUT', field: 'endpointId' } });
  }
  authorize(ctx, op, { kind: 'endpoint', tenantId: actor.tenantId, endpointId });
  return { tenantId: actor.tenantId, endpointId };
}

export const offersModule: GraphQLModule = {
  typeDefs: offersTypeDefs,
  resolvers: {
    Query: {
      myOffers: async (_: unknown, args: { endpointId?: string | null }, ctx: ApiContext) => {
        const { tenantId, endpointId } = watchedEndpoint(ctx, 'offers.read', args.endpointId);
        const leads = await ctx.services.leads.openOffers(tenantId, endpointId);
        return leads.map((l) => ({ tenantId, endpointId, leadId: l.leadId, round: l.offerRound, deadlineAt: l.offerDeadlineAt ?? 0 }));
      },
    },
    Subscription: {
      offerReceived: {
        subscribe: (_: unknown, args: { endpointId?: string | null }, ctx: ApiContext) => {
          const { tenantId, endpointId } = watchedEndpoint(ctx, 'offers.subscribe', args.endpointId);
          return offerStream(ctx, tenantId, endpointId);
        },
        resolve: (offer: Offer) => offer,
      },
    },
    Offer: {
      deadlineAt: (o: Offer) => (o.deadlineAt > 0 ? o.deadlineAt : null),
      // Read fresh for each event: the subscription's request-wide cache would go stale.
      lead: async (o: Offer, _: unknown, ctx: ApiContext) => {
        const lead = (await ctx.services.leads.byIds(o.tenantId, [o.leadId])).get(o.leadId);
        if (!lead) return null;
        return can(requirePrincipal(ctx), 'lead.read', { kind: 'lead', lead }).allow ? lead : null;
      },
    },
  },
};
