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

/** A notification as one inbox holds it: `n` is its place in the inbox (1, 2, 3, ...), the cursor for paging. */
export interface InboxEntry extends Notification {
  n: number;
  read: boolean;
}

export interface InboxPage {
  entries: InboxEntry[];
  /** Unread entries, counted over the newest UNREAD_SCAN_LIMIT at most. */
  unread: number;
  /** Whether older entries remain after the last one returned. */
  hasMore: boolean;
}

/** How far back an unread count looks: an inbox left unread for months is "500+", not a scan of everything. */
export const UNREAD_SCAN_LIMIT = 500;

const toNotification = (d: Record<string, unknown>): Notification => ({
  leadId: d.leadId as string,
  kind: d.kind as NotificationKind,
  message: d.message as string,
  at: d.at as number,
  ...(typeof d.deadlineAt === 'number' ? { deadlineAt: d.deadlineAt } : {}),
  ...(typeof d.round === 'number' ? { round: d.round } : {}),
  ...(typeof d.link === 'string' ? { link: d.link } : {}),
});

/**
 * In-app notifications: one numbered inbox per endpoint, per user (and one for
 * the tenant's managers), read newest first by point reads. Each notification
 * is guarded by its own key (recipient, lead and the caller's key), so a
 * retried activity never notifies twice.
 *
 * Read state is insert-only too, because FerretDB loses concurrent updates:
 * one marker per entry read, and "all read up to n" as a numbered sequence of
 * watermarks (the highest of the newest few wins, so two concurrent "mark all"
 * can only agree or both count).
 */
export function notificationStore(conn: Connection) {
  const seq = sequences(conn, 'notifications');
  const inbox = (tenantId: string, recipient: string) => `inbox|${tenantId}|${recipient}`;
  const readMark = (tenantId: string, recipient: string, n: number) => `read|${tenantId}|${recipient}|${n}`;
  const watermarks = (tenantId: string, recipient: string) => `readall|${tenantId}|${recipient}`;

  async function readUpTo(tenantId: string, recipient: string): Promise<number> {
    const prefix = watermarks(tenantId, recipient);
    const top = await seq.highest(prefix);
    let upTo = 0;
    for (let n = top; n >= 1 && n > top - 3; n--) upTo = Math.max(upTo, ((await seq.read(seq.idOf(prefix, n)))?.upTo as number | undefined) ?? 0);
    return upTo;
  }

  const isRead = async (tenantId: string, recipient: string, n: number, upTo: number) => n <= upTo || !!(await seq.read(readMark(tenantId, recipient, n)));

  /** Unread entries among the newest UNREAD_SCAN_LIMIT; `known` holds read states already looked up. */
  async function countUnread(tenantId: string, recipient: string, top: number, upTo: number, known = new Map<number, boolean>()): Promise<number> {
    let unread = 0;
    for (let m = top; m > upTo && m > top - UNREAD_SCAN_LIMIT; m--) if (!(known.get(m) ?? (await isRead(tenantId, recipient, m, upTo)))) unread++;
    return unread;
  }

  return {
    async send(tenantId: string, recipients: readonly string[], n: Notification, dedupeKey: string): Promise<number> {
      let sent = 0;
      // Each recipient's guard (per lead: offers of two leads in the same round are two notifications)
      // and its inbox entry at the next slot this process knows of, all in one ordered insert; where a
      // retry (a guard there) or another writer (the slot taken) stops it, the rest goes one by one.
      const unique = [...new Set(recipients)];
      const guard = (r: string) => `note|${tenantId}|${r}|${n.leadId}|${dedupeKey}`;
      const went = await seq.insertSteps(
        unique.map((r) => {
          const prefix = inbox(tenantId, r);
          const next = (seq.cachedHighest(prefix) ?? 0) + 1;
          return [
            { id: guard(r), data: { at: n.at } },
            { id: seq.idOf(prefix, next), data: { ...n }, at: { prefix, n: next } },
          ];
        }),
      );
      for (const [i, r] of unique.entries()) {
        if (went[i] === 0) continue; // the guard was there: notified before (a retry)
        if (went[i] === undefined && !(await seq.insertOnce(guard(r), { at: n.at }))) continue;
        if (went[i] !== 2) await seq.append(inbox(tenantId, r), { ...n }); // not reached, or guarded but its slot was taken
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
        if (d) out.push(toNotification(d));
      }
      return out;
    },
    /** One page, newest first, older than `before` when given; with read flags and the unread count. */
    async page(tenantId: string, recipient: string, opts: { first: number; before?: number }): Promise<InboxPage> {
      const prefix = inbox(tenantId, recipient);
      const [top, upTo] = await Promise.all([seq.highest(prefix), readUpTo(tenantId, recipient)]);
      const entries: InboxEntry[] = [];
      // The page's read states count toward the unread total without being read twice.
      const known = new Map<number, boolean>();
      let n = Math.min(top, (opts.before ?? top + 1) - 1);
      for (; n >= 1 && entries.length < opts.first; n--) {
        const d = await seq.read(seq.idOf(prefix, n));
        if (!d) continue;
        const read = await isRead(tenantId, recipient, n, upTo);
        known.set(n, read);
        entries.push({ ...toNotification(d), n, read });
      }
      return { entries, unread: await countUnread(tenantId, recipient, top, upTo, known), hasMore: n >= 1 };
    },
    /** How many are unread (over the newest UNREAD_SCAN_LIMIT). */
    async unreadCount(tenantId: string, recipient: string): Promise<number> {
      const [top, upTo] = await Promise.all([seq.highest(inbox(tenantId, recipient)), readUpTo(tenantId, recipient)]);
      return countUnread(tenantId, recipient, top, upTo);
    },
    /** Marks entries read (numbers not in the inbox, or read already, are ignored); returns how many were unread. */
    async markRead(tenantId: string, recipient: string, ns: readonly number[], at: number): Promise<number> {
      const [top, upTo] = await Promise.all([seq.highest(inbox(tenantId, recipient)), readUpTo(tenantId, recipient)]);
      let marked = 0;
      for (const n of new Set(ns)) if (n > upTo && n <= top && (await seq.insertOnce(readMark(tenantId, recipient, n), { at }))) marked++;
      return marked;
    },
    /** Everything in the inbox now is read; what arrives later is not. */
    async markAllRead(tenantId: string, recipient: string, at: number): Promise<void> {
      const top = await seq.highest(inbox(tenantId, recipient));
      if (top > (await readUpTo(tenantId, recipient))) await seq.append(watermarks(tenantId, recipient), { upTo: top, at });
    },
    /** The inbox's newest number: a stream polls it and reads only what is new. */
    highest: (tenantId: string, recipient: string) => seq.highest(inbox(tenantId, recipient)),
    /** One entry by number. */
    async entry(tenantId: string, recipient: string, n: number): Promise<InboxEntry | undefined> {
      const d = await seq.read(seq.idOf(inbox(tenantId, recipient), n));
      return d ? { ...toNotification(d), n, read: await isRead(tenantId, recipient, n, await readUpTo(tenantId, recipient)) } : undefined;
    },
  };
}

export type NotificationStore = ReturnType<typeof notificationStore>;
