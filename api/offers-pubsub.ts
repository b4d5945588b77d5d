import { createPubSub } from 'graphql-yoga';

/** What an agent is told about a new offer; the lead itself is read fresh, through the policy. */
export interface OfferEvent {
  leadId: string;
  /** Offer round: a lead offered again after a lapse is a new offer. */
  round: number;
  deadlineAt: number;
}

const pubSub = createPubSub<{ offer: [key: string, offer: OfferEvent] }>();
const topicKey = (tenantId: string, endpointId: string) => `${tenantId}:${endpointId}`;

/**
 * Tells the agent's open subscriptions about a new offer at once. It reaches
 * subscribers in THIS process only: the worker runs in another process, so
 * every subscription also polls the endpoint's in-app inbox each second for
 * new offers (see offers/resolvers.ts), and deduplicates. Calling
 * this from the same process as the API only makes the offer arrive sooner.
 * Across many API replicas a shared bus (Redis or NATS through yoga's
 * `eventTarget` option) would replace the poll.
 */
export function publishOffer(tenantId: string, endpointId: string, offer: OfferEvent): void {
  pubSub.publish('offer', topicKey(tenantId, endpointId), offer);
}

export function subscribeOffers(tenantId: string, endpointId: string) {
  return pubSub.subscribe('offer', topicKey(tenantId, endpointId));
}
