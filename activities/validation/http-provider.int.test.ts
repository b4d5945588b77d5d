// The HTTP provider client against a real HTTP server: the contract on the
// wire, retries on what a retry can fix, the circuit breaker after an outage.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HttpProviderSchema, VerificationSchema } from '../../schema/verification.ts';
import { startHttpReceiver, type HttpReceiver } from '../../testing/http-receiver.ts';
import { createVerification } from './configured-verification.ts';
import { httpProvider } from './http-provider.ts';

describe('an HTTP verification provider', () => {
  let rx: HttpReceiver;
  beforeAll(async () => {
    rx = await startHttpReceiver();
  });
  afterAll(() => rx?.close());
  beforeEach(() => rx.reset());
  const config = (extra: Record<string, unknown> = {}) => HttpProviderSchema.parse({ kind: 'http', name: 'numlookup', url: `${rx.url}/verify`, ...extra });
  const req = { tenantId: 't1', leadId: 'lead-1', phone: '+12145550134' };

  it('posts the check with a bearer token and an idempotency key per lead and check, and returns the answer it parsed', async () => {
    rx.respondWith(() => ({ body: { lineType: 'mobile', carrier: 'Acme Wireless', active: true, extra: 1 } }));
    const r = await httpProvider(config(), { secret: 's3cret' }).call('phone', req);
    expect(r).toEqual({ ok: true, answer: { lineType: 'mobile', carrier: 'Acme Wireless', active: true } });
    const [sent] = rx.requests;
    expect(sent).toMatchObject({ method: 'POST', path: '/verify', idempotencyKey: 'lead-1:phone' });
    expect(sent!.headers.authorization).toBe('Bearer s3cret');
    expect(JSON.parse(sent!.body)).toEqual({ check: 'phone', ...req });
  });

  it('retries a 5xx and answers once the provider recovers, under the same idempotency key', async () => {
    rx.failNext(2, 503);
    rx.respondWith(() => ({ body: { score: 12 } }));
    expect(await httpProvider(config({ retries: 2 })).call('risk', req)).toEqual({ ok: true, answer: { score: 12 } });
    expect(rx.requests.map((r) => r.status)).toEqual([503, 503, 200]);
    expect(new Set(rx.requests.map((r) => r.idempotencyKey))).toEqual(new Set(['lead-1:risk']));
  });

  it('does not retry a 4xx or an answer outside the contract, and says which', async () => {
    rx.failNext(1, 401);
    expect(await httpProvider(config()).call('phone', req)).toEqual({ ok: false, reason: 'numlookup gave HTTP 401' });
    expect(rx.received()).toBe(1);
    rx.reset();
    rx.respondWith(() => ({ body: { lineType: 'pager' } }));
    const r = await httpProvider(config()).call('phone', req);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toMatch(/^numlookup gave an answer outside the contract \(lineType: /);
    expect(rx.received()).toBe(1);
  });

  it('gives up on a provider that does not answer within its timeout, after its retries', async () => {
    rx.setDelay(1500);
    rx.respondWith(() => ({ body: { score: 1 } }));
    expect(await httpProvider(config({ timeoutMs: 100, retries: 1 })).call('risk', req)).toEqual({
      ok: false,
      reason: 'numlookup gave no answer within 100 ms',
    });
    expect(rx.received()).toBe(2);
  });

  it('stops calling a failing provider for its cooldown once the threshold is reached, then tries again', async () => {
    let clock = 1_000_000;
    const client = httpProvider(config({ retries: 0, failureThreshold: 3, cooldownSec: 30 }), { now: () => clock });
    rx.failNext(100, 500);
    for (let i = 0; i < 3; i++) expect(await client.call('phone', req)).toEqual({ ok: false, reason: 'numlookup gave HTTP 500' });
    expect(rx.received()).toBe(3);
    const open = await client.call('phone', req);
    expect(open).toEqual({ ok: false, reason: 'numlookup is failing: not called for 30 s after 3 failures in a row' });
    expect(rx.received()).toBe(3);
    clock += 31_000;
    rx.reset();
    rx.respondWith(() => ({ body: { lineType: 'landline' } }));
    expect(await client.call('phone', req)).toEqual({ ok: true, answer: { lineType: 'landline' } });
  });

  it('counts an unreachable provider as failing, without throwing', async () => {
    const dead = HttpProviderSchema.parse({ kind: 'http', name: 'gone', url: 'http://127.0.0.1:9/verify', retries: 0 });
    expect(await httpProvider(dead).call('identity', req)).toEqual({ ok: false, reason: 'gone gave not reachable' });
  });
});

describe('configured providers for a lead', () => {
  it('flags the check, without calling anyone, when the provider secret is not set on the worker', async () => {
    let called = 0;
    const v = createVerification({ secrets: () => undefined, fetch: async () => (called++, new Response('{}')) });
    const cfg = VerificationSchema.parse({ identity: { kind: 'http', name: 'idcheck', url: 'http://127.0.0.1:9/id', secretRef: 'id_token' } });
    const lead = v.forLead(cfg, { tenantId: 't1', leadId: 'lead-1', lead: { serviceLine: 'plumbing', fields: {} } });
    expect(await lead.identity()).toMatchObject({
      step: {
        step: 'verification',
        outcome: 'flag',
        code: 'identity_unavailable',
        reason: 'identity verification unavailable (idcheck: its secret "id_token" is not set on this worker); checked offline instead',
      },
    });
    expect(lead.steps()).toHaveLength(1);
    expect(called).toBe(0);
  });
});
