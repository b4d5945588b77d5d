export const offersTypeDefs = /* GraphQL */ `
  "A lead offered to an endpoint, waiting to be claimed before its deadline."
  type Offer {
    leadId: ID!
    endpointId: ID!
    round: Int!
    deadlineAt: DateTime
    "The lead as the subscriber may see it (contact masked until claimed), or null once it is no longer visible."
    lead: Lead
  }

  type OfferList {
    ok: Boolean!
    "A caller bound to no endpoint who names none is refused here (field endpointId), with no offers."
    errors: [UserError!]!
    nodes: [Offer!]!
  }

  extend type Query {
    "Agents: the leads offered to them now, waiting for a claim, newest first. Managers name the endpoint."
    myOffers(endpointId: ID): OfferList!
  }

  type Subscription {
    """
    Each lead offered to the endpoint, as it is offered (server-sent events).
    The offers open when the subscription starts come first. Agents name
    their own endpoint (me.endpointId), managers the one to watch. The
    argument is required because an event stream has no payload to carry a
    refusal in: GraphQL's validator refuses a subscription without it.
    """
    offerReceived(endpointId: ID!): Offer!
  }
`;
