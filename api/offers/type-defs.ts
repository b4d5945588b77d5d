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

  extend type Query {
    "Agents: the leads offered to them now, waiting for a claim, newest first. Managers name the endpoint."
    myOffers(endpointId: ID): [Offer!]!
  }

  type Subscription {
    """
    Agents: each lead offered to their endpoint, as it is offered (server-sent
    events). The offers open when the subscription starts come first. Managers
    name the endpoint to watch.
    """
    offerReceived(endpointId: ID): Offer!
  }
`;
