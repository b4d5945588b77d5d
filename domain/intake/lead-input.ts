// The lead as intake accepted it. It lives in the core because mapping a
// payload and filling delivery templates read it, and domain/ imports nothing
// from activities/.

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

/** A lead as intake accepted it: shape-checked, not yet verified. */
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
