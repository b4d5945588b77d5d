import type { LeadEvent } from '../domain/lifecycle/lead-events.ts';
import { scrubPii } from './log-redaction.ts';

export interface EventLogLine {
  level: 'debug' | 'info';
  msg: string;
  fields: Record<string, unknown>;
}

/**
 * One log line per lead event, with ids, codes and counts only: never a
 * validation step's text (it quotes the phone or email it judged), never the
 * lead's contact; free text we did not write (a delivery failure quoting the
 * receiver) is scrubbed.
 */
export function eventLogLine(e: LeadEvent): EventLogLine {
  const base = { leadId: e.leadId, tenantId: e.tenantId, event: e.type, seq: e.seq };
  const line = (msg: string, fields: Record<string, unknown> = {}, level: EventLogLine['level'] = 'info'): EventLogLine => ({
    level,
    msg,
    fields: { ...base, ...fields },
  });
  switch (e.type) {
    case 'received':
      return line('lead received', {
        sourceId: e.data.sourceId,
        serviceLine: e.data.serviceLine,
        ...(e.data.replacementOf ? { replacementOf: e.data.replacementOf } : {}),
      });
    case 'validated':
      return line('lead validated', {
        outcome: e.data.outcome,
        flags: e.data.flags,
        failedSteps: e.data.steps.filter((s) => s.outcome === 'fail').map((s) => s.step),
      });
    case 'rejected':
      return line('lead rejected', { reason: e.data.reason });
    case 'auto_responded':
      return line('acknowledgement sent', { channels: e.data.channels }, 'debug');
    case 'routed':
      return line('lead routed', {
        outcome: e.data.outcome,
        endpointIds: e.data.endpointIds,
        configVersion: e.data.configVersion,
        ...(e.data.tier ? { tier: e.data.tier } : {}),
        ...(e.data.algorithm ? { algorithm: e.data.algorithm } : {}),
      });
    case 'delivered':
      return line('lead delivered', { endpointId: e.data.endpointId, method: e.data.method });
    case 'held':
      return line(e.data.why === 'closed' ? 'lead held: everyone is closed' : 'lead paced', {
        until: new Date(e.data.until).toISOString(),
        endpointIds: e.data.endpointIds,
      });
    case 'review_requested':
      return line('lead sent to review', {});
    case 'review_approved':
      return line('lead approved in review', { byRole: e.actor.role });
    case 'released':
      return line('held lead released by hand', { byRole: e.actor.role });
    case 'delivery_failed':
      return line('delivery failed, failing over', { endpointId: e.data.endpointId, reason: scrubPii(e.data.reason) });
    case 'offered':
      return line('lead offered', { endpointIds: e.data.endpointIds, round: e.data.round, deadlineAt: new Date(e.data.deadlineAt).toISOString() });
    case 'claimed':
      return line('lead claimed', { endpointId: e.data.endpointId, implicit: e.data.implicit, byRole: e.actor.role });
    case 'assigned':
      return line('lead assigned', { endpointId: e.data.endpointId, by: e.data.by });
    case 'alerted':
      return line('people alerted', {
        kind: e.data.kind,
        sent: e.data.sent.map((l) => l.channel),
        failed: e.data.failed.map((l) => `${l.channel}: ${scrubPii(l.reason)}`),
        skipped: e.data.skipped.map((l) => `${l.channel}: ${l.reason}`),
      });
    case 'viewed':
      return line('lead viewed', { ...(e.data.endpointId ? { endpointId: e.data.endpointId } : {}), byRole: e.actor.role }, 'debug');
    case 'lapsed':
      return line('offer lapsed', { endpointIds: e.data.endpointIds, round: e.data.round });
    case 'reassigned':
      return line('lead reassigned', {
        toEndpointId: e.data.toEndpointId,
        ...(e.data.fromEndpointId ? { fromEndpointId: e.data.fromEndpointId } : {}),
        byRole: e.actor.role,
      });
    case 'escalated':
      return line('lead escalated', { kind: e.data.kind });
    case 'shared':
      return line('lead shared', { permission: e.data.permission, byRole: e.actor.role });
    case 'status_changed':
      return line('lead status changed', { status: e.data.status, byRole: e.actor.role });
    case 'return_accepted':
      return line('return accepted', {
        reason: e.data.reason,
        creditCents: e.data.creditCents,
        ...(e.data.replacementLeadId ? { replacementLeadId: e.data.replacementLeadId } : {}),
      });
    case 'return_refused':
      return line('return refused', { code: e.data.code });
    case 'billing_final':
      return line('billing final', { billedCents: e.data.billedCents });
  }
}
