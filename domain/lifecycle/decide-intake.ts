// Receiving and validating a lead: the first steps of its lifecycle, as
// decisions. Pure: the workflow runs the steps, these say what they mean.
import { marketOf, postedMarket } from '../geo/lead-geography.ts';
import type { Emit } from './decision.ts';
import type { LeadWorkflowInput } from './lead-input.ts';
import type { LeadContext, ValidationOutcome } from './step-results.ts';

export interface IntakeDecision {
  events: Emit[];
  /** The lead is rejected: nothing more happens to it. */
  end: boolean;
}

/** The lead arrives. A source removed or paused since intake rejects it as invalid, unbilled. */
export function decideReceived(input: LeadWorkflowInput, ctx: LeadContext): IntakeDecision {
  const market = postedMarket(input.lead.address);
  const received: Emit = {
    body: {
      type: 'received',
      data: {
        sourceId: input.sourceId,
        serviceLine: input.lead.serviceLine,
        costCents: ctx.costCents,
        ...(input.externalId ? { externalId: input.externalId } : {}),
        ...(input.preassignedEndpointId ? { preassignedEndpointId: input.preassignedEndpointId } : {}),
        ...(market ? { market } : {}),
        ...(input.replacementOf ? { replacementOf: input.replacementOf } : {}),
      },
    },
    actor: { userId: `source:${input.sourceId}`, role: 'vendor' },
  };
  if (!ctx.problem) return { events: [received], end: false };
  return { events: [received, { body: { type: 'rejected', data: { reason: 'invalid', detail: ctx.problem } } }], end: true };
}

/** The validation chain's verdict, recorded step by step (step data stays out: it holds contact details). */
export function decideValidated(v: ValidationOutcome): IntakeDecision {
  const validated: Emit = {
    body: {
      type: 'validated',
      data: {
        outcome: v.outcome,
        steps: v.steps.map(({ step, outcome, reason }) => ({ step, outcome, ...(reason ? { reason } : {}) })),
        flags: v.flags,
        ...(v.signals ? { signals: v.signals } : {}),
        ...(v.geography ? { market: marketOf(v.geography) } : {}),
      },
    },
  };
  if (v.outcome !== 'rejected') return { events: [validated], end: false };
  return {
    events: [validated, { body: { type: 'rejected', data: { reason: v.rejectReason ?? 'invalid', detail: v.rejectDetail ?? 'failed validation' } } }],
    end: true,
  };
}

export type AcknowledgementPlan = { send: Array<'sms' | 'email'> } | { send: []; events: Emit[] };

/**
 * Speed to lead: the consumer is acknowledged on every channel they consented
 * to that the source has a template for. With none, that is recorded at once.
 */
export function planAcknowledgement(v: ValidationOutcome, ctx: LeadContext): AcknowledgementPlan {
  const send = v.consentChannels.filter((c): c is 'sms' | 'email' => (c === 'sms' && !!ctx.autoResponse.sms) || (c === 'email' && !!ctx.autoResponse.email));
  if (send.length > 0) return { send };
  return { send: [], events: decideAcknowledged({ sent: [], skipped: 'no consent for an available channel' }) };
}

export function decideAcknowledged(r: { sent: string[]; skipped?: string }): Emit[] {
  return [{ body: { type: 'auto_responded', data: { channels: r.sent, ...(r.skipped ? { skipped: r.skipped } : {}) } } }];
}
