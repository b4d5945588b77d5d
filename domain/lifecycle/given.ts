// Given/when/then for the lifecycle decider's tests: a lead's state from the
// events that happened to it, and the state after a decision's events.
import type { Emit } from './decision.ts';
import type { LeadEventBody } from './lead-events.ts';
import type { LeadWorkflowInput } from './lead-input.ts';
import { applyLeadEvent, type LeadState } from './lead-state.ts';
import type { LeadContext, RouteTarget, ValidationOutcome } from './step-results.ts';

export const T0 = Date.UTC(2026, 10, 23, 15);

/** Applies events (bodies, or a decision's emits) in order, numbering them after the state's last one. */
export function evolve(state: LeadState | undefined, events: ReadonlyArray<LeadEventBody | Emit>, at = T0): LeadState {
  let s = state;
  for (const item of events) {
    const body = 'body' in item ? item.body : item;
    const actor = 'body' in item && item.actor ? item.actor : { userId: 'system', role: 'ops' as const };
    const seq = (s?.lastEventSeq ?? 0) + 1;
    s = applyLeadEvent(s, { ...body, id: `L1#${seq}`, leadId: 'L1', tenantId: 't1', seq, at, actor });
  }
  if (!s) throw new Error('no events given');
  return s;
}

/** The lead after these events. */
export const given = (...events: LeadEventBody[]) => evolve(undefined, events);

export const input: LeadWorkflowInput = {
  tenantId: 't1',
  leadId: 'L1',
  sourceId: 'web',
  externalId: 'ext-1',
  receivedAt: T0,
  lead: {
    firstName: 'Ada',
    phone: '+12145550100',
    address: { street: '1 Main St', city: 'Dallas', state: 'tx', zip: '75201-1234' },
    serviceLine: 'plumbing',
    fields: {},
  },
};

export const context: LeadContext = {
  sourceName: 'Web',
  costCents: 2500,
  returnPolicy: { allowedReasons: ['wrong_number', 'duplicate'], windowMs: 7 * 24 * 3600_000, maxReturnRate: 0.2 },
  duplicateWindowMs: 0,
  autoResponse: { sms: 'Thanks {{firstName}}' },
  manualDistribution: false,
};

export const accepted: ValidationOutcome = {
  outcome: 'accepted',
  steps: [
    { step: 'phone', outcome: 'pass' },
    { step: 'address', outcome: 'flag', reason: 'the lead had no ZIP; resolved to 75201 from Dallas, TX' },
  ],
  flags: ['zip_resolved'],
  geography: { zip: '75201', state: 'TX', city: 'Dallas', countyFips: '48113', lat: 32.79, lon: -96.8, timeZone: 'America/Chicago' },
  consentChannels: ['sms', 'email'],
};

export const received: LeadEventBody = { type: 'received', data: { sourceId: 'web', serviceLine: 'plumbing', costCents: 2500 } };
export const validated: LeadEventBody = { type: 'validated', data: { outcome: 'accepted', steps: [], flags: [] } };
export const routedTo = (...endpointIds: string[]): LeadEventBody => ({
  type: 'routed',
  data: { configVersion: 3, outcome: endpointIds.length > 1 ? 'broadcast' : 'assigned', endpointIds, summary: 'test' },
});

/** A location (owns on delivery) or a person (must claim), holding a reservation from round `round`. */
export function target(
  endpointId: string,
  opts: { claim?: boolean; round?: number; untilOwned?: boolean; priceCents?: number; maxLapses?: number; deadlineSec?: number; pause?: boolean } = {},
): RouteTarget {
  return {
    endpointId,
    name: endpointId,
    claimRequired: !!opts.claim,
    reservation: { leadId: 'L1', round: opts.round ?? 1, endpointId, untilOwned: opts.untilOwned ?? !!opts.claim },
    ...(opts.priceCents ? { priceCents: opts.priceCents } : {}),
    ...(opts.maxLapses !== undefined ? { maxLapses: opts.maxLapses } : {}),
    ...(opts.deadlineSec !== undefined ? { claimDeadlineSec: opts.deadlineSec } : {}),
    ...(opts.pause ? { pauseDeadlineOutsideHours: true } : {}),
  };
}

/** The handle a target's reservation is given back by. */
export const handle = (endpointId: string, round = 1) => ({ leadId: 'L1', round, endpointId });

/** Just the event types and data of a decision, for readable expectations. */
export const bodies = (events: readonly Emit[]) => events.map((e) => e.body);
