// The README's tour, run as written: its shell blocks (bash, curl, node)
// against a freshly seeded demo tenant (scripts/seed-demo.ts), the real
// worker and the real servers. Only the API's address is changed.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CONFIG, seedDemo } from '../scripts/seed-demo.ts';
import { createSmtpMailer } from '../activities/delivery/smtp-mailer.ts';
import { startMailCapture, type MailCapture } from '../stack/mail-capture.ts';
import { freePort } from '../stack/ports.ts';
import { startLeadApiHarness, type LeadApiHarness } from '../testing/lead-api-harness.ts';

const README = join(import.meta.dirname, '..', 'README.md');

/** The shell blocks of the README's Tour section, in order. */
export function tourScript(readme: string): string {
  const start = readme.indexOf('\n## Tour\n');
  const end = readme.indexOf('\n## ', start + 1);
  const section = readme.slice(start, end);
  return [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]).join('\n');
}

describe('the README tour against the demo tenant', () => {
  let h: LeadApiHarness;
  let mail: MailCapture;
  let key: string;

  beforeAll(async () => {
    // The mail capture npm start runs, with its viewer; claim links point at the test API.
    mail = await startMailCapture({ webPort: 0 });
    const port = await freePort();
    h = await startLeadApiHarness({
      config: DEMO_CONFIG,
      users: [],
      port,
      deps: {
        mailer: createSmtpMailer({ host: mail.host, port: mail.port, from: 'leads@switchyard.local', messageIdDomain: 'switchyard.local' }),
        links: { baseUrl: `http://127.0.0.1:${port}`, secret: 'tour-link-secret-0123456789abcdef0123' },
      },
    });
    const seeded = await seedDemo(h.mongo);
    key = seeded.apiKey!;
  });
  afterAll(async () => {
    await h?.close();
    await mail?.close();
  });

  it('seeds the demo idempotently: a second start creates nothing and issues no second key', async () => {
    expect(key).toMatch(/^sy_live_/);
    expect(await seedDemo(h.mongo)).toEqual({ created: false, configured: false });
  });

  it('runs every step of the tour as written: sign in, simulate, post by form, watch it route, the offer email, claim from its link, return, history, vendor portal', async () => {
    const script = tourScript(readFileSync(README, 'utf8'));
    expect(script).toContain('API=http://localhost:4000');
    expect(script).toContain('MAIL=http://localhost:8025');
    const runnable = script
      .replace('API=http://localhost:4000', `API=${h.base}`)
      .replace('MAIL=http://localhost:8025', `MAIL=${mail.webUrl}`)
      .replace(/^export KEY=.*$/m, '');
    const out = await new Promise<string>((resolve, reject) =>
      execFile('bash', ['-c', `set -o pipefail\n${runnable}`], { env: { ...process.env, KEY: key }, timeout: 60_000 }, (err, stdout, stderr) =>
        err ? reject(new Error(`${err.message}\n${stdout}\n${stderr}`)) : resolve(stdout),
      ),
    );
    if (process.env.SHOW_TOUR) console.log(out);
    const lines = out.trim().split('\n');
    // The wait loop's polls print nothing (grep -q); every other call prints one JSON line.
    const json = lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { data?: any; errors?: unknown[] });
    expect(json.filter((j) => j.errors)).toEqual([]);
    const [simulation, watched, offers, claimed, worked, returned, history, vendor] = json.map((j) => j.data);

    expect(simulation.simulateRouting.decision.summary).toMatch(/Alice/);
    const leadId = lines.find((l) => l.startsWith('lead '))!.slice(5);
    expect(leadId).toMatch(/^L[a-z0-9]+$/);
    expect(watched.lead).toMatchObject({ status: 'offered', offeredTo: ['alice'] });
    expect(lines).toContain('offered to alice');
    // The offer email's link: the page before the claim shows the phone masked, after it in clear.
    const link = lines.find((l) => l.startsWith('claim link '))!.slice(11);
    expect(link).toMatch(new RegExp(`^${h.base.replace('localhost', '127.0.0.1')}/claim/[\\w-]+\\.[\\w-]+$`));
    const pageLines = lines.filter((l) => l.startsWith('<'));
    expect(pageLines).toEqual([
      '<h1>A lead is offered to you</h1>',
      expect.stringMatching(/^<dt>Phone<\/dt><dd>•[^0-9]*3647<\/dd>$/),
      '<h1>Your lead</h1>',
      '<dt>Phone</dt><dd>+12147483647</dd>',
    ]);
    expect(offers.myNotifications).toEqual({
      unreadCount: 1,
      nodes: [{ kind: 'offered', message: expect.stringMatching(/^A plumbing lead in Dallas, TX 75201 is offered to you: claim it by /), link }],
    });
    expect(offers.myOffers).toEqual({
      nodes: [
        {
          leadId,
          deadlineAt: watched.lead.offerDeadlineAt,
          lead: { serviceLine: 'plumbing', contact: { visibility: 'masked', firstName: 'Ada', phone: expect.stringMatching(/^•/) } },
        },
      ],
    });
    expect(claimed.lead).toEqual({ status: 'assigned', ownerEndpointId: 'alice', contact: { phone: '+12147483647', email: 'ada.lovelace@example.com' } });
    expect(worked.updateLeadStatus).toEqual({ ok: true, lead: { workStatus: 'contacted' } });
    expect(returned.returnLead).toEqual({ ok: true, errors: [], lead: { billing: 'credited', returned: { reason: 'wrong_number' } } });
    const texts = history.leadHistory.entries.map((e: { text: string }) => e.text);
    expect(texts).toEqual(
      expect.arrayContaining([
        'Received from Demo website (website) for plumbing; cost $20.00',
        'Claimed by Alice (plumbing desk) (alice)',
        expect.stringMatching(/^Alerted \(offered\): Alice .*by email/),
        'Return accepted (wrong number); source credited $20.00',
      ]),
    );
    expect(history.leadHistory.routingRounds[0].decision.text.join('\n')).toContain('plumbing desk');
    expect(vendor).toEqual({
      mySubmissions: { nodes: [{ id: leadId, status: 'assigned', billing: 'credited' }] },
      myReturns: { nodes: [{ id: leadId, returned: { reason: 'wrong_number', creditCents: 2000 } }] },
    });
  });

  it('the demo configuration routes each service line where the README says', async () => {
    const signIn = await h.gql('mutation { signIn(tenantId: "demo", email: "ops@demo.example", password: "switchyard-demo-ops") { token } }');
    const token = signIn.body.data.signIn.token as string;
    const who = async (zip: string, serviceLine: string) => {
      const { body } = await h.gql(
        'query($l: SimulatedLead!) { simulateRouting(lead: $l) { ok decision { outcome chosen { endpointId } tier { name } } } }',
        { l: { sourceId: 'website', zip, serviceLine } },
        { token },
      );
      const d = body.data.simulateRouting.decision;
      return `${d.outcome}: ${d.chosen.map((c: { endpointId: string }) => c.endpointId).join(',')} (${d.tier?.name ?? '-'})`;
    };
    expect(await who('75201', 'hvac')).toBe('assigned: dallas-hvac (exclusive holders)');
    expect(await who('76102', 'hvac')).toBe('assigned: fort-worth-hvac (exclusive holders)');
    expect(await who('75201', 'roofing')).toBe('assigned: roofing-partner (shared holders)');
    // Houston: no branch holds it, the call center takes it.
    expect(await who('77002', 'hvac')).toBe('assigned: tx-call-center (fallback holders)');
    // Outside Texas nobody does: the lead would be rejected as no coverage, not billed.
    expect(await who('10001', 'hvac')).toBe('no_coverage:  (-)');
  });
});
