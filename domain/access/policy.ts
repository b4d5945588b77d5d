import type { Actor, Role } from '../lifecycle/actor.ts';
import type { LeadState } from '../lifecycle/lead-state.ts';

/**
 * Who may do what, in one place. Every resolver and HTTP handler asks `can`
 * before it touches a service; nothing else decides access. Pure: no I/O, so
 * the whole table is unit-tested and printed in the authorization matrix test.
 *
 * Tenant isolation comes first: a resource of another tenant is answered as
 * NOT_FOUND (its existence is not revealed). Then the role table, then the
 * relation to the resource (an agent's leads, a vendor's source, a buyer's
 * deliveries).
 */

/** How the caller proved who it is: a signed-in user, or a source's API key (intake only). */
export type Via = 'user' | 'api_key';

export interface Principal {
  actor: Actor;
  via: Via;
}

export const OPERATIONS = [
  'tenant.read',
  'health.read',
  'user.list',
  'user.manage',
  'apiKey.manage',
  'suppression.read',
  'suppression.manage',
  'config.read',
  'config.write',
  'config.import',
  'config.history',
  'lead.submit',
  'lead.read',
  'lead.list',
  'portal.vendor',
  'portal.buyer',
  'offers.subscribe',
  // Lead operations carried by the lead workflow (updates and signals): services/lead-commands.ts.
  'lead.claim',
  'lead.share',
  'lead.updateStatus',
  'lead.reassign',
  'lead.release',
  'lead.review',
  'lead.return',
  'lead.view',
  'lead.decline',
  'lead.history',
  'lead.explain',
  'offers.read',
  'routing.simulate',
  // Reporting: staff read every slice of the tenant, vendors their own source's, buyers their own endpoint's (reportScope).
  'reports.read',
  'reports.vendor',
  'reports.buyer',
  // A person's own inbox and alert settings: everyone who signs in has them.
  'notifications.read',
  'alerts.configure',
] as const;
export type Operation = (typeof OPERATIONS)[number];

const STAFF: readonly Role[] = ['admin', 'ops', 'manager'];
const ALL: readonly Role[] = ['admin', 'ops', 'manager', 'agent', 'vendor', 'buyer'];

/** The roles that may attempt each operation at all; relations to the resource are checked after. */
export const ROLE_TABLE: Readonly<Record<Operation, readonly Role[]>> = {
  'tenant.read': ALL,
  'health.read': ['admin', 'ops'],
  'user.list': ['admin'],
  'user.manage': ['admin'],
  'apiKey.manage': ['admin', 'ops'],
  'suppression.read': STAFF,
  'suppression.manage': ['admin', 'ops'],
  'config.read': STAFF,
  'config.write': ['admin', 'ops'],
  'config.import': ['admin'],
  'config.history': STAFF,
  'lead.submit': ['admin', 'ops', 'vendor'],
  'lead.read': ALL,
  'lead.list': ALL,
  'portal.vendor': ['vendor'],
  'portal.buyer': ['buyer'],
  'offers.subscribe': ['agent', 'manager', 'admin', 'ops'],
  'lead.claim': ['agent', 'manager', 'admin', 'ops'],
  'lead.share': ['agent', 'manager', 'admin', 'ops'],
  'lead.updateStatus': ['agent', 'manager', 'admin', 'ops'],
  'lead.reassign': STAFF,
  'lead.release': STAFF,
  'lead.review': STAFF,
  'lead.return': ['buyer', 'agent', 'manager', 'admin', 'ops'],
  // Opening a lead is recorded for whoever may read it; it never claims.
  'lead.view': ALL,
  // Passing on an offer: only an agent can be offered a lead.
  'lead.decline': ['agent'],
  // Staff read the whole history; agents the events of their own leads (see historyDetail).
  'lead.history': ['admin', 'ops', 'manager', 'agent'],
  'lead.explain': STAFF,
  'offers.read': ['agent', 'manager', 'admin', 'ops'],
  'routing.simulate': STAFF,
  'reports.read': STAFF,
  'reports.vendor': ['vendor'],
  'reports.buyer': ['buyer'],
  'notifications.read': ALL,
  'alerts.configure': ALL,
};

/** The part of a lead that access depends on. */
export type LeadAccessView = Pick<LeadState, 'tenantId' | 'sourceId' | 'offeredTo' | 'ownerEndpointId' | 'collaborators' | 'deliveredTo' | 'deliveredAt'>;

export type Resource =
  | { kind: 'tenant'; tenantId: string }
  | { kind: 'source'; tenantId: string; sourceId: string }
  | { kind: 'endpoint'; tenantId: string; endpointId: string }
  | { kind: 'lead'; lead: LeadAccessView };

export type Decision = { allow: true } | { allow: false; code: 'FORBIDDEN' | 'NOT_FOUND'; reason: string };

const ALLOW: Decision = { allow: true };
const forbid = (reason: string): Decision => ({ allow: false, code: 'FORBIDDEN', reason });
const hidden = (reason: string): Decision => ({ allow: false, code: 'NOT_FOUND', reason });

const tenantOf = (r: Resource) => (r.kind === 'lead' ? r.lead.tenantId : r.tenantId);

/** How an agent stands to a lead. */
export function agentRelation(actor: Actor, lead: LeadAccessView): 'owner' | 'offered' | 'act' | 'view' | undefined {
  if (actor.endpointId && lead.ownerEndpointId === actor.endpointId) return 'owner';
  const shared = lead.collaborators.find((c) => c.userId === actor.userId);
  if (shared?.permission === 'act') return 'act';
  if (actor.endpointId && lead.offeredTo.includes(actor.endpointId)) return 'offered';
  if (shared) return 'view';
  return undefined;
}

/** Whether the actor may see this lead at all (tenant already checked). */
function seesLead(actor: Actor, lead: LeadAccessView): boolean {
  switch (actor.role) {
    case 'admin':
    case 'ops':
    case 'manager':
      return true;
    case 'agent':
      return agentRelation(actor, lead) !== undefined;
    case 'vendor':
      return !!actor.sourceId && lead.sourceId === actor.sourceId;
    case 'buyer':
      return !!actor.endpointId && lead.deliveredTo === actor.endpointId && lead.deliveredAt !== undefined;
  }
}

/**
 * May this principal do `op` (on `resource`)? Operations without a resource
 * act on the principal's own tenant.
 */
export function can(principal: Principal, op: Operation, resource?: Resource): Decision {
  const { actor } = principal;
  if (resource && tenantOf(resource) !== actor.tenantId) return hidden('belongs to another tenant');
  // A source key proves only the source: it may post leads for that source and nothing else.
  if (principal.via === 'api_key') {
    if (op !== 'lead.submit') return forbid('an API key may only submit leads');
    if (resource?.kind === 'source' && resource.sourceId !== actor.sourceId) return forbid('this API key belongs to another source');
    return ALLOW;
  }
  if (!ROLE_TABLE[op].includes(actor.role)) return forbid(`the ${actor.role} role may not ${describe(op)}`);

  switch (op) {
    case 'lead.submit':
      if (actor.role === 'vendor') {
        if (!actor.sourceId) return forbid('this vendor user is bound to no source');
        if (resource?.kind === 'source' && resource.sourceId !== actor.sourceId) return forbid('vendors may only submit leads for their own source');
      }
      return ALLOW;
    case 'portal.vendor':
    case 'reports.vendor':
      if (!actor.sourceId) return forbid('this vendor user is bound to no source');
      if (resource?.kind === 'source' && resource.sourceId !== actor.sourceId) return forbid('vendors see only their own source');
      return ALLOW;
    case 'portal.buyer':
    case 'reports.buyer':
      if (!actor.endpointId) return forbid('this buyer user is bound to no endpoint');
      if (resource?.kind === 'endpoint' && resource.endpointId !== actor.endpointId) return forbid('buyers see only their own deliveries');
      return ALLOW;
    case 'offers.subscribe':
    case 'offers.read':
      if (actor.role === 'agent') {
        if (!actor.endpointId) return forbid('this agent is bound to no endpoint');
        if (resource?.kind === 'endpoint' && resource.endpointId !== actor.endpointId) return forbid('agents see only their own offers');
      }
      return ALLOW;
    case 'lead.read':
    case 'lead.claim':
    case 'lead.share':
    case 'lead.updateStatus':
    case 'lead.reassign':
    case 'lead.release':
    case 'lead.review':
    case 'lead.return':
    case 'lead.view':
    case 'lead.decline':
    case 'lead.history':
    case 'lead.explain':
      if (resource?.kind !== 'lead') return ALLOW;
      // Not seeing a lead and not being allowed to touch it look the same from outside.
      if (!seesLead(actor, resource.lead)) return hidden('not visible to this user');
      if (op === 'lead.return' && actor.role === 'agent' && agentRelation(actor, resource.lead) !== 'owner')
        return forbid('only the owner may return this lead');
      if (op === 'lead.share' && actor.role === 'agent' && agentRelation(actor, resource.lead) !== 'owner')
        return forbid('only the owner or a manager may share this lead');
      return ALLOW;
    default:
      return ALLOW;
  }
}

// Where "the <role> role may not <op>" would not read as English.
const DESCRIPTIONS: Partial<Record<Operation, string>> = {
  'reports.read': 'read reports',
  'reports.vendor': 'read source reports',
  'reports.buyer': 'read endpoint reports',
  'notifications.read': 'read notifications',
  'alerts.configure': 'configure alerts',
};

function describe(op: Operation): string {
  return (
    DESCRIPTIONS[op] ??
    op
      .replace('.', ' ')
      .replace(/([A-Z])/g, ' $1')
      .toLowerCase()
  );
}

/** What one report may cover: the whole tenant, or only one source (vendors) or one endpoint (buyers). */
export interface ReportScope {
  tenantId: string;
  sourceId?: string;
  endpointId?: string;
}

export type ScopeDecision = { allow: true; scope: ReportScope } | Extract<Decision, { allow: false }>;

/**
 * May the principal read any report at all? Asked before the arguments are
 * checked, so a role without reports (agents, API keys) learns nothing from
 * validation either.
 */
export function canReadReports(principal: Principal): Decision {
  const ops = ['reports.read', 'reports.vendor', 'reports.buyer'] as const;
  return ops.some((op) => can(principal, op).allow) ? ALLOW : can(principal, 'reports.read');
}

/**
 * The slice of the tenant a report over sources or endpoints may show: staff
 * the whole tenant or the one they name; a vendor only its own source, a
 * buyer only its own endpoint, whether or not they name it.
 */
export function reportScope(principal: Principal, over: 'source' | 'endpoint', requested: string | undefined): ScopeDecision {
  const { actor } = principal;
  const tenantId = actor.tenantId;
  if (can(principal, 'reports.read').allow) {
    if (!requested) return { allow: true, scope: { tenantId } };
    return { allow: true, scope: over === 'source' ? { tenantId, sourceId: requested } : { tenantId, endpointId: requested } };
  }
  if (over === 'source') {
    const d = can(principal, 'reports.vendor', requested ? { kind: 'source', tenantId, sourceId: requested } : undefined);
    return d.allow ? { allow: true, scope: { tenantId, sourceId: actor.sourceId! } } : d;
  }
  const d = can(principal, 'reports.buyer', requested ? { kind: 'endpoint', tenantId, endpointId: requested } : undefined);
  return d.allow ? { allow: true, scope: { tenantId, endpointId: actor.endpointId! } } : d;
}

/** Which leads a listing may return: the database layer turns this into a filter. */
export type LeadScope =
  | { kind: 'tenant' }
  | { kind: 'agent'; endpointId?: string; userId: string }
  | { kind: 'source'; sourceId: string }
  | { kind: 'delivered_to'; endpointId: string }
  | { kind: 'none' };

export function leadScope(actor: Actor): LeadScope {
  switch (actor.role) {
    case 'admin':
    case 'ops':
    case 'manager':
      return { kind: 'tenant' };
    case 'agent':
      return { kind: 'agent', userId: actor.userId, ...(actor.endpointId ? { endpointId: actor.endpointId } : {}) };
    case 'vendor':
      return actor.sourceId ? { kind: 'source', sourceId: actor.sourceId } : { kind: 'none' };
    case 'buyer':
      return actor.endpointId ? { kind: 'delivered_to', endpointId: actor.endpointId } : { kind: 'none' };
  }
}

/**
 * Personal data (name, phone, email, street, consent IP), per role:
 * - admin, ops, manager: in clear;
 * - agent: in clear as the owner or an "act" collaborator; masked while only
 *   offered (not yet claimed) or shared for viewing;
 * - buyer: in clear for leads delivered to its own endpoint;
 * - vendor: masked, even on its own submissions (it already holds the data;
 *   the portal is no place to read it back);
 * - anyone who may not see the lead: nothing.
 * Masked means: first name, last name's initial, city, state and ZIP kept;
 * phone, email, street and IP masked (domain/masking.ts).
 */
export type ContactView = 'clear' | 'masked' | 'none';

export function contactView(actor: Actor, lead: LeadAccessView): ContactView {
  if (actor.tenantId !== lead.tenantId || !seesLead(actor, lead)) return 'none';
  switch (actor.role) {
    case 'admin':
    case 'ops':
    case 'manager':
    case 'buyer':
      return 'clear';
    case 'agent': {
      const rel = agentRelation(actor, lead);
      return rel === 'owner' || rel === 'act' ? 'clear' : 'masked';
    }
    case 'vendor':
      return 'masked';
  }
}

/**
 * Commercial and routing details of a lead a role may read (the lead being
 * visible at all is `can(…, 'lead.read', …)`):
 * - cost: what the source is paid: staff and the lead's own vendor;
 * - price: what the receiver pays: staff and the buyer it was delivered to;
 * - routing: the routing summary and configuration version: staff only;
 * - assignment: who it is offered to, owned by and shared with: staff and agents
 *   (vendors and buyers never learn which other endpoints were involved).
 */
export interface LeadFieldAccess {
  cost: boolean;
  price: boolean;
  routing: boolean;
  assignment: boolean;
}

export function leadFieldAccess(actor: Actor, lead: LeadAccessView): LeadFieldAccess {
  const none = { cost: false, price: false, routing: false, assignment: false };
  if (actor.tenantId !== lead.tenantId || !seesLead(actor, lead)) return none;
  switch (actor.role) {
    case 'admin':
    case 'ops':
    case 'manager':
      return { cost: true, price: true, routing: true, assignment: true };
    case 'agent':
      return { ...none, assignment: true };
    case 'vendor':
      return { ...none, cost: true };
    case 'buyer':
      return { ...none, price: true };
  }
}

/**
 * How much of a lead's history a role reads (`leadHistory`):
 * - full (admin, ops, manager): the lead's events, the lead workflow's own
 *   Temporal history (activity attempts and failures, timers, updates,
 *   signals) and every routing round's full explanation;
 * - events (an agent the lead is offered to, owned by or shared with): the
 *   lead's own events, what happened, by whom and when, without the workflow
 *   internals and without routing details (which, like routingSummary, are
 *   staff-only);
 * - none: everyone else (vendors and buyers have their portals).
 */
export type HistoryDetail = 'full' | 'events' | 'none';

export function historyDetail(actor: Actor, lead: LeadAccessView): HistoryDetail {
  if (actor.tenantId !== lead.tenantId || !seesLead(actor, lead)) return 'none';
  switch (actor.role) {
    case 'admin':
    case 'ops':
    case 'manager':
      return 'full';
    case 'agent':
      return 'events';
    default:
      return 'none';
  }
}
