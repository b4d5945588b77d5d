import type { UpdateDefinition } from '@temporalio/common';
import type { Operation } from '../../domain/access/policy.ts';
import type { Actor } from '../../domain/lifecycle/actor.ts';
import { leadWorkflowId } from '../../workflows/definitions.ts';
import { authorize, mayAccess, userError, type ApiContext, type UserError } from '../context.ts';
import { updateFailureToUserError } from './update-failure.ts';

export type LeadUpdateResult<R> = { ok: true; ack: R } | { ok: false; error: UserError };

/**
 * The path every lead operation takes (claim, share, status, reassign,
 * return): the policy decides whether the caller may attempt it on this lead
 * (a lead they may not see is "not found"), then the lead's workflow decides
 * whether it happens, through an update, with the caller as the acting actor.
 * Workflow refusals come back typed; the read model catches up from the
 * workflow's events.
 */
export async function runLeadUpdate<R, I extends { actor: Actor }>(
  ctx: ApiContext,
  op: Operation,
  leadId: string,
  update: UpdateDefinition<R, [I]>,
  input: Omit<I, 'actor'>,
): Promise<LeadUpdateResult<R>> {
  const actor = authorize(ctx, op);
  const lead = await ctx.loaders.lead.load(leadId);
  if (!lead || !mayAccess(ctx, op, { kind: 'lead', lead })) return { ok: false, error: userError('NOT_FOUND', 'No such lead.', 'leadId') };
  const handle = ctx.deps.temporal.workflow.getHandle(leadWorkflowId(actor.tenantId, leadId));
  try {
    const ack = await handle.executeUpdate(update, { args: [{ ...input, actor } as I] });
    return { ok: true, ack };
  } catch (err) {
    return { ok: false, error: updateFailureToUserError(err) };
  }
}
