// Verification providers named in configuration, on the real worker under the
// time-skipping server, against a real HTTP provider: a corrected ZIP moves
// the lead to the franchise it is really in, a weak identity match sends it
// to review, a dead number is rejected, and an outage flags leads without
// losing one.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { leadStore } from '../db/lead-store.ts';
import { startHttpReceiver, type HttpReceiver } from '../testing/http-receiver.ts';
import { startLeadHarness, type LeadHarness } from '../testing/lead-harness.ts';
import { testLead, testSource } from '../testing/lead-network.ts';

/** What the test provider answers, by the check asked and the lead's last name. */
function providerAnswer(check: string, lastName: string): { status?: number; body: unknown } {
  if (lastName === 'Outage') return { status: 503, body: { error: 'down' } };
  if (check === 'identity') {
    if (lastName === 'Moved')
      return { body: { namePhoneConfidence: 92, nameAddressConfidence: 88, verifiedAddress: { city: 'Frisco', state: 'TX', zip: '75034' } } };
    if (lastName === 'Weak') return { body: { namePhoneConfidence: 30, nameAddressConfidence: 70 } };
    return { body: { namePhoneConfidence: 95, nameAddressConfidence: 90, verifiedAddress: { zip: '75201' } } };
  }
  if (check === 'phone') return { body: { lineType: 'mobile', carrier: 'Acme Wireless', active: lastName !== 'Dead' } };
  return { body: { score: 12, reasons: ['clean history'] } };
}

describe('verification providers by configuration', () => {
  let provider: HttpReceiver;
  let franchise: HttpReceiver;
  let h: LeadHarness;
  beforeAll(async () => {
    provider = await startHttpReceiver();
    franchise = await startHttpReceiver();
    const http = (name: string) => ({
      kind: 'http' as const,
      name,
      url: `${provider.url}/${name}`,
      secretRef: 'verify_token',
      timeoutMs: 1000,
      retries: 0,
      failureThreshold: 3,
    });
    h = await startLeadHarness({
      kind: 'time-skipping',
      deps: { secretValues: { verify_token: 'tok-123' } },
      config: {
        tenant: {
          id: 'verify',
          name: 'Verified Co',
          timeZone: 'America/Chicago',
          serviceLines: ['plumbing'],
          verification: { identity: http('idcheck'), phone: http('numlookup'), risk: http('fraudscore') },
        },
        sources: [testSource('web')],
        endpoints: [
          {
            id: 'dallas',
            name: 'Dallas',
            kind: 'location',
            deliveryMethods: [{ type: 'http_post', url: `${franchise.url}/dallas`, fields: { zip: '{{zip}}' } }],
            territories: [{ kind: 'exclusive', zips: ['75201'] }],
          },
          {
            id: 'frisco',
            name: 'Frisco',
            kind: 'location',
            deliveryMethods: [{ type: 'http_post', url: `${franchise.url}/frisco`, fields: { zip: '{{zip}}' } }],
            territories: [{ kind: 'exclusive', zips: ['75034'] }],
          },
        ],
        routingPlans: [
          {
            id: 'verified',
            isDefault: true,
            tiers: [
              { name: 'identity check', review: true, onlyIf: { identityBelow: 50 } },
              { name: 'franchise', selector: { territoryKinds: ['exclusive'] } },
            ],
          },
        ],
      },
    });
  });
  beforeEach(() => {
    provider.reset();
    provider.respondWith((r) => {
      const body = JSON.parse(r.body) as { check: string; lastName?: string };
      return providerAnswer(body.check, body.lastName ?? '');
    });
  });
  afterAll(async () => {
    await h?.close();
    await provider?.close();
    await franchise?.close();
  });
  const post = async (lastName: string) => {
    const r = await h.submit('web', testLead({ lastName }));
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    return r.leadId;
  };
  const validated = async (leadId: string) => (await leadStore(h.mongo).events(leadId)).find((e) => e.type === 'validated');

  it('asks each configured provider once per lead with the tenant secret, and routes on their answers', async () => {
    const id = await post('Lovelace');
    const s = await h.waitFor(id, (x) => x.status === 'assigned');
    expect(s).toMatchObject({ ownerEndpointId: 'dallas', flags: [] });
    expect(provider.requests.map((r) => r.path).sort()).toEqual(['/fraudscore', '/idcheck', '/numlookup']);
    for (const r of provider.requests) {
      expect(r.headers.authorization).toBe('Bearer tok-123');
      expect(r.idempotencyKey).toBe(`${id}:${JSON.parse(r.body).check}`);
    }
    const v = await validated(id);
    expect(v?.data).toMatchObject({ outcome: 'accepted', steps: expect.arrayContaining([{ step: 'identity', outcome: 'pass' }]) });
  });

  it('moves a lead whose ZIP the identity provider corrects to the franchise that holds the verified ZIP, and says so', async () => {
    const id = await post('Moved');
    const s = await h.waitFor(id, (x) => x.status === 'assigned');
    expect(s).toMatchObject({ ownerEndpointId: 'frisco', market: { zip: '75034' }, flags: ['identity:zip_corrected'] });
    // What the providers measured stays on the lead, for tiers, review and reports.
    expect(s.signals).toEqual({ lineType: 'mobile', riskScore: 12, identityConfidence: 88 });
    const step = (await validated(id))!.data.steps.find((x) => x.step === 'identity');
    expect(step).toEqual({ step: 'identity', outcome: 'flag', reason: 'address: idcheck verified the address under another ZIP; the lead is placed there' });
  });

  it('sends a weak identity match to review through the tier that tests identity confidence', async () => {
    const id = await post('Weak');
    const s = await h.waitFor(id, (x) => x.status === 'review');
    expect(s.reviewReason).toBe('Sent to review by tier "identity check": identity confidence 30 < 50');
    expect(s.flags).toEqual(['identity:low_confidence']);
  });

  it('rejects a number the phone provider says is not in service', async () => {
    const id = await post('Dead');
    expect(await h.result(id)).toMatchObject({ status: 'rejected' });
    expect((await h.state(id))?.rejection).toEqual({ reason: 'invalid', detail: 'phone is not in service (numlookup)' });
  });

  it('flags, never loses, leads while the providers are down, and stops calling them once the circuit opens', async () => {
    const ids = [];
    // One after another: calls already in flight when the circuit opens still go out.
    for (let i = 0; i < 5; i++) {
      const id = await post('Outage');
      ids.push(id);
      const s = await h.waitFor(id, (x) => x.status === 'assigned');
      expect(s.ownerEndpointId).toBe('dallas');
      expect([...s.flags].sort()).toEqual(['verification:identity_unavailable', 'verification:phone_unavailable', 'verification:risk_unavailable']);
    }
    // Three failed calls in a row open each provider's circuit: 5 leads × 3 checks cost at most 3 calls per provider.
    const calls = (p: string) => provider.requests.filter((r) => r.path === p).length;
    for (const p of ['/idcheck', '/numlookup', '/fraudscore']) expect(calls(p)).toBeLessThanOrEqual(3);
    const step = (await validated(ids.at(-1)!))!.data.steps.find((x) => x.step === 'verification' && x.reason?.startsWith('identity'));
    expect(step?.reason).toMatch(
      /^identity verification unavailable \(idcheck (gave HTTP 503|is failing: not called for 30 s after 3 failures in a row)\); checked offline instead$/,
    );
  });
});
