import type { LeadContact } from '../../db/lead-contact-store.ts';
import { decodeCursor } from '../../db/lead-query.ts';
import { contactView, leadFieldAccess } from '../../domain/access/policy.ts';
import type { LeadState } from '../../domain/lifecycle/lead-state.ts';
import { maskEmail, maskIp, maskPhone, maskStreet } from '../../domain/masking.ts';
import { requirePrincipal, type ApiContext } from '../context.ts';
import { invalidInput, type Checked } from '../core/payload.ts';
import type { LeadResolvers } from '../generated/graphql.ts';

export const MAX_PAGE = 200;

export type PageArgs = { first: number; after?: { receivedAt: number; leadId: string } };

/** Page arguments, checked: a bad cursor or size is the caller's error, named. */
export function pageArgs(first: number | null | undefined, after: string | null | undefined): Checked<PageArgs> {
  const n = first ?? 50;
  if (!Number.isInteger(n) || n < 1 || n > MAX_PAGE) return { ok: false, error: invalidInput(`"first" must be between 1 and ${MAX_PAGE}`, 'first') };
  if (after == null) return { ok: true, value: { first: n } };
  const cursor = decodeCursor(after);
  if (!cursor) return { ok: false, error: invalidInput('"after" is not a cursor this API gave out', 'after') };
  return { ok: true, value: { first: n, after: cursor } };
}

/** The Contact type's fields, from a stored contact: the verified phone when there is one. */
export interface ContactOut {
  firstName?: string;
  lastName?: string;
  phone?: string;
  email?: string;
  street?: string;
  city?: string;
  state?: string;
  zip?: string;
  consentIp?: string;
  /** The source's free fields: vendors put anything in them, so they show in clear or not at all. */
  fields?: Record<string, string>;
}

export function clearContact(c: LeadContact): ContactOut {
  const phone = c.phoneE164 ?? c.phone;
  return {
    ...(c.firstName ? { firstName: c.firstName } : {}),
    ...(c.lastName ? { lastName: c.lastName } : {}),
    ...(phone ? { phone } : {}),
    ...(c.email ? { email: c.email } : {}),
    ...(c.street ? { street: c.street } : {}),
    ...(c.city ? { city: c.city } : {}),
    ...(c.state ? { state: c.state } : {}),
    ...(c.zip ? { zip: c.zip } : {}),
    ...(c.consentIp ? { consentIp: c.consentIp } : {}),
    fields: c.fields,
  };
}

export function maskContact(c: LeadContact): ContactOut {
  const clear = clearContact(c);
  return {
    ...(clear.firstName ? { firstName: clear.firstName } : {}),
    ...(clear.lastName ? { lastName: `${clear.lastName.slice(0, 1)}.` } : {}),
    ...(clear.phone ? { phone: maskPhone(clear.phone) } : {}),
    ...(clear.email ? { email: maskEmail(clear.email) } : {}),
    ...(clear.street ? { street: maskStreet(clear.street) } : {}),
    ...(clear.city ? { city: clear.city } : {}),
    ...(clear.state ? { state: clear.state } : {}),
    ...(clear.zip ? { zip: clear.zip } : {}),
    ...(clear.consentIp ? { consentIp: maskIp(clear.consentIp) } : {}),
  };
}

const access = (ctx: ApiContext, lead: LeadState) => leadFieldAccess(requirePrincipal(ctx).actor, lead);

/** Field resolvers of the Lead type: each field the policy withholds from the caller is null. */
export const leadResolvers: LeadResolvers = {
  id: (l) => l.leadId,
  market: (l) => l.market ?? null,
  offeredTo: (l, _, ctx) => (access(ctx, l).assignment ? l.offeredTo : null),
  offerDeadlineAt: (l, _, ctx) => (access(ctx, l).assignment ? (l.offerDeadlineAt ?? null) : null),
  heldUntil: (l) => l.heldUntil ?? null,
  heldReason: (l, _, ctx) => (access(ctx, l).routing ? (l.heldReason ?? null) : null),
  ownerEndpointId: (l, _, ctx) => (access(ctx, l).assignment ? (l.ownerEndpointId ?? null) : null),
  collaborators: (l, _, ctx) => (access(ctx, l).assignment ? l.collaborators : null),
  deliveredTo: (l, _, ctx) => {
    const a = access(ctx, l);
    // A buyer may read its own endpoint id on its own deliveries.
    return a.assignment || a.price ? (l.deliveredTo ?? null) : null;
  },
  costCents: (l, _, ctx) => (access(ctx, l).cost ? l.costCents : null),
  priceCents: (l, _, ctx) => (access(ctx, l).price ? (l.priceCents ?? null) : null),
  routingSummary: (l, _, ctx) => (access(ctx, l).routing ? (l.routingSummary ?? null) : null),
  configVersion: (l, _, ctx) => (access(ctx, l).routing ? (l.configVersion ?? null) : null),
  signals: (l, _, ctx) => (access(ctx, l).routing ? (l.signals ?? null) : null),
  returnWindow: async (l, _, ctx) => {
    if (l.deliveredAt === undefined) return null;
    const source = (await ctx.loaders.config.load(l.tenantId))?.document.sources.find((s) => s.id === l.sourceId);
    if (!source) return null;
    const closesAt = l.deliveredAt + source.returnWindowSec * 1000;
    const open = closesAt > ctx.now && !l.returned && l.billing !== 'final';
    return { closesAt, open, secondsLeft: open ? Math.floor((closesAt - ctx.now) / 1000) : 0, allowedReasons: source.allowedReturnReasons };
  },
  contact: async (l, _, ctx) => {
    const view = contactView(requirePrincipal(ctx).actor, l);
    if (view === 'none') return null;
    const contact = await ctx.loaders.contact.load(l.leadId);
    if (!contact) return null;
    return { visibility: view, ...(view === 'clear' ? clearContact(contact) : maskContact(contact)) };
  },
};
