/** The GraphQL selection an explanation tree needs. */
export const TIERS = 'tiers { index name algorithm outcome candidates { endpointId name verdict reason counters { name value } } }';
