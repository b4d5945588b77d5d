import type { LeadEvent, LeadEventBody } from './lead-events.ts';

/** Builds a lead's event stream for tests: sequence numbers and times advance by themselves. */
export function eventStream(leadId = 'lead-1', tenantId = 't1', start = Date.UTC(2026, 10, 23, 15)) {
  let seq = 0;
  let at = start;
  return (body: LeadEventBody, advanceMs = 1000): LeadEvent => {
    seq += 1;
    at += advanceMs;
    return { ...body, id: `${leadId}#${seq}`, leadId, tenantId, seq, at, actor: { userId: 'system', role: 'ops' } };
  };
}
