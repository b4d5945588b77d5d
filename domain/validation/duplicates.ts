import { stepResult, type StepResult } from './step.ts';

/** Keyed hashes (never the plain values) of a lead's normalised phone and email. */
export type DuplicateKeys = { phone?: string; email?: string };

export interface PriorLead {
  leadId: string;
  receivedAt: number;
  keys: DuplicateKeys;
  /** A prior that was itself rejected does not make this one a duplicate. */
  accepted: boolean;
}

export type DuplicateMatch = 'phone_or_email' | 'phone' | 'email' | 'phone_and_email';

export type DuplicateData = {
  duplicateOf?: string;
  duplicateReceivedAt?: number;
  matchedOn: Array<'phone' | 'email'>;
  windowMs: number;
  priorsChecked: number;
};

export interface DuplicateQuery {
  leadId: string;
  receivedAt: number;
  keys: DuplicateKeys;
  /** The source's duplicate window; 0 turns the check off. */
  windowMs: number;
  priors: PriorLead[];
  match?: DuplicateMatch;
}

export type DuplicateStep = StepResult<'duplicate', DuplicateData>;

/** What the I/O side must answer: leads sharing a key, received since `since`. */
export interface DuplicateLookup {
  /**
   * Adds the lead to the index before priors are looked up, so two identical
   * leads checked at the same moment always see each other (decideDuplicate
   * then keeps exactly one as the original).
   */
  register?(q: { tenantId: string; sourceId: string; leadId: string; receivedAt: number; keys: DuplicateKeys }): Promise<void>;
  findPriors(q: { tenantId: string; sourceId: string; keys: DuplicateKeys; since: number; until: number; leadId?: string }): Promise<PriorLead[]>;
}

/**
 * A lead is a duplicate when an accepted lead with a matching key arrived
 * within the window before it. Two leads arriving in the same millisecond are
 * ordered by lead id, so concurrent checks never reject both of them.
 */
export function decideDuplicate(q: DuplicateQuery): DuplicateStep {
  const base = { matchedOn: [] as Array<'phone' | 'email'>, windowMs: q.windowMs, priorsChecked: q.priors.length };
  if (q.windowMs <= 0 || (!q.keys.phone && !q.keys.email)) return stepResult('duplicate', 'pass', base);
  const match = q.match ?? 'phone_or_email';
  let best: { prior: PriorLead; on: Array<'phone' | 'email'> } | undefined;
  for (const prior of q.priors) {
    if (prior.leadId === q.leadId || !prior.accepted) continue;
    const earlier = prior.receivedAt < q.receivedAt || (prior.receivedAt === q.receivedAt && prior.leadId < q.leadId);
    if (!earlier || q.receivedAt - prior.receivedAt > q.windowMs) continue;
    const on: Array<'phone' | 'email'> = [];
    if (q.keys.phone && prior.keys.phone === q.keys.phone) on.push('phone');
    if (q.keys.email && prior.keys.email === q.keys.email) on.push('email');
    if (!matches(match, on)) continue;
    // The earliest match is the original the vendor is re-selling.
    if (!best || prior.receivedAt < best.prior.receivedAt) best = { prior, on };
  }
  if (!best) return stepResult('duplicate', 'pass', base);
  const hours = (q.windowMs / 3_600_000).toFixed(q.windowMs % 3_600_000 === 0 ? 0 : 1);
  return stepResult(
    'duplicate',
    'fail',
    { ...base, matchedOn: best.on, duplicateOf: best.prior.leadId, duplicateReceivedAt: best.prior.receivedAt },
    { code: 'duplicate', reason: `Same ${best.on.join(' and ')} as lead ${best.prior.leadId}, received within the source's ${hours}-hour duplicate window` },
  );
}

function matches(match: DuplicateMatch, on: Array<'phone' | 'email'>): boolean {
  switch (match) {
    case 'phone':
      return on.includes('phone');
    case 'email':
      return on.includes('email');
    case 'phone_and_email':
      return on.length === 2;
    case 'phone_or_email':
      return on.length > 0;
  }
}
