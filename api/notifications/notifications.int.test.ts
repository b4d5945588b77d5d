import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notificationStore, userInbox } from '../../db/notification-store.ts';
import { userModel } from '../../db/models/user.ts';
import { startApiHarness, type Harness } from '../../testing/api-harness.ts';
import { readSseEvents } from '../../testing/sse.ts';

/**
 * A person's own inbox and alert settings through the API, against the real
 * server: alerts are written by the worker's alert activity into the user's
 * inbox (here through the same store), read newest first in pages, marked
 * read, and streamed as they arrive.
 */
describe('notifications and alert settings', () => {
  let h: Harness;
  const agent = 't1:agent@test';
  const send = (leadId: string, kind: 'shared' | 'offered' | 'lapsed', key: string, extra: Record<string, unknown> = {}) =>
    notificationStore(h.mongo).send('t1', [userInbox(agent)], { leadId, kind, message: `${kind} ${leadId}`, at: Date.now(), ...extra }, key);
  const q = (query: string, variables: Record<string, unknown> = {}, token = h.tokens.t1!.agent) => h.gql(query, variables, { token });
  const PAGE =
    'query($f: Int, $a: ID) { myNotifications(first: $f, after: $a) { ok errors { code field message } nodes { id leadId kind message read link deadlineAt } unreadCount hasMore endCursor } }';

  beforeAll(async () => {
    h = await startApiHarness();
    for (let i = 1; i <= 5; i++) await send(`t1-n${i}`, 'shared', `k${i}`);
    await send('t1-offer', 'offered', 'offered:1', { deadlineAt: Date.now() + 300_000, round: 1, link: 'http://x/claim/tok' });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('pages the inbox newest first with a cursor, with an unread count', async () => {
    const first = (await q(PAGE, { f: 4 })).body.data.myNotifications;
    expect(first).toMatchObject({ ok: true, unreadCount: 6, hasMore: true });
    expect(first.nodes.map((n: { leadId: string }) => n.leadId)).toEqual(['t1-offer', 't1-n5', 't1-n4', 't1-n3']);
    expect(first.nodes[0]).toMatchObject({ kind: 'offered', link: 'http://x/claim/tok', read: false, deadlineAt: expect.any(String) });
    const second = (await q(PAGE, { f: 4, a: first.endCursor })).body.data.myNotifications;
    expect(second).toMatchObject({ ok: true, hasMore: false });
    expect(second.nodes.map((n: { leadId: string }) => n.leadId)).toEqual(['t1-n2', 't1-n1']);
    // Someone else's inbox is not the agent's: the manager has none of these.
    expect((await q(PAGE, {}, h.tokens.t1!.manager)).body.data.myNotifications.nodes).toEqual([]);
  });

  it('refuses a bad page size or cursor with a specific error', async () => {
    expect((await q(PAGE, { f: 0 })).body.data.myNotifications).toMatchObject({ ok: false, errors: [{ code: 'INVALID_INPUT', field: 'first' }], nodes: [] });
    expect((await q(PAGE, { f: 500 })).body.data.myNotifications.errors[0].field).toBe('first');
    expect((await q(PAGE, { a: 'abc' })).body.data.myNotifications).toMatchObject({ ok: false, errors: [{ code: 'INVALID_INPUT', field: 'after' }] });
    const mark = 'mutation($ids: [ID!], $all: Boolean) { markNotificationsRead(ids: $ids, all: $all) { ok errors { code field message } marked unreadCount } }';
    expect((await q(mark, {})).body.data.markNotificationsRead).toMatchObject({ ok: false, errors: [{ code: 'INVALID_INPUT', field: 'ids' }] });
    expect((await q(mark, { ids: ['1', 'x; drop'] })).body.data.markNotificationsRead).toMatchObject({
      ok: false,
      errors: [{ field: 'ids', message: expect.stringMatching(/not a notification id/) }],
    });
  });

  it('marks some read, then all; what arrives later is unread again', async () => {
    const mark = 'mutation($ids: [ID!], $all: Boolean) { markNotificationsRead(ids: $ids, all: $all) { ok marked unreadCount } }';
    const page = (await q(PAGE, { f: 10 })).body.data.myNotifications;
    const [offer, n5] = page.nodes;
    // Twice the same, and an id past the end: each counts once, the unknown one not at all.
    expect((await q(mark, { ids: [offer.id, n5.id, offer.id, '999'] })).body.data.markNotificationsRead).toEqual({ ok: true, marked: 2, unreadCount: 4 });
    const after = (await q(PAGE, { f: 3 })).body.data.myNotifications;
    expect(after.nodes.map((n: { read: boolean }) => n.read)).toEqual([true, true, false]);
    expect((await q(mark, { all: true })).body.data.markNotificationsRead).toEqual({ ok: true, marked: 4, unreadCount: 0 });
    await send('t1-late', 'lapsed', 'late');
    const latest = (await q(PAGE, { f: 2 })).body.data.myNotifications;
    expect(latest.unreadCount).toBe(1);
    expect(latest.nodes.map((n: { leadId: string; read: boolean }) => [n.leadId, n.read])).toEqual([
      ['t1-late', false],
      ['t1-offer', true],
    ]);
  });

  const subscribe = (query: string, signal: AbortSignal) =>
    fetch(`${h.base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${h.tokens.t1!.agent}` },
      body: JSON.stringify({ query }),
      signal,
    });

  it('streams what arrived since the newest listed, then each new alert as it reaches the inbox, once', async () => {
    const top = (await q(PAGE, { f: 1 })).body.data.myNotifications.nodes[0].id;
    // Arrives between the listing and the subscription: the cursor makes sure it is not lost.
    await send('t1-gap', 'shared', 'gap');
    const ctl = new AbortController();
    const res = await subscribe(`subscription { notificationReceived(after: "${top}") { leadId kind read } }`, ctl.signal);
    expect(res.status).toBe(200);
    const reading = readSseEvents<{ leadId: string; kind: string; read: boolean }>(res, 'notificationReceived', 3, 15_000);
    await send('t1-live1', 'shared', 'live1');
    // A retried activity repeats its key: the store drops it, the stream never sees it.
    await send('t1-live1', 'shared', 'live1');
    await send('t1-live2', 'lapsed', 'live2');
    const events = await reading;
    ctl.abort();
    expect(events.map((e) => e.leadId)).toEqual(['t1-gap', 't1-live1', 't1-live2']);
    expect(events[2]).toEqual({ leadId: 't1-live2', kind: 'lapsed', read: false });
  });

  it('refuses a subscription with a bad cursor', async () => {
    const ctl = new AbortController();
    const res = await subscribe('subscription { notificationReceived(after: "nope") { leadId } }', ctl.signal);
    const text = await res.text();
    expect(text).toMatch(/after must be a notification id/);
    expect(text).toMatch(/INVALID_INPUT/);
  });

  describe('alert settings', () => {
    const SETTINGS = '{ myAlertSettings { mobile timeZone quietHours { start end } channels { kind channels isDefault } } }';
    const UPDATE =
      'mutation($i: AlertSettingsInput!) { r: updateMyAlertSettings(input: $i) { ok errors { code field message } settings { mobile timeZone quietHours { start end } channels { kind channels isDefault } } } }';

    it('shows the defaults until the person chooses', async () => {
      const s = (await q(SETTINGS, {}, h.tokens.t1!.ops)).body.data.myAlertSettings;
      expect(s).toMatchObject({ mobile: null, timeZone: null, quietHours: { start: '21:00', end: '08:00' } });
      expect(s.channels.find((c: { kind: string }) => c.kind === 'offered')).toEqual({
        kind: 'offered',
        channels: ['in_app', 'email', 'sms'],
        isDefault: true,
      });
      expect(s.channels).toHaveLength(8);
    });

    it('changes what is named, clears what is null, keeps the rest; the alert activity reads it from the user', async () => {
      const set = (
        await q(UPDATE, {
          i: {
            mobile: '+15125550142',
            timeZone: 'America/Denver',
            quietHours: { start: '22:30', end: '06:00' },
            channels: [{ kind: 'claimed', channels: [] }],
          },
        })
      ).body.data.r;
      expect(set.ok).toBe(true);
      expect(set.settings).toMatchObject({ mobile: '+15125550142', timeZone: 'America/Denver', quietHours: { start: '22:30', end: '06:00' } });
      expect(set.settings.channels.find((c: { kind: string }) => c.kind === 'claimed')).toEqual({ kind: 'claimed', channels: [], isDefault: false });
      // Only the channels: the rest stays.
      const more = (await q(UPDATE, { i: { channels: [{ kind: 'offered', channels: ['sms', 'in_app'] }] } })).body.data.r.settings;
      expect(more).toMatchObject({ mobile: '+15125550142', timeZone: 'America/Denver' });
      expect(more.channels.filter((c: { isDefault: boolean }) => !c.isDefault).map((c: { kind: string }) => c.kind)).toEqual(['offered', 'claimed']);
      // Null clears: no quiet hours at all, the tenant's zone.
      const cleared = (await q(UPDATE, { i: { quietHours: null, timeZone: null } })).body.data.r.settings;
      expect(cleared).toMatchObject({ quietHours: null, timeZone: null, mobile: '+15125550142' });
      const stored = await userModel(h.mongo).findById(agent).lean();
      expect(stored?.alerts).toEqual({ mobile: '+15125550142', quietHours: null, channels: { claimed: [], offered: ['sms', 'in_app'] } });
    });

    it('refuses bad settings field by field, and changes nothing', async () => {
      const before = (await userModel(h.mongo).findById(agent).lean())?.alerts;
      const bad = (await q(UPDATE, { i: { mobile: '512-555-0100', timeZone: 'Mars/Olympus', quietHours: { start: '25:00', end: '06:00' } } })).body.data.r;
      expect(bad.ok).toBe(false);
      expect(bad.errors.map((e: { field: string }) => e.field).sort()).toEqual(['mobile', 'quietHours.start', 'timeZone']);
      expect(bad.errors.find((e: { field: string }) => e.field === 'mobile').message).toMatch(/E\.164/);
      const twice = (
        await q(UPDATE, {
          i: {
            channels: [
              { kind: 'offered', channels: [] },
              { kind: 'offered', channels: ['sms'] },
            ],
          },
        })
      ).body.data.r;
      expect(twice).toMatchObject({ ok: false, errors: [{ code: 'INVALID_INPUT', field: 'channels', message: 'names offered twice' }] });
      expect((await userModel(h.mongo).findById(agent).lean())?.alerts).toEqual(before);
    });

    it('admins set another user’s settings and see them on the user; a missing user is NOT_FOUND', async () => {
      const admin = h.tokens.t1!.admin;
      const set = await q(
        'mutation($u: ID!) { r: updateUserAlertSettings(userId: $u, input: { mobile: "+15125550199" }) { ok settings { mobile } } }',
        { u: 't1:buyer@test' },
        admin,
      );
      expect(set.body.data.r).toEqual({ ok: true, settings: { mobile: '+15125550199' } });
      const users = (await q('{ users { userId alerts { mobile } } }', {}, admin)).body.data.users;
      expect(users.find((u: { userId: string }) => u.userId === 't1:buyer@test').alerts.mobile).toBe('+15125550199');
      const missing = await q(
        'mutation { r: updateUserAlertSettings(userId: "t1:nobody@test", input: { mobile: null }) { ok errors { code field } } }',
        {},
        admin,
      );
      expect(missing.body.data.r).toEqual({ ok: false, errors: [{ code: 'NOT_FOUND', field: 'userId' }] });
    });
  });
});
