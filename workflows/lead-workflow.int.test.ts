// The lead workflow's timer paths under Temporal's time-skipping test server,
// with every real activity against FerretDB and real local HTTP receivers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leadStore } from '../db/lead-store.ts';
import { MANAGERS_INBOX, notificationStore } from '../db/notification-store.ts';
import { createJsonSmsProvider } from '../activities/delivery/sms-provider.ts';
import { createSmtpMailer, type Mailer } from '../activities/delivery/smtp-mailer.ts';
import { leadCommands, type LeadCommands } from '../services/lead-commands.ts';
import { startHttpReceiver, type HttpReceiver } from '../testing/http-receiver.ts';
import { startLeadHarness, type LeadHarness } from '../testing/lead-harness.ts';
import { leadTestNetwork, testLead } from '../testing/lead-network.ts';
import { startSmtpServer, type SmtpTestServer } from '../testing/smtp-server.ts';
import { recordHistory } from '../testing/histories.ts';

const MIN = 60_000;
const DAY = 24 * 60 * MIN;

let ok: HttpReceiver;
let flaky: HttpReceiver;
let refusing: HttpReceiver;
let smtp: SmtpTestServer;
let mailer: Mailer;

beforeAll(async () => {
  [ok, flaky, refusing, smtp] = await Promise.all([startHttpReceiver(), startHttpReceiver(), startHttpReceiver(), startSmtpServer()]);
  flaky.failFraction(1, 503);
  refusing.failFraction(1, 422);
  mailer = createSmtpMailer({ host: smtp.host, port: smtp.port, from: 'leads@acme.test', messageIdDomain: 'acme.test', timeoutMs: 5000 });
});
afterAll(async () => {
  mailer?.close();
  await Promise.all([ok?.close(), flaky?.close(), refusing?.close(), smtp?.close()]);
});

const urls = () => ({ ok: ok.url, flaky: flaky.url, refusing: refusing.url });

describe('lead workflow under time skipping', () => {
  let h: LeadHarness;
  let cmd: LeadCommands;
  const ids: Array<[name: string, leadId: string]> = [];
  const slug = () =>
    (expect.getState().currentTestName ?? 'lead')
      .split(' > ')
      .at(-1)!
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .slice(0, 60);
  beforeAll(async () => {
    h = await startLeadHarness({
      kind: 'time-skipping',
      config: leadTestNetwork(urls(), Date.now()),
      deps: { mailer, sms: createJsonSmsProvider({ url: `${ok.url}/sms`, from: '+15005550006' }) },
    });
    cmd = leadCommands({ temporal: h.client, mongo: h.mongo });
  });
  afterAll(async () => {
    // Every history these tests made replays against the current workflow code.
    for (const [i, [name, id]] of ids.entries()) await recordHistory(h.handle(id), `${name}-${i}`);
    await h?.close();
  });
  const submit = async (sourceId: string, extra: Record<string, unknown> = {}) => {
    const r = await h.submit(sourceId, testLead(extra));
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    ids.push([slug(), r.leadId]);
    return r.leadId;
  };

  it('delivers a lead in an exclusive territory to its holder, with a stable idempotency key, owned on delivery', async () => {
    const leadId = await submit('web');
    const s = await h.waitFor(leadId, (x) => x.status === 'assigned');
    expect(s).toMatchObject({ ownerEndpointId: 'dallas', deliveredTo: 'dallas', billing: 'billable', priceCents: 3000 });
    expect(s.routingSummary).toMatch(/Assigned to Acme Dallas \(exclusive holder of 75201 for plumbing\)/);
    const got = ok.requests.filter((r) => r.path === '/dallas' && r.idempotencyKey === `lead:acme:${leadId}:dallas`);
    expect(got).toHaveLength(1);
    expect(JSON.parse(got[0]!.body)).toMatchObject({ name: 'Ada Lovelace', zip: '75201' });
    const model = await h.readModel(leadId);
    expect(model).toMatchObject({ status: 'assigned', ownerEndpointId: 'dallas', market: { state: 'TX', zip: '75201', countyFips: '48113' } });
  });

  it('sends the speed-to-lead acknowledgement by SMS and email only with consent', async () => {
    const withConsent = await submit('web', { consentChannels: 'sms,email', email: 'grace.ack@example.com' });
    const without = await submit('web', { consentText: undefined, consentTimestamp: undefined, consentIp: undefined, consentPageUrl: undefined });
    await h.waitFor(withConsent, (x) => x.status === 'assigned');
    await h.waitFor(without, (x) => x.status === 'assigned');
    const events = async (id: string) => leadStore(h.mongo).events(id);
    await expect
      .poll(async () => (await events(withConsent)).find((e) => e.type === 'auto_responded')?.data, { timeout: 15_000 })
      .toMatchObject({ channels: ['sms', 'email'] });
    await expect
      .poll(async () => (await events(without)).find((e) => e.type === 'auto_responded')?.data, { timeout: 15_000 })
      .toMatchObject({ channels: [], skipped: 'no consent for an available channel' });
    const texts = ok.requests.filter((r) => r.path === '/sms' && r.idempotencyKey === `${withConsent}:auto:sms`);
    expect(texts).toHaveLength(1);
    expect(JSON.parse(texts[0]!.body).body).toBe('Thanks Ada, a plumber will call you shortly.');
    const mails = smtp.messages.filter((m) => m.envelopeTo.includes('grace.ack@example.com'));
    expect(mails.map((m) => m.subject)).toEqual(['We got your request']);
    expect(ok.requests.some((r) => r.idempotencyKey?.startsWith(`${without}:auto`))).toBe(false);
  });

  it('posting the same lead twice gives one lead and one workflow', async () => {
    const payload = testLead();
    const a = await h.submit('web', payload);
    if (!a.ok) throw new Error('first post refused');
    ids.push([slug(), a.leadId]);
    const firstRun = (await h.handle(a.leadId).describe()).runId;
    const b = await h.submit('web', payload);
    expect(b).toEqual({ ok: true, leadId: a.leadId, duplicate: true });
    await h.waitFor(a.leadId, (x) => x.status === 'assigned');
    // Still the run the first post started, and its history holds one start.
    expect((await h.handle(a.leadId).describe()).runId).toBe(firstRun);
    const started = (await h.handle(a.leadId).fetchHistory()).events?.filter((e) => e.workflowExecutionStartedEventAttributes) ?? [];
    expect(started).toHaveLength(1);
    expect(ok.requests.filter((r) => r.idempotencyKey === `lead:acme:${a.leadId}:dallas`)).toHaveLength(1);
  });

  it('a lead the source assigned already skips allocation but is validated, delivered and tracked', async () => {
    const leadId = await submit('web', { assignTo: 'callcenter' });
    const s = await h.waitFor(leadId, (x) => x.status === 'assigned');
    expect(s.ownerEndpointId).toBe('callcenter');
    const routed = (await leadStore(h.mongo).events(leadId)).find((e) => e.type === 'routed');
    expect(routed?.data).toMatchObject({ outcome: 'preassigned', endpointIds: ['callcenter'] });
    expect((await leadStore(h.mongo).events(leadId)).some((e) => e.type === 'validated')).toBe(true);
  });

  it('claim before the deadline: only the offered agent (or a manager) may claim; viewing never claims', async () => {
    const leadId = await submit('desk');
    const offered = await h.waitFor(leadId, (x) => x.status === 'offered');
    const [agent] = offered.offeredTo;
    const other = ['agent-a', 'agent-b', 'agent-c'].find((a) => a !== agent)!;
    await cmd.view(h.actor('agent', { endpointId: agent!, userId: `${agent}-user` }), leadId);
    expect(await cmd.claim(h.actor('agent', { endpointId: other, userId: `${other}-user` }), leadId)).toEqual({
      ok: false,
      error: { code: 'not_offered_to_you', message: 'This lead is not offered to you.' },
    });
    expect(await cmd.claim(h.actor('vendor', { sourceId: 'desk' }), leadId)).toMatchObject({ ok: false, error: { code: 'not_permitted' } });
    expect((await h.state(leadId))?.status).toBe('offered');
    const res = await cmd.claim(h.actor('agent', { endpointId: agent!, userId: `${agent}-user` }), leadId);
    expect(res).toEqual({ ok: true, value: { leadId, status: 'assigned', ownerEndpointId: agent } });
    expect(await cmd.claim(h.actor('agent', { endpointId: agent!, userId: `${agent}-user` }), leadId)).toMatchObject({
      ok: false,
      error: { code: 'already_claimed' },
    });
    await h.env!.sleep(10 * MIN);
    expect(await h.state(leadId)).toMatchObject({ status: 'assigned', ownerEndpointId: agent, lapsedBy: [] });
  });

  it('a lapse reassigns to the next member, never back to the one who let it lapse; the next one claims', async () => {
    const leadId = await submit('desk');
    const first = (await h.waitFor(leadId, (x) => x.status === 'offered')).offeredTo[0]!;
    await h.env!.sleep(5 * MIN + 5_000);
    const second = await h.waitFor(leadId, (x) => x.status === 'offered' && x.offerRound === 2);
    expect(second.lapsedBy).toEqual([first]);
    expect(second.offeredTo).toHaveLength(1);
    expect(second.offeredTo[0]).not.toBe(first);
    const notes = notificationStore(h.mongo);
    expect((await notes.latest('acme', first)).map((n) => n.kind)).toEqual(expect.arrayContaining(['lapsed', 'offered']));
    const claim = await cmd.claim(h.actor('agent', { endpointId: second.offeredTo[0]! }), leadId);
    expect(claim).toMatchObject({ ok: true, value: { ownerEndpointId: second.offeredTo[0] } });
  });

  it('escalates to the manager queue after the rotation’s allowed lapses', async () => {
    const leadId = await submit('desk');
    await h.waitFor(leadId, (x) => x.status === 'offered');
    await h.env!.sleep(5 * MIN + 5_000);
    await h.waitFor(leadId, (x) => x.offerRound === 2);
    await h.env!.sleep(5 * MIN + 5_000);
    const s = await h.waitFor(leadId, (x) => x.status === 'escalated');
    expect(s.lapsedBy).toHaveLength(2);
    const managers = await notificationStore(h.mongo).latest('acme', MANAGERS_INBOX);
    expect(managers.find((n) => n.leadId === leadId && n.kind === 'escalated')?.message).toMatch(/2 offer\(s\) lapsed unclaimed/);
    // A manager hands it to someone by hand.
    const r = await cmd.reassign(h.actor('manager'), leadId, 'agent-c', 'calling them now');
    expect(r.ok).toBe(true);
    await h.waitFor(leadId, (x) => x.status === 'assigned' && x.ownerEndpointId === 'agent-c');
  });

  it('retries a failing receiver with backoff, then fails over to the next candidate with its reservation released', async () => {
    const before = flaky.received();
    const leadId = await submit('web', { zip: '75204' });
    const s = await h.waitFor(leadId, (x) => x.status === 'assigned', 60_000);
    expect(s.ownerEndpointId).toBe('callcenter');
    const attempts = flaky.requests.slice(-5);
    expect(flaky.received() - before).toBe(5);
    expect(new Set(attempts.map((r) => r.idempotencyKey))).toEqual(new Set([`lead:acme:${leadId}:flaky`]));
    // Backoff: the test server's clock spaced the attempts 1 s, 2 s, 4 s, 8 s apart (skipped, not waited).
    const failed = (await leadStore(h.mongo).events(leadId)).find((e) => e.type === 'delivery_failed');
    expect(failed?.data).toMatchObject({ endpointId: 'flaky', reason: expect.stringContaining('HTTP 503') });
  });

  it('a receiver’s 4xx is not retried: the lead fails over at once', async () => {
    const before = refusing.received();
    const leadId = await submit('web', { zip: '75206' });
    const s = await h.waitFor(leadId, (x) => x.status === 'assigned', 60_000);
    expect(s.ownerEndpointId).toBe('callcenter');
    expect(refusing.received() - before).toBe(1);
  });

  it('escalates as undeliverable when no candidate is left, and stays visible', async () => {
    const leadId = await submit('strict', { zip: '75204' });
    const s = await h.waitFor(leadId, (x) => x.status === 'undeliverable', 60_000);
    expect(s.ownerEndpointId).toBeUndefined();
    expect((await h.readModel(leadId))?.status).toBe('undeliverable');
  });

  it('manual distribution parks the lead in the manager queue for hand assignment', async () => {
    const leadId = await submit('manual');
    await h.waitFor(leadId, (x) => x.status === 'escalated');
    expect(await cmd.reassign(h.actor('agent', { endpointId: 'agent-a' }), leadId, 'agent-a')).toMatchObject({ ok: false, error: { code: 'not_permitted' } });
    expect((await cmd.reassign(h.actor('manager'), leadId, 'dallas')).ok).toBe(true);
    const s = await h.waitFor(leadId, (x) => x.status === 'assigned');
    expect(s.ownerEndpointId).toBe('dallas');
  });

  it('the owner works and shares the lead; a view-only colleague cannot act; an offered agent’s first action claims it', async () => {
    const leadId = await submit('desk');
    const agent = (await h.waitFor(leadId, (x) => x.status === 'offered')).offeredTo[0]!;
    const me = h.actor('agent', { endpointId: agent, userId: `${agent}-user` });
    expect(await cmd.updateStatus(me, leadId, 'contacted', 'left a voicemail')).toMatchObject({
      ok: true,
      value: { status: 'assigned', ownerEndpointId: agent },
    });
    expect((await cmd.share(me, leadId, 'viewer-user', 'view')).ok).toBe(true);
    const viewer = h.actor('agent', { endpointId: 'agent-x', userId: 'viewer-user' });
    expect(await cmd.updateStatus(viewer, leadId, 'won')).toMatchObject({ ok: false, error: { code: 'not_owned' } });
    expect((await cmd.share(me, leadId, 'helper-user', 'act')).ok).toBe(true);
    expect((await cmd.updateStatus(h.actor('agent', { endpointId: 'agent-y', userId: 'helper-user' }), leadId, 'appointment')).ok).toBe(true);
    const s = await h.state(leadId);
    expect(s).toMatchObject({ ownerEndpointId: agent, workStatus: 'appointment' });
    expect(s?.collaborators.map((c) => [c.userId, c.permission, c.by])).toEqual([
      ['viewer-user', 'view', `${agent}-user`],
      ['helper-user', 'act', `${agent}-user`],
    ]);
    const claimed = (await leadStore(h.mongo).events(leadId)).find((e) => e.type === 'claimed');
    expect(claimed).toMatchObject({ data: { endpointId: agent, implicit: true }, actor: { userId: `${agent}-user` } });
  });

  it('an accepted return with a replacement credits the lead and routes a replacement elsewhere, not as a duplicate', async () => {
    const leadId = await submit('web', { zip: '75204' }); // flaky holder fails over: owned by the call center
    await h.waitFor(leadId, (x) => x.status === 'assigned' && x.ownerEndpointId === 'callcenter', 60_000);
    const r = await cmd.returnLead(h.actor('buyer', { endpointId: 'callcenter' }), leadId, 'out_of_area', { replace: true });
    expect(r).toMatchObject({ ok: true, value: { creditCents: 2500, replacementLeadId: `${leadId}-r1` } });
    ids.push([slug(), `${leadId}-r1`]);
    // The replacement may go anywhere but the endpoint that returned the original (here: nowhere else holds 75204 but the flaky franchise).
    const rep = await h.waitFor(`${leadId}-r1`, (x) => ['assigned', 'undeliverable', 'rejected'].includes(x.status), 60_000);
    expect(rep.rejection?.reason).not.toBe('duplicate');
    expect(rep.status).toBe('undeliverable');
    expect((await leadStore(h.mongo).events(`${leadId}-r1`)).find((e) => e.type === 'received')?.data).toMatchObject({ replacementOf: leadId });
    expect((await h.state(leadId))?.returned).toMatchObject({ reason: 'out_of_area', replacementLeadId: `${leadId}-r1` });
  });

  it('returns: a reason not allowed is refused, one inside the window is credited, after the window the lead is final', async () => {
    const leadId = await submit('web');
    await h.waitFor(leadId, (x) => x.status === 'assigned');
    const manager = h.actor('manager');
    expect(await cmd.returnLead(manager, leadId, 'changed_my_mind')).toMatchObject({
      ok: false,
      error: { code: 'reason_not_allowed', message: expect.stringContaining('allowed: duplicate, wrong_number, out_of_area, non_responsive') },
    });
    expect(await cmd.returnLead(h.actor('buyer', { endpointId: 'someone-else' }), leadId, 'wrong_number')).toMatchObject({
      ok: false,
      error: { code: 'not_permitted' },
    });
    await h.env!.sleep(2 * DAY);
    const accepted = await cmd.returnLead(h.actor('buyer', { endpointId: 'dallas' }), leadId, 'wrong_number', { evidence: 'number disconnected' });
    expect(accepted).toMatchObject({ ok: true, value: { creditCents: 2500 } });
    expect(await cmd.returnLead(manager, leadId, 'wrong_number')).toMatchObject({ ok: false, error: { code: 'already_returned' } });

    const kept = await submit('web');
    await h.waitFor(kept, (x) => x.status === 'assigned');
    const result = await h.result(kept); // time skips through the 7-day window
    expect(result).toMatchObject({ status: 'closed', billing: 'final' });
    expect(await cmd.returnLead(manager, kept, 'wrong_number')).toMatchObject({ ok: false, error: { code: 'window_closed' } });
    expect(await h.result(leadId)).toMatchObject({ billing: 'credited' });
    const finalEvent = (await leadStore(h.mongo).events(kept)).at(-1);
    expect(finalEvent).toMatchObject({ type: 'billing_final', data: { billedCents: 2500 } });
  });
});

describe('claim deadline paused outside business hours', () => {
  let h: LeadHarness;
  beforeAll(async () => {
    h = await startLeadHarness({ kind: 'time-skipping', config: leadTestNetwork(urls(), Date.now()) });
  });
  afterAll(async () => h?.close());

  it('an offer made two minutes before closing waits overnight and lapses three minutes after opening', async () => {
    const r = await h.submit('night', testLead());
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    const offered = await h.waitFor(r.leadId, (x) => x.status === 'offered');
    const start = await h.now();
    // Open until 12:02 local, so ~2 of the 5 minutes run today; the other 3 after tomorrow's 11:00 opening.
    const deadline = offered.offerDeadlineAt!;
    expect(deadline - start).toBeGreaterThan(22 * 60 * MIN);
    expect(deadline - start).toBeLessThan(24 * 60 * MIN);
    await h.env!.sleep(10 * MIN);
    expect((await h.state(r.leadId))?.status).toBe('offered');
    await h.env!.sleep(deadline - (await h.now()) + 5_000);
    const s = await h.waitFor(r.leadId, (x) => x.status === 'escalated');
    expect(s.lapsedBy).toEqual(['agent-n']);
    await recordHistory(h.handle(r.leadId), 'deadline-paused-overnight');
  });
});
