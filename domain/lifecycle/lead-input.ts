import type { LeadInput } from '../intake/lead-input.ts';

/** What starts a lead's workflow: the lead as intake accepted it, and where it came from. */
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
