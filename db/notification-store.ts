import type { Connection } from 'mongoose';
import { sequences } from './sequences.ts';

import type { AlertKind } from '../schema/alert-settings.ts';

export type NotificationKind = AlertKind;

export interface Notification {
  leadId: string;
  kind: NotificationKind;
  message: string;
  at: number;
  /** Offers: the claim deadline and offer round, so an inbox reader can skip offers already over without reading the lead. */
  deadlineAt?: number;
  round?: number;
  /** Offers to a person: the signed claim link. */
  link?: string;
}

/** Where notifications for a tenant's managers go (escalations, manual queue). */
export const MANAGERS_INBOX = 'managers';

/** A signed-in user's own inbox (every role has one): alerts addressed to the person, beside the endpoint's offers. */
export const userInbox = (userId: string) => `user:${userId}`;

/**
 * In-app notifications: one numbered inbox per endpoint (and one for the
 * tenant's managers), read newest first by point reads. Each notification is
 * guarded by its own key (recipient, lead and the caller's key), so a retried
 * activity never notifies twice.
 */
export function notificationStore(conn: Connection) {
  const seq = sequences(conn, 'notifications');
  const inbox = (tenantId: string, recipient: string) => `inbox|${tenantId}|${recipient}`;
  return {
    async send(tenantId: string, recipients: readonly string[], n: Notification, dedupeKey: string): Promise<number> {
      let sent = 0;
      for (const r of recipients) {
        // The guard is per lead: offers of two leads in the same round are two notifications.
        if (!(await seq.insertOnce(`note|${tenantId}|${r}|${n.leadId}|${dedupeKey}`, { at: n.at }))) continue;
        await seq.append(inbox(tenantId, r), { ...n });
        sent++;
      }
      return sent;
    },
    /** The newest notifications first. */
    async latest(tenantId: string, recipient: string, limit = 50): Promise<Notification[]> {
      const top = await seq.highest(inbox(tenantId, recipient));
      const out: Notification[] = [];
      for (let n = top; n >= 1 && out.length < limit; n--) {
        const d = await seq.read(seq.idOf(inbox(tenantId, recipient), n));
        if (d) {
          out.push({
            leadId: d.leadId as string,
            kind: d.kind as NotificationKind,
            message: d.message as string,
            at: d.at as number,
            ...(typeof d.deadlineAt === 'number' ? { deadlineAt: d.deadlineAt } : {}),
            ...(typeof d.round === 'number' ? { round: d.round } : {}),
            ...(typeof d.link === 'string' ? { link: d.link } : {}),
          });
        }
      }
      return out;
    },
  };
}

export type NotificationStore = ReturnType<typeof notificationStore>;
