import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure, WorkflowNotFoundError } from '@temporalio/common';
import type { Connection } from 'mongoose';
import { leadStore } from '../db/lead-store.ts';
import type { Actor } from '../domain/lifecycle/actor.ts';
import type { SharePermission, WorkStatus, RejectReason } from '../domain/lifecycle/lead-status.ts';
import { checkReturn } from '../domain/lifecycle/return-policy.ts';
import {
  approveLeadUpdate,
  claimLeadUpdate,
  rejectLeadUpdate,
  leadViewedSignal,
  leadWorkflowId,
  offerDeclinedSignal,
  reassignLeadUpdate,
  releaseHeldLeadUpdate,
  returnLeadUpdate,
  shareLeadUpdate,
  updateLeadStatusUpdate,
  type ReturnAck,
  type UpdateAck,
} from '../workflows/definitions.ts';
import { tenantConfigs, type TenantConfigs } from './tenant-config.ts';

export interface CommandError {
  code: string;
  message: string;
  field?: string;
}
export type CommandResult<T> = { ok: true; value: T } | { ok: false; error: CommandError };

export interface LeadCommandDeps {
  temporal: Client;
  mongo: Connection;
  configs?: TenantConfigs;
}

const no = (code: string, message: string, field?: string): { ok: false; error: CommandError } => ({
  ok: false,
  error: { code, message, ...(field ? { field } : {}) },
});

/** The workflow's refusal (an ApplicationFailure thrown by a validator or handler) as a typed answer. */
function refusal(err: unknown): CommandError | undefined {
  if (!(err instanceof WorkflowUpdateFailedError)) return undefined;
  const cause = err.cause;
  if (cause instanceof ApplicationFailure) return { code: cause.type ?? 'refused', message: cause.message };
  return { code: 'refused', message: cause?.message ?? err.message };
}

/**
 * What people do to a lead, as typed results: each is a workflow Update (a
 * yes or a precise no from the workflow's own rules), or a signal where no
 * answer is needed. A lead whose workflow has finished (its return window
 * closed) is answered from the read model by the same rules.
 */
export function leadCommands(deps: LeadCommandDeps) {
  const leads = leadStore(deps.mongo);
  const configs = deps.configs ?? tenantConfigs(deps.mongo);
  const handle = (tenantId: string, leadId: string) => deps.temporal.workflow.getHandle(leadWorkflowId(tenantId, leadId));

  async function finished(tenantId: string, leadId: string): Promise<{ ok: false; error: CommandError }> {
    const state = await leads.get(leadId);
    if (!state || state.tenantId !== tenantId) return no('not_found', `There is no lead ${leadId}.`, 'leadId');
    return no('lead_closed', `Lead ${leadId} is ${state.status}; it can no longer be changed.`);
  }

  async function run<T>(
    tenantId: string,
    leadId: string,
    call: () => Promise<T>,
    whenFinished?: () => Promise<{ ok: false; error: CommandError }>,
  ): Promise<CommandResult<T>> {
    try {
      return { ok: true, value: await call() };
    } catch (err) {
      const r = refusal(err);
      if (r) return { ok: false, error: r };
      if (err instanceof WorkflowNotFoundError) return (whenFinished ?? (() => finished(tenantId, leadId)))();
      throw err;
    }
  }

  return {
    claim(actor: Actor, leadId: string, onBehalfOf?: string): Promise<CommandResult<UpdateAck>> {
      return run(actor.tenantId, leadId, () =>
        handle(actor.tenantId, leadId).executeUpdate(claimLeadUpdate, { args: [{ actor, ...(onBehalfOf ? { onBehalfOf } : {}) }] }),
      );
    },

    updateStatus(actor: Actor, leadId: string, status: WorkStatus, note?: string): Promise<CommandResult<UpdateAck>> {
      return run(actor.tenantId, leadId, () =>
        handle(actor.tenantId, leadId).executeUpdate(updateLeadStatusUpdate, { args: [{ actor, status, ...(note ? { note } : {}) }] }),
      );
    },

    share(actor: Actor, leadId: string, userId: string, permission: SharePermission): Promise<CommandResult<UpdateAck>> {
      return run(actor.tenantId, leadId, () => handle(actor.tenantId, leadId).executeUpdate(shareLeadUpdate, { args: [{ actor, userId, permission }] }));
    },

    /** Ops approve a lead in review: it routes on, past review tiers. */
    approve(actor: Actor, leadId: string, note?: string): Promise<CommandResult<UpdateAck>> {
      return run(actor.tenantId, leadId, () =>
        handle(actor.tenantId, leadId).executeUpdate(approveLeadUpdate, { args: [{ actor, ...(note ? { note } : {}) }] }),
      );
    },

    /** Ops reject a lead in review: against its source, with the reason, unbilled. */
    rejectInReview(actor: Actor, leadId: string, reason: RejectReason, note?: string): Promise<CommandResult<UpdateAck>> {
      return run(actor.tenantId, leadId, () =>
        handle(actor.tenantId, leadId).executeUpdate(rejectLeadUpdate, { args: [{ actor, reason, ...(note ? { note } : {}) }] }),
      );
    },

    /** A manager releases a held lead: routed now, whoever is open or not. */
    release(actor: Actor, leadId: string): Promise<CommandResult<UpdateAck>> {
      return run(actor.tenantId, leadId, () => handle(actor.tenantId, leadId).executeUpdate(releaseHeldLeadUpdate, { args: [{ actor }] }));
    },

    reassign(actor: Actor, leadId: string, toEndpointId: string, note?: string): Promise<CommandResult<UpdateAck>> {
      return run(actor.tenantId, leadId, () =>
        handle(actor.tenantId, leadId).executeUpdate(reassignLeadUpdate, { args: [{ actor, toEndpointId, ...(note ? { note } : {}) }] }),
      );
    },

    returnLead(actor: Actor, leadId: string, reason: string, opts: { evidence?: string; replace?: boolean } = {}): Promise<CommandResult<ReturnAck>> {
      return run(
        actor.tenantId,
        leadId,
        () => handle(actor.tenantId, leadId).executeUpdate(returnLeadUpdate, { args: [{ actor, reason, ...opts }] }),
        async () => {
          const state = await leads.get(leadId);
          if (!state || state.tenantId !== actor.tenantId) return no('not_found', `There is no lead ${leadId}.`, 'leadId');
          const source = (await configs.latest(actor.tenantId))?.document.sources.find((s) => s.id === state.sourceId);
          const policy = {
            allowedReasons: source?.allowedReturnReasons ?? [],
            windowMs: (source?.returnWindowSec ?? 0) * 1000,
            maxReturnRate: source?.maxReturnRate ?? 0,
          };
          const verdict = checkReturn(state, actor, reason, policy, undefined, Date.now());
          return verdict.ok ? no('window_closed', `The return window of lead ${leadId} has closed.`) : no(verdict.code, verdict.message);
        },
      );
    },

    /** Opening a lead: recorded, never a claim. */
    async view(actor: Actor, leadId: string): Promise<void> {
      await handle(actor.tenantId, leadId)
        .signal(leadViewedSignal, { actor })
        .catch((err: unknown) => {
          if (!(err instanceof WorkflowNotFoundError)) throw err;
        });
    },

    /** An offered agent passes: reassigned at once, as if the deadline had lapsed for them. */
    async decline(actor: Actor, leadId: string): Promise<void> {
      await handle(actor.tenantId, leadId)
        .signal(offerDeclinedSignal, { actor })
        .catch((err: unknown) => {
          if (!(err instanceof WorkflowNotFoundError)) throw err;
        });
    },
  };
}

export type LeadCommands = ReturnType<typeof leadCommands>;
