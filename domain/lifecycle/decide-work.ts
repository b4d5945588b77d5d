// What people do with a lead once it is routed (claim, work, share, hand it
// on, return it) and how its life ends (the return window, final billing).
// Each check is the same for an update's validator and its handler, so a
// caller's yes or no is decided in one place.
import { isManager, type Actor } from './actor.ts';
import { checkAct, checkClaim, checkReassign, checkShare, resolveClaimant, type RuleResult } from './claim-rules.ts';
import { decision, letGo, settleOwner, type Decision, type Emit, type RunState } from './decision.ts';
import type { LeadWorkflowInput } from './lead-input.ts';
import type { LeadState } from './lead-state.ts';
import type { SharePermission, WorkStatus } from './lead-status.ts';
import { checkReturn, type ReturnPolicy, type ReturnStats } from './return-policy.ts';
import type { DeliveryOutcome, LeadContext, RouteOutcome, RouteTarget } from './step-results.ts';

export type Verdict = { ok: true; events: Emit[] } | Extract<RuleResult<string>, { ok: false }>;

const by = (actor: Actor, body: Emit['body']): Emit => ({ body, actor });

/** A claim by the offered person (or a manager on their behalf), before the deadline. */
export function decideClaim(lead: LeadState, actor: Actor, onBehalfOf: string | undefined, now: number): Verdict {
  const r = checkClaim(lead, actor, onBehalfOf, now);
  if (!r.ok) return r;
  return { ok: true, events: [by(actor, { type: 'claimed', data: { endpointId: resolveClaimant(actor, onBehalfOf)!, implicit: false } })] };
}

/** A status update. A real action by the offered agent claims the lead first; viewing never does. */
export function decideStatus(lead: LeadState, actor: Actor, status: WorkStatus, note: string | undefined): Verdict {
  const r = checkAct(lead, actor);
  if (!r.ok) return r;
  const implicitClaim = !lead.ownerEndpointId && actor.role === 'agent' && !!actor.endpointId && lead.offeredTo.includes(actor.endpointId);
  return {
    ok: true,
    events: [
      ...(implicitClaim ? [by(actor, { type: 'claimed', data: { endpointId: actor.endpointId!, implicit: true } })] : []),
      by(actor, { type: 'status_changed', data: { status, ...(note ? { note } : {}) } }),
    ],
  };
}

/** Sharing with a colleague, by the owner or a manager; the managers' inbox hears of it. */
export function decideShare(
  lead: LeadState,
  run: RunState,
  actor: Actor,
  userId: string,
  permission: SharePermission,
): ({ ok: true } & Decision<null>) | Extract<RuleResult<string>, { ok: false }> {
  const r = checkShare(lead, actor);
  if (!r.ok) return r;
  return {
    ok: true,
    ...decision(lead, {
      events: [by(actor, { type: 'shared', data: { userId, permission } })],
      notices: [{ kind: 'shared', endpointIds: [], userIds: [userId], except: actor.userId, facts: { by: actor.userId, permission } }],
      run,
      next: null,
    }),
  };
}

/** Releasing a held lead by hand: managers only, and only while it is held. */
export function decideRelease(lead: LeadState, actor: Actor): RuleResult<'wrong_tenant' | 'not_permitted' | 'not_held'> {
  if (actor.tenantId !== lead.tenantId) return { ok: false, code: 'wrong_tenant', message: 'This lead belongs to another tenant.' };
  if (!isManager(actor)) return { ok: false, code: 'not_permitted', message: 'Only a manager can release a held lead.' };
  if (lead.status !== 'held') return { ok: false, code: 'not_held', message: `This lead is not held (status: ${lead.status}).` };
  return { ok: true };
}

/** Approving or rejecting a lead in review: staff only, and only while it is in the review queue. */
export function decideReview(lead: LeadState, actor: Actor): RuleResult<'wrong_tenant' | 'not_permitted' | 'not_in_review'> {
  if (actor.tenantId !== lead.tenantId) return { ok: false, code: 'wrong_tenant', message: 'This lead belongs to another tenant.' };
  if (!isManager(actor)) return { ok: false, code: 'not_permitted', message: 'Only a manager or ops can approve or reject a lead in review.' };
  if (lead.status !== 'review') return { ok: false, code: 'not_in_review', message: `This lead is not in the review queue (status: ${lead.status}).` };
  return { ok: true };
}

/** A manager's reassignment: accepted here, carried out by the workflow's main path. */
export const decideReassignRequest = (lead: LeadState, actor: Actor, toEndpointId: string) => checkReassign(lead, actor, toEndpointId);

/** A hand reassignment starts a routing round of its own, for the endpoint the manager named. */
export function startHandReassign(run: RunState): { run: RunState; round: number } {
  return { run: { ...run, round: run.round + 1 }, round: run.round + 1 };
}

export type HandReassignStep = { kind: 'deliver'; target: RouteTarget } | { kind: 'done' };

/** Routing answered for a hand reassignment: the named endpoint, or why it cannot take the lead. */
export function decideHandReassignRouted(lead: LeadState, run: RunState, toEndpointId: string, route: RouteOutcome): Decision<HandReassignStep> {
  const target = 'targets' in route ? route.targets[0] : undefined;
  if (!target)
    return decision(lead, {
      events: [{ body: { type: 'delivery_failed', data: { endpointId: toEndpointId, reason: route.summary } } }],
      run,
      next: { kind: 'done' },
    });
  return decision(lead, { run: { ...run, held: [...run.held, ...(target.reservation ? [target.reservation] : [])] }, next: { kind: 'deliver', target } });
}

/** The hand reassignment's delivery ended: the new owner has it (and the old one hears), or it failed and gave its reservation back. */
export function decideHandReassignDelivered(lead: LeadState, run: RunState, actor: Actor, note: string | undefined, outcome: DeliveryOutcome): Decision<null> {
  const endpointId = outcome.target.endpointId;
  if (!outcome.ok) {
    const released = letGo(run, [endpointId]);
    return decision(lead, {
      events: [{ body: { type: 'delivery_failed', data: { endpointId, reason: outcome.reason } } }],
      release: released.handles,
      run: released.run,
      next: null,
    });
  }
  const before = lead.ownerEndpointId;
  const settled = settleOwner(run, endpointId);
  const delivered: Emit = {
    body: {
      type: 'delivered',
      data: {
        endpointId,
        method: outcome.receipt.method,
        idempotencyKey: outcome.idempotencyKey,
        ...(outcome.target.priceCents ? { priceCents: outcome.target.priceCents } : {}),
      },
    },
  };
  const owned = by(
    actor,
    before
      ? { type: 'reassigned', data: { fromEndpointId: before, toEndpointId: endpointId, ...(note ? { note } : {}) } }
      : { type: 'assigned', data: { endpointId, by: 'manager' } },
  );
  return decision(lead, {
    events: [delivered, owned],
    settle: settled.handles,
    notices: [
      {
        kind: 'reassigned',
        endpointIds: [endpointId, ...(before ? [before] : [])],
        managers: true,
        concerns: [endpointId, ...(before ? [before] : [])],
        except: actor.userId,
        facts: { by: actor.userId, nowWith: [endpointId] },
      },
    ],
    run: settled.run,
    next: null,
  });
}

/** The replacement routed for an accepted return: a lead of its own, never to the endpoint that returned the original. */
export function replacementOf(input: LeadWorkflowInput, lead: LeadState, now: number): LeadWorkflowInput {
  const { preassignedEndpointId: _named, ...rest } = input;
  return {
    ...rest,
    leadId: `${input.leadId}-r1`,
    replacementOf: input.leadId,
    receivedAt: now,
    excludeEndpointIds: lead.deliveredTo ? [lead.deliveredTo] : [],
  };
}

export type ReturnDecision =
  ({ ok: true; creditCents: number; replacement?: LeadWorkflowInput } & Decision<null>) | { ok: false; code: string; message: string; events: Emit[] };

/** Whether a return may even be attempted (the validator's question: no rate statistics yet). */
export const checkReturnRequest = (lead: LeadState, actor: Actor, reason: string, policy: ReturnPolicy, now: number) =>
  checkReturn(lead, actor, reason, policy, undefined, now);

/**
 * A return, judged by the source's policy with its return statistics. A
 * refusal is recorded (the source's vendor sees it); an accepted one credits
 * the lead and, with `replace`, routes a replacement and gives this lead's
 * capacity back to its receiver.
 */
export function decideReturn(
  lead: LeadState,
  run: RunState,
  req: { actor: Actor; reason: string; evidence?: string | undefined; replace?: boolean | undefined },
  ctx: Pick<LeadContext, 'returnPolicy' | 'costCents'>,
  stats: ReturnStats,
  input: LeadWorkflowInput,
  now: number,
): ReturnDecision {
  const verdict = checkReturn(lead, req.actor, req.reason, ctx.returnPolicy, stats, now);
  if (!verdict.ok)
    return {
      ok: false,
      code: verdict.code,
      message: verdict.message,
      events: [by(req.actor, { type: 'return_refused', data: { reason: req.reason, code: verdict.code } })],
    };
  const replacement = req.replace ? replacementOf(input, lead, now) : undefined;
  const released = req.replace
    ? letGo(
        run,
        run.held.map((h) => h.endpointId),
      )
    : { handles: [], run };
  return {
    ok: true,
    creditCents: ctx.costCents,
    ...(replacement ? { replacement } : {}),
    ...decision(lead, {
      events: [
        by(req.actor, {
          type: 'return_accepted',
          data: {
            reason: req.reason,
            creditCents: ctx.costCents,
            ...(req.evidence ? { evidence: req.evidence } : {}),
            ...(replacement ? { replacementLeadId: replacement.leadId } : {}),
          },
        }),
      ],
      release: released.handles,
      notices: [
        {
          kind: 'returned',
          endpointIds: [],
          managers: true,
          concerns: lead.ownerEndpointId ? [lead.ownerEndpointId] : [],
          except: req.actor.userId,
          facts: { by: req.actor.userId, reason: req.reason },
        },
      ],
      run: released.run,
      next: null,
    }),
  };
}

/**
 * When the lead's return window closes: from delivery, once it has an owner.
 * Without an owner it waits for a manager, however long.
 */
export function returnWindowClosesAt(lead: LeadState, policy: Pick<ReturnPolicy, 'windowMs'>): number | undefined {
  if (!lead.ownerEndpointId || lead.deliveredAt === undefined) return undefined;
  return lead.deliveredAt + policy.windowMs;
}

/** The window closed: billing is final, at the source's cost unless the lead was credited. */
export function decideWindowClosed(lead: LeadState, ctx: Pick<LeadContext, 'costCents'>): Emit[] {
  return [{ body: { type: 'billing_final', data: { billedCents: lead.billing === 'credited' ? 0 : ctx.costCents } } }];
}

/** Opening or viewing a lead is recorded, and never claims it. */
export function decideViewed(lead: LeadState | undefined, actor: Actor): Emit[] {
  if (!lead || actor.tenantId !== lead.tenantId) return [];
  return [by(actor, { type: 'viewed', data: actor.endpointId ? { endpointId: actor.endpointId } : {} })];
}

/** A decline counts only from someone the lead is offered to; once all of them declined, the offer ends as if it had lapsed. */
export function declineCounts(lead: LeadState | undefined, actor: Actor): boolean {
  return !!lead && actor.tenantId === lead.tenantId && !!actor.endpointId && lead.offeredTo.includes(actor.endpointId);
}
