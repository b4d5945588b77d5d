import { GraphQLError } from 'graphql';
import { Repeater } from 'graphql-yoga';
import { userInbox, type InboxEntry } from '../../db/notification-store.ts';
import { effectiveAlertSettings } from '../../domain/alerts/alert-channels.ts';
import type { AlertSettingsChange } from '../../services/users.ts';
import { authorize, type ApiContext } from '../context.ts';
import { invalidInput, problemsOf, refused, succeeded } from '../core/payload.ts';
import { pollEvery } from '../core/polling.ts';
import type { AlertSettingsInput } from '../generated/graphql.ts';
import type { GraphQLModule } from '../module.ts';
import { notificationsTypeDefs } from './type-defs.ts';

export const NOTIFICATION_POLL_MS = 1000;
const MAX_PAGE = 100;

const toNode = (e: InboxEntry) => ({
  id: String(e.n),
  leadId: e.leadId,
  kind: e.kind,
  message: e.message,
  at: e.at,
  deadlineAt: e.deadlineAt ?? null,
  link: e.link ?? null,
  read: e.read,
});

/** An inbox position as the API shows it: a positive whole number. */
const position = (id: string): number | undefined => (/^[1-9]\d{0,15}$/.test(id) ? Number(id) : undefined);

/** GraphQL's list of kinds to the settings' per-kind record; a kind named twice is a mistake worth saying. */
function toChange(input: AlertSettingsInput): { ok: true; change: AlertSettingsChange } | { ok: false; message: string } {
  const change: AlertSettingsChange = {};
  if (input.mobile !== undefined) change.mobile = input.mobile;
  if (input.timeZone !== undefined) change.timeZone = input.timeZone;
  if (input.quietHours !== undefined) change.quietHours = input.quietHours;
  if (input.channels) {
    const channels: NonNullable<AlertSettingsChange['channels']> = {};
    for (const c of input.channels) {
      if (channels[c.kind]) return { ok: false, message: `names ${c.kind} twice` };
      channels[c.kind] = c.channels;
    }
    change.channels = channels;
  }
  return { ok: true, change };
}

async function setAlerts(ctx: ApiContext, tenantId: string, userId: string, input: AlertSettingsInput) {
  const change = toChange(input);
  if (!change.ok) return refused(invalidInput(change.message, 'channels'));
  const res = await ctx.services.users.setAlerts(tenantId, userId, change.change);
  return res.ok ? succeeded({ settings: effectiveAlertSettings(res.user.alerts) }) : refused(problemsOf(res.code, res.errors));
}

/**
 * The caller's inbox as a stream: the worker writes alerts from another
 * process, so the stream polls the inbox's newest number each second (a
 * quiet poll is one point read) and sends what is past the last one sent.
 */
function notificationStream(ctx: ApiContext, tenantId: string, recipient: string, after: number | undefined, pollMs = NOTIFICATION_POLL_MS) {
  return new Repeater<ReturnType<typeof toNode>>(async (push, stop) => {
    const inbox = ctx.services.inbox;
    const top = await inbox.highest(tenantId, recipient);
    let last = after === undefined ? top : Math.min(after, top);
    const stopPolling = await pollEvery(pollMs, async () => {
      const newest = await inbox.highest(tenantId, recipient);
      for (; last < newest; last++) {
        const entry = await inbox.entry(tenantId, recipient, last + 1);
        if (entry) await push(toNode(entry));
      }
    });
    await stop;
    stopPolling();
  });
}

export const notificationsModule: GraphQLModule = {
  typeDefs: notificationsTypeDefs,
  resolvers: {
    Query: {
      myNotifications: async (_, { first, after }, ctx) => {
        const actor = authorize(ctx, 'notifications.read');
        const size = first ?? 20;
        if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE) {
          return refused(invalidInput(`must be between 1 and ${MAX_PAGE}`, 'first'), { nodes: [], unreadCount: 0, hasMore: false, endCursor: null });
        }
        const before = after == null ? undefined : position(after);
        if (after != null && before === undefined) {
          return refused(invalidInput('must be a notification id from an earlier page', 'after'), {
            nodes: [],
            unreadCount: 0,
            hasMore: false,
            endCursor: null,
          });
        }
        const page = await ctx.services.inbox.page(actor.tenantId, userInbox(actor.userId), { first: size, ...(before ? { before } : {}) });
        const nodes = page.entries.map(toNode);
        return succeeded({ nodes, unreadCount: page.unread, hasMore: page.hasMore, endCursor: nodes.at(-1)?.id ?? null });
      },
      myAlertSettings: async (_, __, ctx) => {
        const actor = authorize(ctx, 'alerts.configure');
        return effectiveAlertSettings((await ctx.services.users.get(actor.tenantId, actor.userId))?.alerts);
      },
    },
    Mutation: {
      markNotificationsRead: async (_, { ids, all }, ctx) => {
        const actor = authorize(ctx, 'notifications.read');
        const recipient = userInbox(actor.userId);
        const none = { marked: 0, unreadCount: 0 };
        if (!all && !ids?.length) return refused(invalidInput('name the notifications to mark read, or pass all: true', 'ids'), none);
        const ns = (ids ?? []).map(position);
        const bad = (ids ?? []).find((_, i) => ns[i] === undefined);
        if (bad !== undefined) return refused(invalidInput(`"${bad.slice(0, 40)}" is not a notification id`, 'ids'), none);
        const { inbox } = ctx.services;
        // Marking by id counts itself; "all" counts what was unread first (the count after it is
        // cheap: only what arrived since the watermark).
        const before = all ? await inbox.unreadCount(actor.tenantId, recipient) : 0;
        const byId = all ? 0 : await inbox.markRead(actor.tenantId, recipient, ns as number[], ctx.now);
        if (all) await inbox.markAllRead(actor.tenantId, recipient, ctx.now);
        const unreadCount = await inbox.unreadCount(actor.tenantId, recipient);
        return succeeded({ marked: all ? Math.max(0, before - unreadCount) : byId, unreadCount });
      },
      updateMyAlertSettings: (_, { input }, ctx) => {
        const actor = authorize(ctx, 'alerts.configure');
        return setAlerts(ctx, actor.tenantId, actor.userId, input);
      },
      updateUserAlertSettings: (_, { userId, input }, ctx) => {
        const actor = authorize(ctx, 'user.manage');
        return setAlerts(ctx, actor.tenantId, userId, input);
      },
    },
    Subscription: {
      notificationReceived: {
        subscribe: (_, { after }, ctx) => {
          const actor = authorize(ctx, 'notifications.read');
          const from = after == null ? undefined : position(after);
          // An event stream has no payload to carry a refusal in: a bad cursor is a request error.
          if (after != null && from === undefined)
            throw new GraphQLError('after must be a notification id from myNotifications', { extensions: { code: 'INVALID_INPUT', field: 'after' } });
          return notificationStream(ctx, actor.tenantId, userInbox(actor.userId), from);
        },
        resolve: (n: ReturnType<typeof toNode>) => n,
      },
    },
    User: {
      alerts: (u) => effectiveAlertSettings(u.alerts),
    },
  },
};
