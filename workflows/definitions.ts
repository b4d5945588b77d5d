// Signals, queries and updates, defined once and shared by the workflows, the
// worker, the API and the tests. Updates where the caller needs a yes or a
// precise no (claim, return, status, share, reassign); signals for
// fire-and-forget (a view, a decline).
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Actor } from '../domain/lifecycle/actor.ts';
import type { LeadState } from '../domain/lifecycle/lead-state.ts';
import type { RejectReason, SharePermission, WorkStatus } from '../domain/lifecycle/lead-status.ts';

/** Workflow ids are business ids: one lead, one id, whatever is posted twice. */
export const leadWorkflowId = (tenantId: string, leadId: string) => `lead:${tenantId}:${leadId}`;

export interface ClaimInput {
  actor: Actor;
  /** A manager claiming for one of the endpoints the lead is offered to. */
  onBehalfOf?: string;
}
export interface StatusInput {
  actor: Actor;
  status: WorkStatus;
  note?: string;
}
export interface ShareInput {
  actor: Actor;
  userId: string;
  permission: SharePermission;
}
export interface ReassignInput {
  actor: Actor;
  toEndpointId: string;
  note?: string;
}
export interface ReturnInput {
  actor: Actor;
  reason: string;
  evidence?: string;
  /** Route a replacement lead when the return is accepted. */
  replace?: boolean;
}

export interface UpdateAck {
  leadId: string;
  status: LeadState['status'];
  ownerEndpointId?: string;
}
export interface ReturnAck extends UpdateAck {
  creditCents: number;
  replacementLeadId?: string;
}

export const claimLeadUpdate = defineUpdate<UpdateAck, [ClaimInput]>('claimLead');
export const updateLeadStatusUpdate = defineUpdate<UpdateAck, [StatusInput]>('updateLeadStatus');
export const shareLeadUpdate = defineUpdate<UpdateAck, [ShareInput]>('shareLead');
export const reassignLeadUpdate = defineUpdate<UpdateAck, [ReassignInput]>('reassignLead');
export const returnLeadUpdate = defineUpdate<ReturnAck, [ReturnInput]>('returnLead');
export interface ReviewInput {
  actor: Actor;
  note?: string;
}
export interface RejectInReviewInput extends ReviewInput {
  reason: RejectReason;
}
/** Ops approve a lead in review: it routes on, past review tiers. */
export const approveLeadUpdate = defineUpdate<UpdateAck, [ReviewInput]>('approveLead');
/** Ops reject a lead in review: against its source, with the reason, unbilled. */
export const rejectLeadUpdate = defineUpdate<UpdateAck, [RejectInReviewInput]>('rejectLead');
/** A manager releases a held lead: it is routed now, whoever is open or not. */
export const releaseHeldLeadUpdate = defineUpdate<UpdateAck, [{ actor: Actor }]>('releaseHeldLead');

/** Opening or viewing a lead is recorded, and never claims it. */
export const leadViewedSignal = defineSignal<[{ actor: Actor }]>('leadViewed');
/** An offered agent passes: the lead is reassigned at once, as if the deadline had lapsed for them. */
export const offerDeclinedSignal = defineSignal<[{ actor: Actor }]>('offerDeclined');

export const leadStateQuery = defineQuery<LeadState | undefined>('leadState');
