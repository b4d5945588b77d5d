import { isManager, type Actor } from './actor.ts';
import type { LeadState } from './lead-state.ts';

export type ClaimRefusal = 'not_offered' | 'already_claimed' | 'not_offered_to_you' | 'deadline_passed' | 'wrong_tenant' | 'not_permitted';

export type RuleResult<C extends string> = { ok: true } | { ok: false; code: C; message: string };

const no = <C extends string>(code: C, message: string): RuleResult<C> => ({ ok: false, code, message });

/**
 * May this actor claim the lead now? Only the endpoint it is offered to (or a
 * manager, on behalf of one of them), only while it is offered and before the
 * deadline. Used by the update validator and again inside the handler, so a
 * second simultaneous claim on a broadcast gets "already claimed".
 */
export function checkClaim(state: LeadState, actor: Actor, onBehalfOf: string | undefined, now: number): RuleResult<ClaimRefusal> {
  if (actor.tenantId !== state.tenantId) return no('wrong_tenant', 'This lead belongs to another tenant.');
  if (state.ownerEndpointId) return no('already_claimed', 'This lead has already been claimed.');
  if (state.status !== 'offered' || state.offeredTo.length === 0) return no('not_offered', `This lead is not waiting for a claim (status: ${state.status}).`);
  if (state.offerDeadlineAt !== undefined && now > state.offerDeadlineAt) return no('deadline_passed', 'The claim deadline for this offer has passed.');
  const claimant = resolveClaimant(actor, onBehalfOf);
  if (!claimant) return no('not_permitted', 'Only the agent the lead is offered to, or a manager, can claim it.');
  if (!state.offeredTo.includes(claimant)) return no('not_offered_to_you', 'This lead is not offered to you.');
  return { ok: true };
}

/** The endpoint a claim is for: the agent's own, or the one a manager names. */
export function resolveClaimant(actor: Actor, onBehalfOf: string | undefined): string | undefined {
  if (actor.role === 'agent') return actor.endpointId;
  if (isManager(actor)) return onBehalfOf;
  return undefined;
}

export type ActRefusal = 'wrong_tenant' | 'not_permitted' | 'not_owned' | 'lead_closed';

/** Status updates: the owner, an "act" collaborator, or a manager. The offered agent's first action claims implicitly. */
export function checkAct(state: LeadState, actor: Actor): RuleResult<ActRefusal> {
  if (actor.tenantId !== state.tenantId) return no('wrong_tenant', 'This lead belongs to another tenant.');
  if (state.status === 'rejected') return no('lead_closed', 'This lead was rejected and cannot be worked.');
  if (isManager(actor)) return { ok: true };
  if (actor.role === 'agent' && actor.endpointId) {
    if (state.ownerEndpointId === actor.endpointId) return { ok: true };
    if (!state.ownerEndpointId && state.offeredTo.includes(actor.endpointId)) return { ok: true };
    if (state.collaborators.some((c) => c.userId === actor.userId && c.permission === 'act')) return { ok: true };
    return no('not_owned', 'Only the owner, a collaborator with act permission, or a manager can do this.');
  }
  return no('not_permitted', `The ${actor.role} role cannot work leads.`);
}

/** Sharing: the owner or a manager. */
export function checkShare(state: LeadState, actor: Actor): RuleResult<ActRefusal> {
  if (actor.tenantId !== state.tenantId) return no('wrong_tenant', 'This lead belongs to another tenant.');
  if (isManager(actor)) return { ok: true };
  if (actor.role === 'agent' && actor.endpointId && actor.endpointId === state.ownerEndpointId) return { ok: true };
  return no('not_permitted', 'Only the lead owner or a manager can share it.');
}

/** Reassignment: managers only, and only to someone other than the current owner. */
export function checkReassign(state: LeadState, actor: Actor, toEndpointId: string): RuleResult<ActRefusal | 'same_owner'> {
  if (actor.tenantId !== state.tenantId) return no('wrong_tenant', 'This lead belongs to another tenant.');
  if (!isManager(actor)) return no('not_permitted', 'Only a manager can reassign a lead.');
  if (state.status === 'rejected' || state.status === 'closed') return no('lead_closed', `This lead is ${state.status}.`);
  if (state.ownerEndpointId === toEndpointId) return no('same_owner', 'The lead is already owned by that endpoint.');
  return { ok: true };
}
