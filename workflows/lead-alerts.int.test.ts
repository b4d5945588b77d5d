// People in the loop, end to end on the time-skipping server: offers reach
// agents by email and SMS with a signed claim link, the link shows the lead
// masked and never claims, Claim and Decline on its page go through the
// workflow's own rules, lapses, escalations, claims by others, shares and
// returns reach the people concerned, and nothing sent to a person who has
// not claimed the lead carries its phone, email or street.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTwilioSmsProvider } from '../activities/delivery/twilio-sms.ts';
import { createSmtpMailer, type Mailer } from '../activities/delivery/smtp-mailer.ts';
import { leadStore } from '../db/lead-store.ts';
import { notificationStore, userInbox } from '../db/notification-store.ts';
import { signClaimLink } from '../domain/alerts/claim-link.ts';
import type { Actor } from '../domain/lifecycle/actor.ts';
import type { AlertReport, LeadEvent } from '../domain/lifecycle/lead-events.ts';
import { freePort } from '../stack/ports.ts';
import { startHttpReceiver, type HttpReceiver } from '../testing/http-receiver.ts';
import { eventually, startLeadApiHarness, type LeadApiHarness } from '../testing/lead-api-harness.ts';
import { testLead, testSource } from '../testing/lead-network.ts';
import { startSmtpServer, type SmtpTestServer } from '../testing/smtp-server.ts';
import { TEST_TWILIO_SID, TEST_TWILIO_TOKEN, twilioMessage, twilioResponder } from '../testing/twilio-receiver.ts';
import { returnLeadUpdate, shareLeadUpdate } from './definitions.ts';

const SECRET = 'alerts-test-link-secret-0123456789abcdef';
const T = 'alerts';
const uid = (email: string) => `${T}:${email}`;
const hhmm = (t: number) => new Date(t).toISOString().slice(11, 16);

describe('alerts to people (time-skipping server, real SMTP and SMS receivers)', () => {
  let smtp: SmtpTestServer;
  let sms: HttpReceiver;
  let franchise: HttpReceiver;
  let mailer: Mailer;
  let h: LeadApiHarness;
  /** Every lead's contact values, for the personal-data scan. */
  const posted: Array<{ phone: string; email: string; street: string }> = [];
  /** Every link page fetched before its reader owned the lead. */
  const pagesBeforeClaim: string[] = [];

  beforeAll(async () => {
    smtp = await startSmtpServer();
    sms = await startHttpReceiver();
    sms.respondWith(twilioResponder());
    franchise = await startHttpReceiver();
    mailer = createSmtpMailer({ host: smtp.host, port: smtp.port, from: 'alerts@switchyard.test', messageIdDomain: 'switchyard.test' });
    const port = await freePort();
    const now = Date.now();
    h = await startLeadApiHarness({
      kind: 'time-skipping',
      port,
      deps: {
        mailer,
        sms: createTwilioSmsProvider({ accountSid: TEST_TWILIO_SID, authToken: TEST_TWILIO_TOKEN, from: '+15005550006', apiUrl: sms.url }),
        links: { baseUrl: `http://127.0.0.1:${port}`, secret: SECRET },
      },
      config: {
        tenant: { id: T, name: 'Alert Co', timeZone: 'America/Chicago', serviceLines: ['plumbing'] },
        sources: [testSource('desk'), testSource('broadcast'), testSource('web')],
        endpoints: [
          {
            id: 'dallas',
            name: 'Alert Dallas',
            kind: 'location',
            deliveryMethods: [{ type: 'http_post', url: `${franchise.url}/dallas`, fields: { phone: '{{phone}}' } }],
            territories: [{ kind: 'exclusive', zips: ['75201'] }],
          },
          { id: 'agent-a', name: 'Agent Ann', kind: 'agent', locationId: 'dallas' },
          { id: 'agent-b', name: 'Agent Bob', kind: 'agent', locationId: 'dallas' },
          {
            id: 'agent-c',
            name: 'Agent Cat',
            kind: 'agent',
            locationId: 'dallas',
            // Sent the lead itself before anyone claims it: with the contact hidden.
            deliveryMethods: [{ type: 'email', to: ['cat-desk@alerts.test'], subject: 'Lead {{leadId}} for {{fullName}}' }],
          },
        ],
        rotations: [{ id: 'desk', name: 'Desk', members: ['agent-a', 'agent-b'], claimDeadlineSec: 300, maxLapses: 2 }],
        routingPlans: [
          { id: 'desk-plan', sourceId: 'desk', tiers: [{ name: 'desk', selector: { rotationId: 'desk' }, algorithm: 'round_robin' }] },
          {
            id: 'broadcast-plan',
            sourceId: 'broadcast',
            tiers: [
              {
                name: 'all agents',
                selector: { endpointIds: ['agent-a', 'agent-b', 'agent-c'] },
                algorithm: 'broadcast',
                broadcastCount: 3,
                claimDeadlineSec: 300,
              },
            ],
          },
        ],
      },
      users: [
        { email: 'ann@alerts.test', name: 'Ann', role: 'agent', endpointId: 'agent-a', alerts: { mobile: '+15125550101', quietHours: null } },
        {
          email: 'bob@alerts.test',
          name: 'Bob',
          role: 'agent',
          endpointId: 'agent-b',
          // Quiet now, in his own zone: his offers come in-app and by email, no SMS.
          alerts: { mobile: '+15125550102', timeZone: 'UTC', quietHours: { start: hhmm(now - 3600_000), end: hhmm(now + 6 * 3600_000) } },
        },
        { email: 'cat@alerts.test', name: 'Cat', role: 'agent', endpointId: 'agent-c' },
        { email: 'max@alerts.test', name: 'Max', role: 'manager', endpointId: 'dallas' },
        { email: 'sue@alerts.test', name: 'Sue', role: 'agent' },
      ],
    });
  }, 120_000);

  afterAll(async () => {
    await h?.close();
    mailer?.close();
    await smtp?.close();
    await sms?.close();
    await franchise?.close();
  });

  const post = async (sourceId: string) => {
    const lead = testLead();
    posted.push({ phone: String(lead.phone), email: String(lead.email), street: String(lead.street) });
    const r = await h.submit(sourceId, lead);
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    return r.leadId;
  };
  const events = (leadId: string) => leadStore(h.mongo).events(leadId);
  const alerted = async (leadId: string, kind: AlertReport['kind'], count = 1): Promise<AlertReport[]> =>
    eventually(`${count} "${kind}" alert(s) recorded on ${leadId}`, async () => {
      const found = (await events(leadId)).filter((e): e is Extract<LeadEvent, { type: 'alerted' }> => e.type === 'alerted' && e.data.kind === kind);
      return found.length >= count ? found.map((e) => e.data) : undefined;
    });
  const mailTo = (to: string, leadId: string) => smtp.messages.filter((m) => m.envelopeTo.includes(to) && m.text?.includes(leadId));
  const linkIn = (text: string | undefined) => /https?:\/\/\S+\/claim\/[\w.-]+/.exec(text ?? '')?.[0];
  const mailWithLink = (to: string, leadId: string) =>
    eventually(`an offer email to ${to}`, async () => {
      const m = mailTo(to, leadId).find((x) => linkIn(x.text));
      return m ? { mail: m, link: linkIn(m.text)! } : undefined;
    });
  const open = async (link: string, method: 'GET' | 'POST' = 'GET', action = '') => {
    const res = await fetch(`${link}${action}`, { method, redirect: 'manual' });
    return { status: res.status, html: await res.text() };
  };
  const actorOf = (email: string, endpointId?: string): Actor => ({ userId: uid(email), role: 'agent', tenantId: T, ...(endpointId ? { endpointId } : {}) });

  it('sends an offer once by email and once by SMS, with a retry of the alert in between', async () => {
    smtp.rejectNext(1, 421, 'Try again later');
    // And Twilio is briefly down when the retry reaches SMS.
    sms.failNext(1, 503, { body: JSON.stringify({ code: 20503, message: 'Service unavailable', status: 503 }) });
    const id = await post('desk');
    await h.waitFor(id, (s) => s.status === 'offered');
    const [report] = await alerted(id, 'offered');
    expect(report!.sent.map((l) => `${l.name} ${l.channel}`).sort()).toEqual(['Ann email', 'Ann in_app', 'Ann sms']);
    expect(mailTo('ann@alerts.test', id)).toHaveLength(1);
    const offerTexts = sms.requests.filter((r) => twilioMessage(r).to === '+15125550101' && twilioMessage(r).body.includes('Claim by'));
    expect(offerTexts.map((r) => r.status)).toEqual([503, 201]);
    // The first attempt met the 421 and was retried by Temporal.
    const history = await h.handle(id).fetchHistory();
    const attempts = (history.events ?? []).filter((e) => e.activityTaskStartedEventAttributes && (e.activityTaskStartedEventAttributes.attempt ?? 1) > 1);
    expect(attempts.length).toBeGreaterThanOrEqual(1);
    const mail = mailTo('ann@alerts.test', id)[0]!;
    expect(mail.subject).toMatch(/^New plumbing lead in Dallas, TX 75201: claim by /);
    expect(mail.headers.get('x-switchyard-idempotency-key')).toBe(
      `${T}:${id}:${uid('ann@alerts.test')}:offered:${(await events(id)).find((e) => e.type === 'offered')!.seq}:email`,
    );
    const history2 = await h.gql('query($id: ID!) { leadHistory(id: $id) { entries { text } } }', { id }, { token: h.tokens['max@alerts.test']! });
    expect(JSON.stringify(history2.body)).toContain('Alerted (offered): Ann in the app, by email, by SMS');
  });

  it('opening the link shows the lead masked and records a view; the lead still lapses at its deadline and the manager hears who has it now', async () => {
    const id = await post('desk');
    const offered = await h.waitFor(id, (s) => s.status === 'offered');
    const first = offered.offeredTo[0]!;
    const firstEmail = first === 'agent-a' ? 'ann@alerts.test' : 'bob@alerts.test';
    const { link } = await mailWithLink(firstEmail, id);
    const page = await open(link);
    expect(page.status).toBe(200);
    expect(page.html).toContain('A lead is offered to you');
    expect(page.html).toContain('Claim</button>');
    pagesBeforeClaim.push(page.html);
    expect((await h.state(id))?.status).toBe('offered');

    await h.env!.sleep(301_000);
    const next = await h.waitFor(id, (s) => s.offerRound === 2);
    expect(next.offeredTo).not.toContain(first);
    // The view is on the lead's record (written with its next events), before the lapse: viewing claimed nothing.
    await eventually('the view and the lapse recorded', async () => {
      const types = (await events(id)).map((e) => e.type);
      return types.includes('lapsed') ? types : undefined;
    }).then((types) => expect(types.indexOf('viewed')).toBeGreaterThan(-1));
    expect((await events(id)).findIndex((e) => e.type === 'viewed')).toBeLessThan((await events(id)).findIndex((e) => e.type === 'lapsed'));
    // The manager over the location hears who let it lapse and who has it now.
    const [managers] = await alerted(id, 'lapsed', 2).then((rs) => rs.filter((r) => r.sent.some((l) => l.name === 'Max')));
    expect(managers).toBeDefined();
    const maxMail = await eventually('the manager’s lapse email', async () => mailTo('max@alerts.test', id).find((m) => m.subject?.startsWith('Offer lapsed')));
    expect(maxMail.text).toMatch(/Agent (Ann|Bob) let the offer of a plumbing lead in Dallas, TX 75201 lapse; it is now offered to Agent (Ann|Bob)\./);
    // The old link is refused: the offer it was for is over (the API's clock is the wall clock, so the round tells first here).
    const stale = await open(link);
    expect(stale.status).toBe(409);
    expect(stale.html).toContain('This offer has moved on');
  });

  it('declining from the link moves the offer on; the declined link then says so; the next agent claims from the link and sees the contact', async () => {
    const id = await post('desk');
    const offered = await h.waitFor(id, (s) => s.status === 'offered');
    const first = offered.offeredTo[0]!;
    const [firstEmail, secondEmail] = first === 'agent-a' ? ['ann@alerts.test', 'bob@alerts.test'] : ['bob@alerts.test', 'ann@alerts.test'];
    const { link } = await mailWithLink(firstEmail, id);
    const declined = await open(link, 'POST', '/decline');
    expect(declined.status).toBe(200);
    expect(declined.html).toContain('the lead goes to the next in line');
    await h.waitFor(id, (s) => s.offerRound === 2);
    // Not expired, but for an earlier round.
    const moved = await open(link);
    expect(moved.status).toBe(409);
    expect(moved.html).toContain('This offer has moved on');

    const second = await mailWithLink(secondEmail, id);
    const before = await open(second.link);
    pagesBeforeClaim.push(before.html);
    const claimed = await open(second.link, 'POST', '/claim');
    expect(claimed.status).toBe(200);
    expect(claimed.html).toContain('Claimed: the lead is yours.');
    expect(claimed.html).toContain(posted.at(-1)!.email);
    expect((await h.state(id))?.ownerEndpointId).toBe(first === 'agent-a' ? 'agent-b' : 'agent-a');
    // Claiming again from the first link: refused by the workflow's own rules.
    const again = await open(link, 'POST', '/claim');
    expect(again.status).toBeGreaterThanOrEqual(400);
  });

  it('refuses a forged link, and a genuine one for someone the lead is not offered to', async () => {
    const id = await post('desk');
    const s = await h.waitFor(id, (x) => x.status === 'offered');
    const base = new URL((await mailWithLink(s.offeredTo[0] === 'agent-a' ? 'ann@alerts.test' : 'bob@alerts.test', id)).link).origin;
    const claims = { tenantId: T, leadId: id, round: s.offerRound, userId: uid('cat@alerts.test'), expiresAt: s.offerDeadlineAt! };
    const forged = await open(`${base}/claim/${signClaimLink('x'.repeat(40), claims)}`, 'POST', '/claim');
    expect(forged.status).toBe(403);
    expect(forged.html).toContain('not issued by switchyard');
    const foreign = await open(`${base}/claim/${signClaimLink(SECRET, claims)}`, 'POST', '/claim');
    expect(foreign.status).toBe(403);
    expect(foreign.html).toContain('not offered to you');
    // A link past its deadline: refused with the deadline named.
    const late = await open(
      `${base}/claim/${signClaimLink(SECRET, { ...claims, userId: uid(s.offeredTo[0] === 'agent-a' ? 'ann@alerts.test' : 'bob@alerts.test'), expiresAt: Date.now() - 1000 })}`,
    );
    expect(late.status).toBe(410);
    expect(late.html).toContain('The claim deadline for this offer passed');
    expect((await h.state(id))?.status).toBe('offered');
  });

  it('escalates to the managers after the allowed lapses, by email', async () => {
    const id = await post('desk');
    await h.waitFor(id, (s) => s.status === 'offered');
    await h.env!.sleep(301_000);
    await h.waitFor(id, (s) => s.offerRound === 2);
    await h.env!.sleep(301_000);
    await h.waitFor(id, (s) => s.status === 'escalated');
    const [report] = await alerted(id, 'escalated');
    expect(report!.sent).toEqual(expect.arrayContaining([{ userId: uid('max@alerts.test'), name: 'Max', channel: 'email' }]));
    const mail = await eventually('the escalation email', async () => mailTo('max@alerts.test', id).find((m) => m.subject?.startsWith('Needs a manager')));
    expect(mail.text).toContain('2 offer(s) lapsed unclaimed');
  });

  it('tells the others a broadcast lead was claimed by someone else, and the lead reached the agent with an email method masked', async () => {
    const id = await post('broadcast');
    await h.waitFor(id, (s) => s.status === 'offered' && s.offeredTo.length === 3);
    // Bob is inside his quiet hours: his offer comes in-app and by email, and no text reaches his phone.
    const [offer] = await alerted(id, 'offered');
    expect(offer!.skipped).toEqual(expect.arrayContaining([{ userId: uid('bob@alerts.test'), name: 'Bob', channel: 'sms', reason: 'quiet_hours' }]));
    expect(offer!.sent).toEqual(expect.arrayContaining([{ userId: uid('bob@alerts.test'), name: 'Bob', channel: 'email' }]));
    // His quiet hours cover the whole test, so no text has ever gone to his number (Ann's went: the first test).
    expect(sms.requests.filter((r) => twilioMessage(r).to === '+15125550102')).toEqual([]);
    const { link } = await mailWithLink('cat@alerts.test', id);
    expect((await open(link, 'POST', '/claim')).status).toBe(200);
    for (const email of ['ann@alerts.test', 'bob@alerts.test']) {
      const inbox = await eventually(`${email} hears it was claimed`, async () => {
        const n = (await notificationStore(h.mongo).latest(T, userInbox(uid(email)))).filter((x) => x.leadId === id && x.kind === 'claimed');
        return n.length ? n : undefined;
      });
      expect(inbox[0]!.message).toMatch(/^The plumbing lead in Dallas, TX 75201 offered to you was claimed by someone else/);
    }
    const delivered = await eventually('the lead’s own email to agent C', async () =>
      smtp.messages.find((m) => m.envelopeTo.includes('cat-desk@alerts.test') && m.subject?.includes(id)),
    );
    expect(delivered.text).toContain('•••');
  });

  it('alerts the person a lead is shared with, and the managers of a return', async () => {
    const id = await post('desk');
    const s = await h.waitFor(id, (x) => x.status === 'offered');
    const owner = s.offeredTo[0]!;
    const ownerEmail = owner === 'agent-a' ? 'ann@alerts.test' : 'bob@alerts.test';
    const { link } = await mailWithLink(ownerEmail, id);
    expect((await open(link, 'POST', '/claim')).status).toBe(200);
    await h.handle(id).executeUpdate(shareLeadUpdate, { args: [{ actor: actorOf(ownerEmail, owner), userId: uid('sue@alerts.test'), permission: 'view' }] });
    const shared = await eventually('Sue’s email', async () => mailTo('sue@alerts.test', id).find((m) => m.subject?.startsWith('Shared with you')));
    expect(shared.text).toMatch(/^Agent (Ann|Bob)|^(Ann|Bob) shared a plumbing lead/);
    await h.handle(id).executeUpdate(returnLeadUpdate, { args: [{ actor: actorOf(ownerEmail, owner), reason: 'wrong_number' }] });
    const returned = await eventually('the managers hear of the return', async () =>
      mailTo('max@alerts.test', id).find((m) => m.subject?.startsWith('Returned')),
    );
    expect(returned.text).toContain('(wrong number)');
  });

  it('sends no phone, email or street of a lead to anyone who has not claimed it', async () => {
    const captured = [
      ...smtp.messages.filter((m) => !m.envelopeTo.some((t) => t.endsWith('@example.com'))).map((m) => m.raw),
      ...sms.requests.map((r) => twilioMessage(r).body),
      ...pagesBeforeClaim,
      JSON.stringify(await h.mongo.collection('notifications').find({}).toArray()),
    ];
    expect(captured.length).toBeGreaterThan(10);
    const all = captured.join('\n');
    for (const p of posted) {
      expect(all).not.toContain(p.email);
      expect(all).not.toContain(p.phone);
      expect(all).not.toContain(p.phone.slice(2)); // without +1
      expect(all).not.toContain(p.street);
    }
  });
});
