import type { Connection } from 'mongoose';
import type { LeadInput } from '../domain/intake/lead-input.ts';
import type { DuplicateKeys, DuplicateLookup, PriorLead } from '../domain/validation/duplicates.ts';
import type { PiiCodec, SealedValue } from '../infra/pii.ts';
import { sequences } from './sequences.ts';
import { isDuplicateKey } from './duplicate-key.ts';

/** A lead's consumer data as callers see it: opened, never stored like this. */
export interface LeadContact {
  firstName?: string;
  lastName?: string;
  phone?: string;
  /** The verified E.164 form, when validation produced one. */
  phoneE164?: string;
  email?: string;
  street?: string;
  city?: string;
  state?: string;
  zip?: string;
  consentIp?: string;
  consent?: { text: string; timestamp: string; pageUrl?: string; geolocation?: { lat: number; lon: number }; channels?: string[] };
  fields: Record<string, string>;
}

interface ContactDoc {
  _id: string;
  tenantId: string;
  sourceId: string;
  receivedAt: number;
  /** Validation's outcome, for duplicate detection of later leads (absent: still being validated counts as accepted). */
  accepted?: boolean;
  firstName?: string;
  lastName?: string;
  city?: string;
  state?: string;
  zip?: string;
  phone?: SealedValue;
  phoneE164?: SealedValue;
  email?: SealedValue;
  street?: SealedValue;
  consentIp?: SealedValue;
  consent?: { text: string; timestamp: string; pageUrl?: string; geolocation?: { lat: number; lon: number }; channels?: string[] };
  /** The source's free fields, sealed as one JSON value: vendors put anything in them. */
  fields?: SealedValue;
}

/**
 * Consumer data at rest: phone, email, street, consent IP and free fields are
 * sealed (AES-256-GCM) with a keyed hash beside each; names, city, state and
 * ZIP stay readable for search and reporting. One document per lead, written
 * once (a retry finds it there).
 *
 * Duplicate detection reads an index of its own: per tenant and keyed hash of
 * the normalised phone or email, a numbered list of the leads that carried it
 * (`_id`-addressed, so it never scans). A lead adds itself before it looks
 * for priors, so of two identical leads posted at the same moment, the later
 * (or, in the same millisecond, the higher id) always sees the other.
 */
export function leadContactStore(conn: Connection, pii: PiiCodec) {
  const col = conn.collection<ContactDoc>('lead_contacts');
  const index = sequences(conn, 'lead_index');
  const seal = (v: string | undefined) => (v === undefined || v === '' ? undefined : pii.seal(v));
  const open = (v: SealedValue | undefined) => (v ? pii.open(v) : undefined);
  const postings = (tenantId: string, kind: 'phone' | 'email', hash: string) => `dup|${tenantId}|${kind}|${hash}`;

  async function readFirst(prefix: string, n: number) {
    const out = [];
    for (let i = 1; i <= n; i++) {
      const d = await index.read(index.idOf(prefix, i));
      if (d) out.push(d);
    }
    return out;
  }

  /** Whether each prior was accepted: written once with its contact, so what was read once stays true. */
  const outcomes = new Map<string, boolean>();
  async function outcomeOf(leadId: string): Promise<boolean | undefined> {
    const hit = outcomes.get(leadId);
    if (hit !== undefined) return hit;
    const doc = await col.findOne({ _id: leadId }, { projection: { accepted: 1 } });
    if (typeof doc?.accepted !== 'boolean') return undefined;
    outcomes.set(leadId, doc.accepted);
    if (outcomes.size > 10_000) outcomes.delete(outcomes.keys().next().value!);
    return doc.accepted;
  }

  /** Where this process put each lead in its postings: entries after it arrived later and need no reading. */
  const placed = new Map<string, Partial<Record<'phone' | 'email', number>>>();

  const lookup: Required<DuplicateLookup> = {
    async register({ tenantId, leadId, receivedAt, keys }) {
      const kinds = (['phone', 'email'] as const).filter((k) => keys[k]);
      const guard = (kind: 'phone' | 'email') => `dupguard|${leadId}|${kind}`;
      const entry = { leadId, receivedAt };
      // Per kind, its guard (so a retried validation never lists the lead twice) and its posting at
      // the next slot this process knows of, all in one ordered insert; where a race or a retry stops
      // it, the rest goes one by one.
      const planned = kinds.map((kind) => {
        const prefix = postings(tenantId, kind, keys[kind]!);
        const n = (index.cachedHighest(prefix) ?? 0) + 1;
        return {
          prefix,
          n,
          docs: [
            { id: guard(kind), data: {} },
            { id: index.idOf(prefix, n), data: entry, at: { prefix, n } },
          ],
        };
      });
      const went = await index.insertSteps(planned.map((p) => p.docs));
      const at: Partial<Record<'phone' | 'email', number>> = {};
      for (const [i, kind] of kinds.entries()) {
        const { prefix, n } = planned[i]!;
        if (went[i] === 2) at[kind] = n;
        else if (went[i] === 1)
          at[kind] = await index.append(prefix, entry); // guarded, but the slot was taken
        else if (went[i] === undefined && (await index.insertOnce(guard(kind), {}))) at[kind] = await index.append(prefix, entry);
        // 0: the guard was there, listed by an earlier try
      }
      placed.set(leadId, at);
      if (placed.size > 10_000) placed.delete(placed.keys().next().value!);
    },
    async findPriors({ tenantId, keys, since, until, leadId }) {
      const byLead = new Map<string, PriorLead>();
      const mine = leadId ? placed.get(leadId) : undefined;
      for (const kind of ['phone', 'email'] as const) {
        const hash = keys[kind];
        if (!hash) continue;
        // Only entries before our own can be priors; first in its list, a lead reads nothing.
        const before = mine?.[kind];
        const entries = before === undefined ? await index.list(postings(tenantId, kind, hash)) : await readFirst(postings(tenantId, kind, hash), before - 1);
        for (const p of entries) {
          const receivedAt = p.receivedAt as number;
          if (receivedAt < since || receivedAt > until) continue;
          const leadId = p.leadId as string;
          const prior = byLead.get(leadId) ?? { leadId, receivedAt, keys: {}, accepted: true };
          prior.keys[kind] = hash;
          byLead.set(leadId, prior);
        }
      }
      // A prior still being validated counts as accepted: a resubmission in the same moment is a duplicate.
      for (const prior of byLead.values()) prior.accepted = (await outcomeOf(prior.leadId)) ?? true;
      return [...byLead.values()];
    },
  };

  return {
    duplicates: lookup,

    /**
     * Stores the lead's contact once, with whether validation accepted it (so
     * later duplicates of a rejected lead are not rejected for it); a second
     * call (an activity retry) leaves the first.
     */
    async save(input: {
      tenantId: string;
      sourceId: string;
      leadId: string;
      receivedAt: number;
      lead: LeadInput;
      phoneE164?: string;
      accepted?: boolean;
    }): Promise<void> {
      const { lead } = input;
      const a = lead.address ?? {};
      const doc: ContactDoc = { _id: input.leadId, tenantId: input.tenantId, sourceId: input.sourceId, receivedAt: input.receivedAt };
      if (input.accepted !== undefined) doc.accepted = input.accepted;
      const put = <K extends keyof ContactDoc>(k: K, v: ContactDoc[K] | undefined) => {
        if (v !== undefined) doc[k] = v;
      };
      put('firstName', lead.firstName);
      put('lastName', lead.lastName);
      put('city', a.city);
      put('state', a.state?.toUpperCase());
      put('zip', a.zip);
      put('phone', seal(lead.phone));
      put('phoneE164', seal(input.phoneE164));
      put('email', seal(lead.email));
      put('street', seal(a.street));
      put('consentIp', seal(lead.consent?.ip));
      if (lead.consent) {
        const { ip: _ip, ...rest } = lead.consent;
        doc.consent = rest;
      }
      if (Object.keys(lead.fields).length > 0) doc.fields = pii.seal(JSON.stringify(lead.fields));
      try {
        await col.insertOne(doc);
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
    },

    /** The contact, opened; undefined for another tenant's lead or an unknown id. */
    async get(tenantId: string, leadId: string): Promise<LeadContact | undefined> {
      const d = await col.findOne({ _id: leadId });
      if (!d || d.tenantId !== tenantId) return undefined;
      const out: LeadContact = { fields: d.fields ? (JSON.parse(pii.open(d.fields)) as Record<string, string>) : {} };
      const set = <K extends keyof LeadContact>(k: K, v: LeadContact[K] | undefined) => {
        if (v !== undefined) out[k] = v;
      };
      set('firstName', d.firstName);
      set('lastName', d.lastName);
      set('phone', open(d.phone));
      set('phoneE164', open(d.phoneE164));
      set('email', open(d.email));
      set('street', open(d.street));
      set('city', d.city);
      set('state', d.state);
      set('zip', d.zip);
      set('consentIp', open(d.consentIp));
      set('consent', d.consent);
      return out;
    },

    /** The lead as delivery templates read it, rebuilt from the sealed record. */
    async leadInput(tenantId: string, leadId: string, serviceLine: string): Promise<LeadInput | undefined> {
      const c = await this.get(tenantId, leadId);
      if (!c) return undefined;
      const address = {
        ...(c.street ? { street: c.street } : {}),
        ...(c.city ? { city: c.city } : {}),
        ...(c.state ? { state: c.state } : {}),
        ...(c.zip ? { zip: c.zip } : {}),
      };
      return {
        serviceLine,
        fields: c.fields,
        ...(c.firstName ? { firstName: c.firstName } : {}),
        ...(c.lastName ? { lastName: c.lastName } : {}),
        ...((c.phoneE164 ?? c.phone) ? { phone: c.phoneE164 ?? c.phone } : {}),
        ...(c.email ? { email: c.email } : {}),
        ...(Object.keys(address).length ? { address } : {}),
        ...(c.consent
          ? {
              consent: {
                ...c.consent,
                ...(c.consentIp ? { ip: c.consentIp } : {}),
                channels: c.consent.channels as Array<'sms' | 'email' | 'phone'> | undefined,
              },
            }
          : {}),
      };
    },
  };
}

export type LeadContactStore = ReturnType<typeof leadContactStore>;
export type { DuplicateKeys };
