import type { LeadInput } from '../intake/lead-input.ts';
import { maskEmail, maskIp, maskPhone, maskStreet } from '../masking.ts';
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

/**
 * The lead as a person who has not claimed it may be sent it: phone, email,
 * street and IP masked, the rest (name, city, ZIP, service) as posted.
 */
export function withContactHidden(lead: LeadInput, phoneE164: string | undefined): { lead: LeadInput; phoneE164?: string } {
  const phone = phoneE164 ?? lead.phone;
  return {
    lead: {
      ...lead,
      ...(phone ? { phone: maskPhone(phone) } : {}),
      ...(lead.email ? { email: maskEmail(lead.email) } : {}),
      ...(lead.address ? { address: { ...lead.address, ...(lead.address.street ? { street: maskStreet(lead.address.street) } : {}) } } : {}),
      ...(lead.consent ? { consent: { ...lead.consent, ...(lead.consent.ip ? { ip: maskIp(lead.consent.ip) } : {}) } } : {}),
    },
  };
}
