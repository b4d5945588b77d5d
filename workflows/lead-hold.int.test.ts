// Leads that arrive when everyone who could take them is closed, under the
// time-skipping test server with every real activity: held until the first
// opening (in the endpoint's own zone, across daylight saving and holidays),
// released in arrival order within the hourly caps, or sent to an on-call
// desk, or rejected, as each plan says; paced receivers metered evenly.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leadStore } from '../db/lead-store.ts';
import type { LeadEvent } from '../domain/lifecycle/lead-events.ts';
import { leadCommands, type LeadCommands } from '../services/lead-commands.ts';
import type { TenantConfigInput } from '../schema/tenant-config.ts';
import { recordHistory } from '../testing/histories.ts';
import { startHttpReceiver, type HttpReceiver } from '../testing/http-receiver.ts';
import { startLeadHarness, type LeadHarness } from '../testing/lead-harness.ts';
import { testLead, testSource } from '../testing/lead-network.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const CHICAGO = 'America/Chicago';
const weekdays = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, ['08:00-17:00']]));

/** Chicago wall-clock parts of an instant. */
function chicago(t: number): { weekday: string; date: string; hm: string } {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone: CHICAGO,
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(t)
      .map((x) => [x.type, x.value]),
  );
  return { weekday: p.weekday!, date: `${p.year}-${p.month}-${p.day}`, hm: `${p.hour}:${p.minute}` };
}

/** The first Saturday 23:00 in Chicago at or after `from` (optionally on or after a given date). */
function nextSaturdayNight(from: number, notBefore = ''): number {
  // Chicago's offset is whole hours, so its quarter-hours are UTC's: step from the next one.
  const quarter = 15 * MIN;
  for (let t = Math.ceil(from / quarter) * quarter; ; t += quarter) {
    const c = chicago(t);
    if (c.weekday === 'Sat' && c.hm === '23:00' && c.date >= notBefore) return t;
  }
}

function holdNetwork(receiver: string, holiday: string): TenantConfigInput {
  const source = (id: string) => testSource(id, { returnWindowSec: DAY / 1000 });
  const post = (path: string) => [{ type: 'http_post' as const, url: `${receiver}/${path}`, fields: { zip: '{{zip}}' } }];
  return {
    tenant: { id: 'holdco', name: 'Hold Co', timeZone: CHICAGO, serviceLines: ['plumbing'] },
    sources: [source('web'), source('oncall'), source('strict'), source('paced')],
    endpoints: [
      // Dallas: weekdays 08:00-17:00, at most 5 leads an hour.
      {
        id: 'dallas',
        name: 'Dallas branch',
        kind: 'location',
        deliveryMethods: post('dallas'),
        caps: { hourly: 5 },
        schedule: { timeZone: CHICAGO, hours: weekdays },
        territories: [{ kind: 'exclusive', zips: ['75201'] }],
      },
      // Fort Worth closes for a holiday on the Monday of the test.
      {
        id: 'fortworth',
        name: 'Fort Worth branch',
        kind: 'location',
        deliveryMethods: post('fortworth'),
        schedule: { timeZone: CHICAGO, hours: weekdays, holidays: [holiday] },
        territories: [{ kind: 'exclusive', zips: ['76102'] }],
      },
      // The on-call desk works nights and weekends.
      {
        id: 'night-desk',
        name: 'Night desk',
        kind: 'call_center',
        deliveryMethods: post('night-desk'),
        schedule: { timeZone: CHICAGO, hours: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, ['17:00-08:00']])) },
      },
      // A paced partner: at most 4 leads an hour, spread evenly.
      {
        id: 'partner',
        name: 'Paced partner',
        kind: 'partner',
        deliveryMethods: post('partner'),
        pace: { perHour: 4 },
        territories: [{ kind: 'exclusive', zips: ['75204'] }],
      },
    ],
    routingPlans: [
      { id: 'hold-plan', sourceId: 'web', tiers: [{ name: 'franchise', selector: { territoryKinds: ['exclusive'] } }] },
      {
        id: 'oncall-plan',
        sourceId: 'oncall',
        whenClosed: 'after_hours',
        tiers: [
          { name: 'franchise', selector: { territoryKinds: ['exclusive'] } },
          { name: 'on call', selector: { endpointIds: ['night-desk'] }, afterHours: true },
        ],
      },
      { id: 'strict-plan', sourceId: 'strict', whenClosed: 'reject', tiers: [{ name: 'franchise', selector: { territoryKinds: ['exclusive'] } }] },
      { id: 'paced-plan', sourceId: 'paced', tiers: [{ name: 'partner', selector: { territoryKinds: ['exclusive'] } }] },
    ],
  };
}

describe('held leads under time skipping', () => {
  let receiver: HttpReceiver;
  let h: LeadHarness;
  let cmd: LeadCommands;
  let saturdayNight: number;
  const events = (id: string): Promise<LeadEvent[]> => leadStore(h.mongo).events(id);
  const deliveredAt = async (id: string) => (await events(id)).find((e) => e.type === 'delivered')?.at;

  beforeAll(async () => {
    receiver = await startHttpReceiver();
    // The harness's clock starts at the real now; the network names the Monday after the coming Saturday as Fort Worth's holiday.
    const start = Date.now();
    saturdayNight = nextSaturdayNight(start + HOUR);
    const monday = chicago(saturdayNight + 2 * DAY).date;
    h = await startLeadHarness({ kind: 'time-skipping', config: holdNetwork(receiver.url, monday) });
    cmd = leadCommands({ temporal: h.client, mongo: h.mongo });
    await h.env!.sleep(saturdayNight - (await h.now()));
  });
  afterAll(async () => {
    await h?.close();
    await receiver?.close();
  });

  const post = async (sourceId: string, extra: Record<string, unknown> = {}) => {
    const r = await h.submit(sourceId, testLead({ consentTimestamp: new Date(await h.now()).toISOString(), ...extra }));
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    return r.leadId;
  };

  it('Saturday 23:00: held until Monday 08:00 local, a holiday moves it to Tuesday, the on-call desk takes it at once, a rejecting plan rejects it; a backlog of 30 goes out in arrival order within the hourly cap', async () => {
    expect(chicago(await h.now())).toMatchObject({ weekday: 'Sat', hm: '23:00' });
    const id = await post('web');
    const fortWorth = await post('web', { zip: '76102', city: 'Fort Worth' });
    const onCall = await post('oncall');
    const strict = await post('strict');

    const held = await h.waitFor(id, (s) => s.status === 'held');
    expect(chicago(held.heldUntil!)).toMatchObject({ weekday: 'Mon', hm: '08:00' });
    expect(held.heldReason).toMatch(
      /^Held until Mon \d{4}-\d\d-\d\d 08:00 America\/Chicago: everyone who could take it is closed now \(Dallas branch\); Dallas branch opens first$/,
    );
    expect(held.billing).toBe('pending');
    expect(await h.readModel(id)).toMatchObject({ status: 'held', heldUntil: held.heldUntil });
    const history = (await events(id)).find((e) => e.type === 'held');
    expect(history?.data).toMatchObject({ why: 'closed', zone: CHICAGO, until: held.heldUntil });

    // Fort Worth is closed for a holiday on Monday: Tuesday 08:00.
    expect(chicago((await h.waitFor(fortWorth, (s) => s.status === 'held')).heldUntil!)).toMatchObject({ weekday: 'Tue', hm: '08:00' });
    // The on-call plan sends it to the night desk, which is open now.
    expect(await h.waitFor(onCall, (s) => s.status === 'assigned')).toMatchObject({ ownerEndpointId: 'night-desk' });
    // The strict plan rejects a lead that arrives when everyone is closed, unbilled, and not as "no coverage".
    expect(await h.waitFor(strict, (s) => s.status === 'rejected')).toMatchObject({ rejection: { reason: 'closed' }, billing: 'not_billed' });

    // A backlog through the weekend: 30 more leads for Dallas, whose hourly cap is 5.
    // Each arrives after the one before it is held: that is the arrival order they must keep.
    const backlog: string[] = [];
    for (let i = 0; i < 30; i++) {
      backlog.push(await post('web'));
      await h.waitFor(backlog.at(-1)!, (s) => s.status === 'held');
    }

    await h.env!.sleep(held.heldUntil! - (await h.now()) + 7 * HOUR);
    expect(await h.waitFor(id, (s) => s.status === 'assigned')).toMatchObject({ ownerEndpointId: 'dallas' });
    expect(chicago((await deliveredAt(id))!)).toMatchObject({ weekday: 'Mon', hm: '08:00' });
    const times: number[] = [];
    for (const b of backlog) {
      await h.waitFor(b, (s) => s.status === 'assigned');
      times.push((await deliveredAt(b))!);
    }
    // In arrival order, never more than 5 in one of Dallas's clock hours, nothing before the opening.
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    const hourOf = (t: number) => chicago(t).hm.slice(0, 2);
    const perHour = new Map<string, number>();
    for (const t of [(await deliveredAt(id))!, ...times]) perHour.set(hourOf(t), (perHour.get(hourOf(t)) ?? 0) + 1);
    expect([...perHour.entries()].sort()).toEqual([
      ['08', 5],
      ['09', 5],
      ['10', 5],
      ['11', 5],
      ['12', 5],
      ['13', 5],
      ['14', 1],
    ]);
    expect(receiver.requests.filter((r) => r.path === '/dallas')).toHaveLength(31);

    // Tuesday 08:00: Fort Worth's lead goes out.
    await h.env!.sleep(24 * HOUR);
    await h.waitFor(fortWorth, (s) => s.status === 'assigned');
    expect(chicago((await deliveredAt(fortWorth))!)).toMatchObject({ weekday: 'Tue', hm: '08:00' });
    await recordHistory(h.handle(id), 'held-over-the-weekend');
  });

  it('a manager releases a held lead by hand: it goes to the closed branch now; ops can reassign a held lead instead', async () => {
    await h.env!.sleep(nextSaturdayNight(await h.now()) - (await h.now()));
    const id = await post('web');
    await h.waitFor(id, (s) => s.status === 'held');
    expect(await cmd.release(h.actor('agent', { endpointId: 'dallas' }), id)).toMatchObject({ ok: false, error: { code: 'not_permitted' } });
    expect(await cmd.release(h.actor('manager'), id)).toMatchObject({ ok: true });
    expect(await h.waitFor(id, (s) => s.status === 'assigned')).toMatchObject({ ownerEndpointId: 'dallas' });
    expect(chicago((await deliveredAt(id))!)).toMatchObject({ weekday: 'Sat', hm: '23:00' });
    expect((await events(id)).map((e) => e.type)).toContain('released');
    expect(await cmd.release(h.actor('manager'), id)).toMatchObject({ ok: false, error: { code: 'not_held' } });

    const other = await post('web');
    await h.waitFor(other, (s) => s.status === 'held');
    expect((await cmd.reassign(h.actor('manager'), other, 'night-desk')).ok).toBe(true);
    expect(await h.waitFor(other, (s) => s.status === 'assigned')).toMatchObject({ ownerEndpointId: 'night-desk' });
    await recordHistory(h.handle(id), 'held-released-by-hand');
  });

  it('a paced receiver takes at most its pace, spread evenly, in arrival order', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) {
      ids.push(await post('paced', { zip: '75204' }));
      await h.waitFor(ids.at(-1)!, (s) => s.status === 'held' || s.status === 'assigned');
    }
    const first = await h.waitFor(ids[0]!, (s) => s.status === 'assigned');
    expect(first.ownerEndpointId).toBe('partner');
    const waiting = await h.waitFor(ids[1]!, (s) => s.status === 'held');
    expect(waiting.heldReason).toMatch(/^Paced: Paced partner takes leads at a set pace/);
    await h.env!.sleep(3 * HOUR);
    const times: number[] = [];
    for (const id of ids) {
      await h.waitFor(id, (s) => s.status === 'assigned');
      times.push((await deliveredAt(id))!);
    }
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    // 4 an hour: every next lead 15 minutes after the one before it (give or take the delivery itself).
    for (const g of gaps) expect(Math.round(g / MIN)).toBe(15);
    await recordHistory(h.handle(ids[1]!), 'paced');
  });

  it('across the spring-forward weekend the Monday opening is 08:00 CDT', async () => {
    await h.env!.sleep(nextSaturdayNight(await h.now(), '2027-03-13') - (await h.now()));
    expect(chicago(await h.now())).toMatchObject({ date: '2027-03-13', hm: '23:00' });
    const id = await post('web');
    const held = await h.waitFor(id, (s) => s.status === 'held');
    expect(new Date(held.heldUntil!).toISOString()).toBe('2027-03-15T13:00:00.000Z');
    await h.env!.sleep(held.heldUntil! - (await h.now()) + MIN);
    await h.waitFor(id, (s) => s.status === 'assigned');
    const at = (await deliveredAt(id))!;
    expect(new Date(at - (at % MIN)).toISOString()).toBe('2027-03-15T13:00:00.000Z');
    expect(chicago(at)).toMatchObject({ weekday: 'Mon', hm: '08:00' });
  });
});
