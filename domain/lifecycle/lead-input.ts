/** The lead as intake accepted it and the workflow carries it: shape-checked, not yet verified. */

export interface LeadAddress {
  street?: string;
  city?: string;
  state?: string;
  zip?: string;
}

export interface ConsentRecord {
  text: string;
  timestamp: string;
  ip?: string;
  pageUrl?: string;
  geolocation?: { lat: number; lon: number };
  /** Channels the consumer agreed to be contacted on. */
  channels?: Array<'sms' | 'email' | 'phone'>;
}

export interface LeadInput {
  firstName?: string;
  lastName?: string;
  phone?: string;
  email?: string;
  address?: LeadAddress;
  serviceLine: string;
  fields: Record<string, string>;
  consent?: ConsentRecord;
}

export interface LeadWorkflowInput {
  tenantId: string;
  leadId: string;
  sourceId: string;
  externalId?: string;
  receivedAt: number;
  lead: LeadInput;
  /** The source already named the receiver: allocation is skipped. */
  preassignedEndpointId?: string;
  replacementOf?: string;
  /** Endpoints a replacement must not go to (the one that returned the original). */
  excludeEndpointIds?: string[];
}
