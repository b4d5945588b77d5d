import { can, leadFieldAccess, type Operation } from '../../domain/access/policy.ts';
import type { Actor } from '../../domain/lifecycle/actor.ts';
import type { LeadState } from '../../domain/lifecycle/lead-state.ts';
import type { CommandResult } from '../../services/lead-commands.ts';
import { requirePrincipal, type ApiContext } from '../context.ts';
import { invalidInput, refused, succeeded, userError, type UserError } from '../core/payload.ts';
import { loadVisibleLead } from '../leads/resolvers.ts';
import type { GraphQLModule } from '../module.ts';
import { leadOpsTypeDefs } from './type-defs.ts';

const MAX_NOTE = 1000;
const MAX_EVIDENCE = 4000;

const notFound = (leadId: string) => userError('NOT_FOUND', `There is no lead ${leadId} you can see.`, 'leadId');

/** The lead as it is now (read by `_id`), if the caller may still see it. */
async function fresh(ctx: ApiContext, leadId: string): Promise<LeadState | null> {
  const lead = await ctx.services.leadEvents.get(leadId);
  if (!lead) return null;
  if (!can(requirePrincipal(ctx), 'lead.read', { kind: 'lead', lead }).allow) return null;
  ctx.loaders.lead.clear(leadId).prime(leadId, lead);
  return lead;
}

type Check = (actor: Actor, lead: LeadState) => Promise<UserError | undefined> | UserError | undefined;

/**
 * Every lead operation: the policy through loadVisibleLead (a lead the caller
 * may not see is "not found", exactly like a missing one), the API's own input
 * checks, then the lead workflow's yes or precise no, its lower-case rule code
 * turned into the API's by the payload helper. `value` carries the workflow's
 * acknowledgement beside the payload for returnLead; no SDL field shows it.
 */
async function operate<T>(
  ctx: ApiContext,
  leadId: string,
  op: Operation,
  check: Check | undefined,
  act: (actor: Actor, lead: LeadState) => Promise<CommandResult<T>>,
) {
  const lead = await loadVisibleLead(ctx, leadId, op);
  if (!lead) return refused(notFound(leadId), { lead: null, value: undefined });
  const { actor } = requirePrincipal(ctx);
  const problem = await check?.(actor, lead);
  if (problem) return refused(problem, { lead, value: undefined });
  const res = await act(actor, lead);
  const now = await fresh(ctx, leadId);
  return res.ok ? succeeded({ lead: now, value: res.value }) : refused(res.error, { lead: now, value: undefined });
}

/** What a reviewer may reject a lead as: the reasons validation itself gives. */
const REVIEW_REJECT_REASONS: readonly string[] = ['invalid', 'duplicate', 'dnc', 'risk'];
const inReview = (lead: LeadState) =>
  lead.status === 'review' ? undefined : userError('NOT_IN_REVIEW', `This lead is not in the review queue (status: ${lead.status}).`, 'leadId');

const tooLong = (text: string | null | undefined, max: number, field: string) =>
  text != null && text.length > max ? invalidInput(`${field} must be at most ${max} characters.`, field) : undefined;

export const leadOpsModule: GraphQLModule = {
  typeDefs: leadOpsTypeDefs,
  resolvers: {
    Mutation: {
      claimLead: (_, args, ctx) =>
        operate(ctx, args.leadId, 'lead.claim', undefined, (actor) => ctx.services.commands.claim(actor, args.leadId, args.onBehalfOf ?? undefined)),

      declineOffer: (_, args, ctx) =>
        operate(
          ctx,
          args.leadId,
          'lead.decline',
          (actor, lead) =>
            lead.status === 'offered' && !!actor.endpointId && lead.offeredTo.includes(actor.endpointId)
              ? undefined
              : userError('NOT_OFFERED_TO_YOU', 'This lead is not waiting for your claim.', 'leadId'),
          async (actor) => {
            await ctx.services.commands.decline(actor, args.leadId);
            return { ok: true, value: null };
          },
        ),

      viewLead: (_, args, ctx) =>
        operate(ctx, args.leadId, 'lead.view', undefined, async (actor) => {
          await ctx.services.commands.view(actor, args.leadId);
          return { ok: true, value: null };
        }),

      updateLeadStatus: (_, args, ctx) =>
        operate(
          ctx,
          args.leadId,
          'lead.updateStatus',
          () => tooLong(args.note, MAX_NOTE, 'note'),
          (actor) => ctx.services.commands.updateStatus(actor, args.leadId, args.status, args.note ?? undefined),
        ),

      shareLead: (_, args, ctx) =>
        operate(
          ctx,
          args.leadId,
          'lead.share',
          async (actor) => {
            const user = await ctx.services.users.get(actor.tenantId, args.userId);
            if (!user || user.disabled) return userError('UNKNOWN_USER', `"${args.userId}" is not an active user of this tenant.`, 'userId');
            if (user.role === 'vendor' || user.role === 'buyer')
              return invalidInput(`a ${user.role} cannot be a collaborator on a lead; share with agents or staff.`, 'userId');
            return undefined;
          },
          (actor) => ctx.services.commands.share(actor, args.leadId, args.userId, args.permission),
        ),

      reassignLead: (_, args, ctx) =>
        operate(
          ctx,
          args.leadId,
          'lead.reassign',
          async (actor) => {
            const tooLongNote = tooLong(args.note, MAX_NOTE, 'note');
            if (tooLongNote) return tooLongNote;
            const config = await ctx.loaders.config.load(actor.tenantId);
            return config?.document.endpoints.some((e) => e.id === args.toEndpointId)
              ? undefined
              : userError('UNKNOWN_ENDPOINT', `"${args.toEndpointId}" is not an endpoint of this tenant.`, 'toEndpointId');
          },
          (actor) => ctx.services.commands.reassign(actor, args.leadId, args.toEndpointId, args.note ?? undefined),
        ),

      releaseHeldLead: (_, args, ctx) =>
        operate(
          ctx,
          args.leadId,
          'lead.release',
          (_actor, lead) => (lead.status === 'held' ? undefined : userError('NOT_HELD', `This lead is not held (status: ${lead.status}).`, 'leadId')),
          (actor) => ctx.services.commands.release(actor, args.leadId),
        ),

      approveLead: (_, args, ctx) =>
        operate(
          ctx,
          args.leadId,
          'lead.review',
          (_actor, lead) => tooLong(args.note, MAX_NOTE, 'note') ?? inReview(lead),
          (actor) => ctx.services.commands.approve(actor, args.leadId, args.note ?? undefined),
        ),

      rejectLead: (_, args, ctx) =>
        operate(
          ctx,
          args.leadId,
          'lead.review',
          (_actor, lead) =>
            tooLong(args.note, MAX_NOTE, 'note') ??
            (REVIEW_REJECT_REASONS.includes(args.reason)
              ? inReview(lead)
              : invalidInput(`reason must be one of ${REVIEW_REJECT_REASONS.join(', ')} for a lead rejected in review.`, 'reason')),
          (actor) => ctx.services.commands.rejectInReview(actor, args.leadId, args.reason, args.note ?? undefined),
        ),

      returnLead: async (_, args, ctx) => {
        const { value: ack, ...r } = await operate(
          ctx,
          args.leadId,
          'lead.return',
          () =>
            !/^[a-z0-9_]{1,64}$/.test(args.reason)
              ? invalidInput('reason must be a return reason id (lower-case letters, digits, _), e.g. wrong_number.', 'reason')
              : tooLong(args.evidence, MAX_EVIDENCE, 'evidence'),
          (actor) =>
            ctx.services.commands.returnLead(actor, args.leadId, args.reason, {
              ...(args.evidence ? { evidence: args.evidence } : {}),
              ...(args.replace ? { replace: true } : {}),
            }),
        );
        const mayReadCost = !!r.lead && leadFieldAccess(requirePrincipal(ctx).actor, r.lead).cost;
        return { ...r, creditCents: ack && mayReadCost ? ack.creditCents : null, replacementLeadId: ack?.replacementLeadId ?? null };
      },
    },
  },
};
