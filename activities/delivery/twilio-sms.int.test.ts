import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHttpReceiver, type HttpReceiver } from '../../testing/http-receiver.ts';
import { TEST_TWILIO_SID, TEST_TWILIO_TOKEN, twilioResponder } from '../../testing/twilio-receiver.ts';
import { createTwilioSmsProvider, twilioFailureDetail } from './twilio-sms.ts';

const SID = TEST_TWILIO_SID;
const TOKEN = TEST_TWILIO_TOKEN;

// A local HTTP receiver speaking Twilio's Messages API (testing/twilio-receiver.ts).
describe('Twilio SMS provider against a receiver speaking Twilio’s Messages API', () => {
  let rx: HttpReceiver;
  beforeAll(async () => {
    rx = await startHttpReceiver();
  });
  beforeEach(() => {
    rx.reset();
    rx.respondWith(twilioResponder());
  });
  afterAll(async () => {
    await rx?.close();
  });
  const provider = (over: Partial<Parameters<typeof createTwilioSmsProvider>[0]> = {}) =>
    createTwilioSmsProvider({ accountSid: SID, authToken: TOKEN, from: '+15005550006', apiUrl: rx.url, ...over });

  it('posts the form Twilio expects with Basic auth and keeps the message sid as the receiver reference', async () => {
    const out = await provider({ statusCallback: 'https://leads.example.com/webhooks/sms-status' }).send({
      to: '+15125550142',
      body: 'New plumbing lead in Dallas. Claim by 3:05 PM: https://x/claim/t',
      idempotencyKey: 'acme:lead-1:u1:offered:1:sms',
    });
    expect(out).toEqual({ ok: true, status: 201, receiverRef: 'SM00000000000000000000000000000001' });
    const [req] = rx.requests;
    expect(req!.method).toBe('POST');
    expect(req!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(req!.body))).toEqual({
      To: '+15125550142',
      From: '+15005550006',
      Body: 'New plumbing lead in Dallas. Claim by 3:05 PM: https://x/claim/t',
      StatusCallback: 'https://leads.example.com/webhooks/sms-status',
    });
    expect(req!.idempotencyKey).toBe('acme:lead-1:u1:offered:1:sms');
  });

  it('sends through a messaging service instead of a number when one is named', async () => {
    const out = await provider({ from: undefined, messagingServiceSid: 'MG0123' }).send({ to: '+15125550142', body: 'hi', idempotencyKey: 'k' });
    expect(out.ok).toBe(true);
    const form = new URLSearchParams(rx.requests[0]!.body);
    expect(form.get('MessagingServiceSid')).toBe('MG0123');
    expect(form.has('From')).toBe(false);
    expect(() => createTwilioSmsProvider({ accountSid: SID, authToken: TOKEN })).toThrow(/sending number/);
  });

  it('a refused number is final and its reason names Twilio’s code, never the number', async () => {
    const out = await provider().send({ to: '5125550142', body: 'hi', idempotencyKey: 'k' });
    expect(out).toMatchObject({ ok: false, retryable: false, status: 400 });
    expect(!out.ok && out.reason).toMatch(/HTTP 400.*Twilio error 21211 \(https:\/\/www\.twilio\.com\/docs\/errors\/21211\)/);
    expect(JSON.stringify(out)).not.toContain('5125550142');
  });

  it('wrong credentials are final (401); a rate limit and Twilio’s outages are retried, with Retry-After kept', async () => {
    const bad = await provider({ authToken: 'wrong-token-wrong-token' }).send({ to: '+15125550142', body: 'hi', idempotencyKey: 'k' });
    expect(bad).toMatchObject({ ok: false, retryable: false, status: 401 });
    expect(!bad.ok && bad.reason).toMatch(/Twilio error 20003/);
    rx.failNext(1, 429, { body: JSON.stringify({ code: 20429, message: 'Too Many Requests', status: 429 }), headers: { 'Retry-After': '2' } });
    const limited = await provider().send({ to: '+15125550142', body: 'hi', idempotencyKey: 'k' });
    expect(limited).toMatchObject({ ok: false, retryable: true, status: 429, retryAfterMs: 2000 });
    rx.failNext(1, 503, { body: '<html>Service Unavailable</html>' });
    const down = await provider().send({ to: '+15125550142', body: 'hi', idempotencyKey: 'k' });
    expect(down).toMatchObject({ ok: false, retryable: true, status: 503 });
    expect(!down.ok && down.reason).toMatch(/no Twilio error code/);
  });

  it('summarises Twilio’s error JSON without its message', () => {
    expect(twilioFailureDetail('{"code":21610,"message":"Attempt to send to unsubscribed recipient +15125550142","status":400}')).toBe(
      'Twilio error 21610 (https://www.twilio.com/docs/errors/21610)',
    );
    expect(twilioFailureDetail('not json')).toBe('no Twilio error code in the answer');
  });
});
