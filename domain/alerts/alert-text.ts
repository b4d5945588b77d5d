import type { AlertKind } from '../../schema/alert-settings.ts';

/** What a notice says beyond its kind: ids only, names are looked up when it is written. */
export interface NoticeFacts {
  round?: number;
  deadlineAt?: number;
  reason?: string;
  /** The user who acted (shared, reassigned, returned). */
  by?: string;
  permission?: string;
  /** Endpoints that let the offer lapse. */
  lapsedBy?: string[];
  /** Endpoints that have the lead now. */
  nowWith?: string[];
  /** Held until (epoch ms). */
  until?: number;
}

/** The lead as an alert may describe it before anyone has claimed it: no contact, no street. */
export interface LeadSummary {
  leadId: string;
  serviceLine: string;
  /** City, state and ZIP, as far as known. */
  area?: string;
}

export interface AlertText {
  subject: string;
  /** The alert in one sentence, without the link: what an inbox lists. */
  line: string;
  text: string;
  /** One short line; the link, if any, at the end. */
  sms: string;
}

export interface TextContext {
  lead: LeadSummary;
  /** Endpoint or user id → display name. */
  nameOf: (id: string) => string;
  /** The reader's zone, for times. */
  timeZone: string;
  link?: string;
}

export function localTime(at: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-US', { timeZone, month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit', timeZoneName: 'short' }).format(at);
}

const list = (ids: readonly string[] | undefined, nameOf: (id: string) => string) => (ids ?? []).map(nameOf).join(', ') || 'nobody';

/** The words of one alert, the same for every channel: subject and body for email and the inbox, one line for SMS. Pure. */
export function alertText(kind: AlertKind, facts: NoticeFacts, c: TextContext): AlertText {
  const what = `${c.lead.serviceLine} lead${c.lead.area ? ` in ${c.lead.area}` : ''}`;
  const ref = `Lead ${c.lead.leadId}`;
  const link = c.link ? `\n\nOpen it: ${c.link}` : '';
  const smsLink = c.link ? ` ${c.link}` : '';
  switch (kind) {
    case 'offered': {
      const by = facts.deadlineAt !== undefined ? localTime(facts.deadlineAt, c.timeZone) : 'the deadline';
      return {
        subject: `New ${what}: claim by ${by}`,
        line: `A ${what} is offered to you: claim it by ${by}.`,
        text:
          `A ${what} is offered to you. Claim it before ${by}, or it goes to the next in line.${link}` +
          `\n\nOpening the link shows the lead with its contact details hidden and does not claim it; Claim gives you the contact.\n\n${ref}`,
        sms: `New ${what}. Claim by ${by}:${smsLink}`,
      };
    }
    case 'lapsed': {
      // The managers' notice names who has it now; the lapsed agents' does not.
      if (facts.nowWith?.length) {
        const line = `${list(facts.lapsedBy, c.nameOf)} let the offer of a ${what} lapse; it is now offered to ${list(facts.nowWith, c.nameOf)}.`;
        return { subject: `Offer lapsed: ${what}`, line, text: `${line}\n\n${ref}`, sms: line };
      }
      const line = `The claim deadline passed for a ${what}; it has gone to the next in line.`;
      return { subject: `Offer lapsed: ${what}`, line, text: `${line}\n\n${ref}`, sms: line };
    }
    case 'escalated': {
      const line = `A ${what} needs a manager: ${facts.reason ?? 'escalated'}.`;
      return { subject: `Needs a manager: ${what}`, line, text: `${line}${link}\n\n${ref}`, sms: line };
    }
    case 'reassigned': {
      const line = `${facts.by ? c.nameOf(facts.by) : 'A manager'} reassigned a ${what} to ${list(facts.nowWith, c.nameOf)}.`;
      return { subject: `Reassigned: ${what}`, line, text: `${line}\n\n${ref}`, sms: line };
    }
    case 'shared': {
      const line = `${facts.by ? c.nameOf(facts.by) : 'A colleague'} shared a ${what} with you (${facts.permission ?? 'view'}).`;
      return { subject: `Shared with you: ${what}`, line, text: `${line}\n\n${ref}`, sms: line };
    }
    case 'claimed': {
      const line = `The ${what} offered to you was claimed by someone else; nothing more to do.`;
      return { subject: `Claimed by someone else: ${what}`, line, text: `${line}\n\n${ref}`, sms: line };
    }
    case 'returned': {
      const line = `${facts.by ? c.nameOf(facts.by) : 'The owner'} returned a ${what}${facts.reason ? ` (${facts.reason.replace(/_/g, ' ')})` : ''}.`;
      return { subject: `Returned: ${what}`, line, text: `${line}\n\n${ref}`, sms: line };
    }
    case 'held': {
      const until = facts.until !== undefined ? ` until ${localTime(facts.until, c.timeZone)}` : '';
      const line = `A ${what} is held${until}: ${facts.reason ?? 'nobody who can take it is open'}.`;
      return { subject: `Held: ${what}`, line, text: `${line} Release it to route it now.\n\n${ref}`, sms: line };
    }
  }
}
