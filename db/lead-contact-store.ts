import { Schema, type Connection, type Model } from 'mongoose';
import type { PiiCodec, SealedValue } from '../infra/pii.ts';

/** A lead's personal data, decrypted. */
export interface LeadContact {
  firstName?: string;
  lastName?: string;
  phone?: string;
  email?: string;
  street?: string;
  city?: string;
  state?: string;
  zip?: string;
  consentIp?: string;
}

export const CONTACT_FIELDS = ['firstName', 'lastName', 'phone', 'email', 'street', 'city', 'state', 'zip', 'consentIp'] as const satisfies ReadonlyArray<keyof LeadContact>;

/**
 * One document per lead in `lead_contacts`, every field sealed (AES-256-GCM
 * with its keyed hash, infra/pii.ts). Kept apart from the `leads` read model
 * so listings and reports never load personal data, and a lead's contact can
 * be erased without touching its history.
 */
export type LeadContactDoc = { _id: string; tenantId: string; leadId: string; createdAt: Date } & Partial<Record<(typeof CONTACT_FIELDS)[number], SealedValue>>;

const sealed = { type: new Schema({ c: { type: String, required: true }, h: { type: String, required: true } }, { _id: false }) };
const LeadContactSchema = new Schema<LeadContactDoc>(
  {
    _id: { type: String, required: true },
    tenantId: { type: String, required: true },
    leadId: { type: String, required: true },
    createdAt: { type: Date, required: true },
    ...Object.fromEntries(CONTACT_FIELDS.map((f) => [f, sealed])),
  },
  { versionKey: false },
);
// Exact-match search and duplicate detection by keyed hash, never by clear text.
LeadContactSchema.index({ tenantId: 1, 'phone.h': 1 });
LeadContactSchema.index({ tenantId: 1, 'email.h': 1 });

export function leadContactModel(conn: Connection): Model<LeadContactDoc> {
  return (conn.models.LeadContact as Model<LeadContactDoc> | undefined) ?? conn.model<LeadContactDoc>('LeadContact', LeadContactSchema, 'lead_contacts');
}

const contactId = (tenantId: string, leadId: string) => `${tenantId}:${leadId}`;

export function leadContactStore(conn: Connection, pii: PiiCodec) {
  const Contacts = leadContactModel(conn);
  const open = (d: LeadContactDoc): LeadContact => {
    const out: LeadContact = {};
    for (const f of CONTACT_FIELDS) {
      const v = d[f];
      if (v) out[f] = pii.open(v);
    }
    return out;
  };

  return {
    /** Stores (or replaces, idempotently) a lead's contact, sealed. */
    async put(tenantId: string, leadId: string, contact: LeadContact): Promise<void> {
      const fields = Object.fromEntries(CONTACT_FIELDS.filter((f) => contact[f] !== undefined && contact[f] !== '').map((f) => [f, pii.seal(contact[f]!)]));
      const _id = contactId(tenantId, leadId);
      await Contacts.replaceOne({ _id }, { _id, tenantId, leadId, createdAt: new Date(), ...fields }, { upsert: true });
    },

    async get(tenantId: string, leadId: string): Promise<LeadContact | undefined> {
      const d = await Contacts.findOne({ _id: contactId(tenantId, leadId), tenantId }).lean();
      return d ? open(d) : undefined;
    },

    /** Several leads of one tenant at once (the API's DataLoader). */
    async getMany(tenantId: string, leadIds: readonly string[]): Promise<Map<string, LeadContact>> {
      const docs = await Contacts.find({ tenantId, _id: { $in: leadIds.map((id) => contactId(tenantId, id)) } }).lean();
      return new Map(docs.map((d) => [d.leadId, open(d)]));
    },
  };
}

export type LeadContactStore = ReturnType<typeof leadContactStore>;
