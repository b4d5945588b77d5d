// No lead's phone, email, street or consent IP in any text we store or log:
// leads go through every rejection and flag path on the real worker, and every
// stored event, routing decision, read-model document, notification, history
// text and captured log line is searched for their contact values, in any
// spelling. Contacts themselves are sealed in lead_contacts (AES-GCM) and the
// workflow's payloads are encrypted; neither is text anyone reads.
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leadStore } from '../db/lead-store.ts';
import { suppressionStore } from '../db/suppression-store.ts';
import { createLogger } from '../infra/logger.ts';
import { leadHistoryService } from '../services/lead-history.ts';
import { startHttpReceiver, type HttpReceiver } from '../testing/http-receiver.ts';
import { startLeadHarness, type LeadHarness } from '../testing/lead-harness.ts';
import { leadTestNetwork, testLead } from '../testing/lead-network.ts';

describe('no personal data in stored or logged text', () => {
  let receiver: HttpReceiver;
  let h: LeadHarness;
  const lines: string[] = [];
  beforeAll(async () => {
    receiver = await startHttpReceiver();
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    h = await startLeadHarness({
      kind: 'dev-server',
      config: leadTestNetwork({ ok: receiver.url, flaky: receiver.url, refusing: receiver.url }, Date.now()),
      deps: { log: createLogger('worker', 'debug', { format: 'json', destination: sink }) },
    });
  });
  afterAll(async () => {
    await h?.close();
    await receiver?.close();
  });

  it('every rejection and flag path leaves no phone, email, street or consent IP in any text', async () => {
    const contacts: Array<{ phone: string; email: string; street: string; ip: string }> = [];
    const post = async (sourceId: string, extra: Record<string, string>) => {
      const n = contacts.length;
      const c = {
        phone: `+1214${String(3_100_000 + n * 7919).padStart(7, '0')}`,
        email: `kay.${n}.tester@example.com`,
        street: `${100 + n} Elm Street`,
        ip: `198.51.100.${10 + n}`,
      };
      contacts.push({ ...c, ...(extra.phone ? { phone: extra.phone } : {}), ...(extra.email ? { email: extra.email } : {}) });
      const r = await h.submit(sourceId, testLead({ phone: c.phone, email: c.email, street: c.street, consentIp: c.ip, ...extra }));
      if (!r.ok) throw new Error(JSON.stringify(r.errors));
      return r.leadId;
    };
    // The number the internal suppression list carries.
    const suppressed = '+12143999001';
    await suppressionStore(h.mongo).add([suppressed], { list: 'internal', tenantId: h.tenantId });

    const leads = {
      invalidPhone: await post('web', { phone: '(214) 000-0000' }),
      unplaceable: await post('web', { zip: '99999', city: 'Nowhereville', state: 'TX' }),
      dnc: await post('web', { phone: suppressed }),
      noCoverage: await post('strict', { zip: '10001', city: 'New York', state: 'NY' }),
      disposable: await post('web', { email: 'kay.tester@mailinator.com' }),
      role: await post('web', { email: 'sales@example.com' }),
      zipResolved: await post('web', { zip: '10001', city: 'Plano', state: 'TX' }),
      original: await post('web', { externalId: 'dup-a', phone: '+12143999002' }),
    };
    // The repeat arrives once the first is through validation: it is the one rejected as the duplicate.
    await h.waitFor(leads.original, (s) => s.status !== 'received' && s.status !== 'routing', 60_000);
    const duplicate = await post('web', { externalId: 'dup-b', phone: '+12143999002' });
    const all = { ...leads, duplicate };
    const settled = (s: { status: string }) => ['rejected', 'assigned', 'offered', 'escalated', 'undeliverable'].includes(s.status);
    const states = Object.fromEntries(await Promise.all(Object.entries(all).map(async ([k, id]) => [k, await h.waitFor(id, settled, 60_000)] as const)));
    // The paths really ran.
    expect(states.invalidPhone!.rejection?.reason).toBe('invalid');
    expect(states.unplaceable!.rejection?.reason).toBe('invalid');
    expect(states.dnc!.rejection?.reason).toBe('dnc');
    expect(states.noCoverage!.rejection?.reason).toBe('no_coverage');
    expect(states.duplicate!.rejection?.reason).toBe('duplicate');
    const steps = async (id: string) =>
      ((await leadStore(h.mongo).events(id)).find((e) => e.type === 'validated')?.data as { steps: Array<{ step: string; outcome: string; reason?: string }> })
        .steps;
    expect(await steps(all.disposable)).toContainEqual({ step: 'email', outcome: 'fail', reason: 'email is at a domain that gives out throwaway addresses' });
    expect(await steps(all.role)).toContainEqual({ step: 'email', outcome: 'flag', reason: "email is a role address (a team or function), not a person's" });
    expect((await steps(all.zipResolved)).find((x) => x.step === 'address')).toMatchObject({ outcome: 'flag' });

    // Everything stored as text: events, decisions, the read model, notifications; and the history ops and agents read.
    const db = h.mongo.db!;
    const stored = await Promise.all(
      ['lead_events', 'routing_decisions', 'leads', 'notifications', 'report_facts'].map((c) => db.collection(c).find({}).toArray()),
    );
    const history = leadHistoryService({ temporal: h.client, mongo: h.mongo });
    const histories = await Promise.all(Object.values(all).map((id) => history.get(h.tenantId, id, 'full')));
    const haystack = [JSON.stringify(stored), JSON.stringify(histories), ...lines].join('\n');
    expect(stored[0]!.length).toBeGreaterThan(30);
    expect(lines.length).toBeGreaterThan(30);

    // Numbers in any spelling: separators between digits ("214 555-0100", "(214) 555.0100") taken out.
    const digits = haystack.replace(/(?<=\d)[\s().+-]+(?=\d)/g, '');
    for (const c of contacts) {
      const national = c.phone.replace(/\D/g, '').slice(-10);
      if (national.length === 10) {
        expect(digits, `phone ${c.phone}`).not.toContain(national);
        expect(haystack, `phone ${c.phone}`).not.toContain(`${national.slice(0, 3)}-${national.slice(3, 6)}-${national.slice(6)}`);
      } else expect(haystack, `phone ${c.phone}`).not.toContain(c.phone);
      expect(haystack.toLowerCase(), `email ${c.email}`).not.toContain(c.email.toLowerCase());
      expect(haystack, `street ${c.street}`).not.toContain(c.street);
      expect(haystack, `ip ${c.ip}`).not.toContain(c.ip);
    }
  });
});
