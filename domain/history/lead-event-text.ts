import { localWhen } from '../allocation/zone-clock.ts';
import type { AlertLine, AlertReport, LeadEvent } from '../lifecycle/lead-events.ts';
import type { TimelineEntry } from './timeline.ts';

/**
 * How much a reader may learn from a lead event: `full` for staff; `events`
 * for agents, without routing details (summary, tier, algorithm,
 * configuration version) and without money (cost, price, credit, billing),
 * which the policy keeps from them on the Lead type as well.
 */
export type EventDetail = 'full' | 'events';

/** Endpoint and source names for the sentences; an unknown id is shown as it is. */
export interface Names {
  endpoint(id: string): string;
  source(id: string): string;
}

export const idNames: Names = { endpoint: (id) => id, source: (id) => id };

const METHOD: Record<string, string> = {
  in_app: 'in the app',
  http_post: 'HTTP POST',
  http_get: 'HTTP GET',
  webhook: 'signed webhook',
  email: 'email',
  sms: 'SMS',
};
const by = (method: string) => (method === 'in_app' ? METHOD.in_app : `by ${METHOD[method] ?? method.replace(/_/g, ' ')}`);

const money = (cents: number) => `$${(cents / 100).toFixed(2)}`;
const list = (xs: readonly string[]) => (xs.length <= 1 ? (xs[0] ?? 'nobody') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`);

/** One lead event as a timeline entry an ops person reads in one go. */
export function leadEventEntry(e: LeadEvent, names: Names = idNames, detail: EventDetail = 'full'): TimelineEntry {
  const ep = (id: string) => {
    const n = names.endpoint(id);
    return n === id ? id : `${n} (${id})`;
  };
  const full = detail === 'full';
  const { text, data } = describe();
  return {
    at: e.at,
    origin: 'lead',
    kind: e.type,
    text,
    actor: e.actor.userId,
    actorRole: e.actor.role,
    ...(data ? { data } : {}),
  };

  function describe(): { text: string; data?: Record<string, unknown> } {
    switch (e.type) {
      case 'received': {
        const d = e.data;
        const parts = [`Received from ${names.source(d.sourceId)} (${d.sourceId}) for ${d.serviceLine}`];
        if (full) parts.push(`cost ${money(d.costCents)}`);
        if (d.preassignedEndpointId) parts.push(`the source assigned it to ${ep(d.preassignedEndpointId)}`);
        if (d.replacementOf) parts.push(`a replacement for lead ${d.replacementOf}`);
        const { costCents, ...rest } = d;
        return { text: parts.join('; '), data: full ? { ...d } : rest };
      }
      case 'validated': {
        const notPassed = e.data.steps.filter((s) => s.outcome !== 'pass');
        const passed = e.data.steps.length - notPassed.length;
        const why = notPassed.map((s) => `${s.step} ${s.outcome === 'flag' ? 'flagged' : 'failed'}${s.reason ? ` (${s.reason})` : ''}`);
        // Scores are staff-only, like the Lead.signals field.
        const sig = full ? e.data.signals : undefined;
        const measured = [
          ...(sig?.lineType ? [`line type ${sig.lineType}`] : []),
          ...(sig?.riskScore !== undefined ? [`risk score ${sig.riskScore}`] : []),
          ...(sig?.identityConfidence !== undefined ? [`identity confidence ${sig.identityConfidence}`] : []),
        ];
        return {
          text: `Validation ${e.data.outcome}: ${passed} of ${e.data.steps.length} checks passed${why.length ? `; ${why.join('; ')}` : ''}${measured.length ? `; ${measured.join(', ')}` : ''}`,
          data: { outcome: e.data.outcome, steps: e.data.steps, flags: e.data.flags, ...(sig ? { signals: sig } : {}) },
        };
      }
      case 'rejected':
        return { text: `Rejected as ${e.data.reason.replace(/_/g, ' ')}: ${e.data.detail}; not billed`, data: { ...e.data } };
      case 'auto_responded':
        return {
          text: e.data.channels.length
            ? `Acknowledgement sent to the consumer by ${list(e.data.channels)}${e.data.skipped ? ` (${e.data.skipped})` : ''}`
            : `No acknowledgement sent: ${e.data.skipped ?? 'no channel'}`,
          data: { ...e.data },
        };
      case 'routed': {
        const d = e.data;
        const to = d.endpointIds.length ? list(d.endpointIds.map(ep)) : 'the manager queue';
        if (!full) return { text: `Routed to ${to}`, data: { outcome: d.outcome, endpointIds: d.endpointIds } };
        const how = d.tier ? ` by tier "${d.tier}"${d.algorithm ? ` (${d.algorithm.replace(/_/g, ' ')})` : ''}` : '';
        return { text: `Routed (${d.outcome.replace(/_/g, ' ')}) to ${to}${how}, configuration version ${d.configVersion}: ${d.summary}`, data: { ...d } };
      }
      case 'delivered': {
        const d = e.data;
        const price = full && d.priceCents !== undefined ? `; price ${money(d.priceCents)}` : '';
        const { priceCents, ...rest } = d;
        return { text: `Delivered to ${ep(d.endpointId)} ${by(d.method)}${price}`, data: full ? { ...d } : rest };
      }
      case 'held': {
        const d = e.data;
        const when = d.zone ? localWhen(d.zone, d.until) : new Date(d.until).toISOString();
        return {
          text: d.why === 'closed' ? `Held until ${when}: ${d.summary.replace(/^Held until [^:]+: /, '')}` : `Paced until ${when}: ${d.summary}`,
          data: { ...d },
        };
      }
      case 'review_requested':
        return { text: `${e.data.summary}; it waits for ops to approve or reject it`, data: { ...e.data } };
      case 'review_approved':
        return { text: `Approved in review${e.data.note ? ` (${e.data.note})` : ''}; it routes on`, data: { ...e.data } };
      case 'released':
        return { text: 'Released by hand: routed now, whoever is open or not', data: {} };
      case 'delivery_failed':
        return { text: `Delivery to ${ep(e.data.endpointId)} failed: ${e.data.reason}; its reservation released, the lead fails over`, data: { ...e.data } };
      case 'offered':
        return {
          text: `Offered to ${list(e.data.endpointIds.map(ep))} (offer ${e.data.round}); claim by ${new Date(e.data.deadlineAt).toISOString()}`,
          data: { ...e.data },
        };
      case 'claimed':
        return { text: e.data.implicit ? `Claimed by ${ep(e.data.endpointId)} by acting on it` : `Claimed by ${ep(e.data.endpointId)}`, data: { ...e.data } };
      case 'assigned':
        return {
          text:
            e.data.by === 'delivery' ? `Owned by ${ep(e.data.endpointId)} on delivery (no claim needed)` : `Assigned to ${ep(e.data.endpointId)} by a manager`,
          data: { ...e.data },
        };
      case 'alerted':
        // Who else was told, and how, is for staff.
        return full ? alertedEntry(e.data) : { text: `Alerted (${e.data.kind})` };
      case 'viewed':
        return {
          text: `Opened by ${e.actor.userId}${e.data.endpointId ? ` for ${ep(e.data.endpointId)}` : ''} (opening is not claiming)`,
          data: { ...e.data },
        };
      case 'lapsed':
        return {
          text: `Offer ${e.data.round} lapsed unclaimed by ${list(e.data.endpointIds.map(ep))}; they are not offered this lead again`,
          data: { ...e.data },
        };
      case 'reassigned':
        return {
          text: `Reassigned ${e.data.fromEndpointId ? `from ${ep(e.data.fromEndpointId)} ` : ''}to ${ep(e.data.toEndpointId)}${e.data.note ? `: ${e.data.note}` : ''}`,
          data: { ...e.data },
        };
      case 'escalated':
        return { text: `Escalated to the managers (${e.data.kind.replace(/_/g, ' ')}): ${e.data.reason}`, data: { ...e.data } };
      case 'shared':
        return { text: `Shared with ${e.data.userId} (${e.data.permission === 'act' ? 'may act' : 'view only'})`, data: { ...e.data } };
      case 'status_changed':
        return { text: `Status set to ${e.data.status}${e.data.note ? `: ${e.data.note}` : ''}`, data: { ...e.data } };
      case 'return_accepted': {
        const d = e.data;
        const parts = [`Return accepted (${d.reason.replace(/_/g, ' ')})`];
        if (full) parts.push(`source credited ${money(d.creditCents)}`);
        if (d.replacementLeadId) parts.push(`replacement lead ${d.replacementLeadId}`);
        const { creditCents, ...rest } = d;
        return { text: parts.join('; '), data: full ? { ...d } : rest };
      }
      case 'return_refused':
        return { text: `Return refused (${e.data.reason.replace(/_/g, ' ')}): ${e.data.code.replace(/_/g, ' ')}`, data: { ...e.data } };
      case 'billing_final':
        return full
          ? { text: `Return window closed; billing final at ${money(e.data.billedCents)}`, data: { ...e.data } }
          : { text: 'Return window closed; billing final' };
    }
  }
}

const CHANNEL_WORDS: Record<AlertLine['channel'], string> = { in_app: 'in the app', email: 'by email', sms: 'by SMS' };
const SKIP_WORDS: Record<string, string> = {
  quiet_hours: 'quiet hours',
  no_mobile: 'no mobile number',
  no_email: 'no email address',
  not_configured: 'channel not configured',
};

/** "Alerted (offered): Ann Agent in the app, by email, by SMS; ..." one clause per outcome, people grouped. */
function alertedEntry(r: AlertReport): { text: string; data: Record<string, unknown> } {
  const byPerson = (lines: ReadonlyArray<AlertLine & { reason?: string }>, why: (l: AlertLine & { reason?: string }) => string) => {
    const groups = new Map<string, string[]>();
    for (const l of lines) groups.set(l.name, [...(groups.get(l.name) ?? []), why(l)]);
    return [...groups].map(([name, ways]) => `${name} ${ways.join(', ')}`).join('; ');
  };
  const parts = [
    ...(r.sent.length ? [byPerson(r.sent, (l) => CHANNEL_WORDS[l.channel])] : []),
    ...(r.failed.length ? [`failed: ${byPerson(r.failed, (l) => `${CHANNEL_WORDS[l.channel]} (${l.reason})`)}`] : []),
    ...(r.skipped.length ? [`skipped: ${byPerson(r.skipped, (l) => `${CHANNEL_WORDS[l.channel]} (${SKIP_WORDS[l.reason!] ?? l.reason})`)}`] : []),
  ];
  return { text: `Alerted (${r.kind.replace(/_/g, ' ')}): ${parts.join('; ') || 'nobody to tell'}`, data: { ...r } };
}
