/**
 * Custom search attributes every lead workflow carries, so ops can find leads
 * in the Temporal UI and with list filters. Registered on the dev server at
 * start and by the production setup (docker-compose) the same way.
 */
export const SEARCH_ATTRIBUTES = {
  SwitchyardTenant: 'Keyword',
  SwitchyardSource: 'Keyword',
  SwitchyardServiceLine: 'Keyword',
  SwitchyardLeadStatus: 'Keyword',
  SwitchyardEndpoint: 'Keyword',
} as const;
