import type { LeadInput } from '../intake/lead-input.ts';
import type { TemplateVars } from './template.ts';

export interface LeadVarsInput {
  leadId: string;
  lead: LeadInput;
  /** The validated phone, preferred over what the source posted. */
  phoneE164?: string;
  /** Extra values (source name, endpoint name, county...) merged on top. */
  extra?: Record<string, unknown>;
}

/**
 * The variables templates and field mappings can name: flat names for the
 * common fields (`firstName`, `zip`, ...), `address.*`, `fields.*` for the
 * source's free fields, and `consent.*`.
 */
export function leadTemplateVars(input: LeadVarsInput): TemplateVars {
  const { lead } = input;
  const fullName = [lead.firstName, lead.lastName].filter(Boolean).join(' ');
  return {
    leadId: input.leadId,
    firstName: lead.firstName,
    lastName: lead.lastName,
    fullName: fullName || undefined,
    phone: input.phoneE164 ?? lead.phone,
    email: lead.email,
    street: lead.address?.street,
    city: lead.address?.city,
    state: lead.address?.state,
    zip: lead.address?.zip,
    address: { ...lead.address },
    serviceLine: lead.serviceLine,
    fields: { ...lead.fields },
    consent: lead.consent ? { text: lead.consent.text, timestamp: lead.consent.timestamp, ip: lead.consent.ip, pageUrl: lead.consent.pageUrl } : undefined,
    ...input.extra,
  };
}
