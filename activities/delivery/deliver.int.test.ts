import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { leadTemplateVars } from '../../domain/delivery/lead-vars.ts';
import { parseDeliveryMethod, type DeliveryMethodInput } from '../../schema/delivery-method.ts';
import { messageIdFor } from '../../domain/delivery/message-id.ts';
import { verifySignature } from '../../domain/delivery/signing.ts';
import { startHttpReceiver, type HttpReceiver } from '../../testing/http-receiver.ts';
import { startSmtpServer, type SmtpTestServer } from '../../testing/smtp-server.ts';
import { createDeliverer, type Deliverer } from './deliver.ts';
import { createSmtpMailer, type Mailer } from './smtp-mailer.ts';
import { createJsonSmsProvider } from './sms-provider.ts';

const SECRET = 'whsec_test_0123456789';
const vars = leadTemplateVars({
  leadId: 'L-100',
  lead: {
    firstName: 'Ada',
    lastName: 'Lovelace',
    phone: '+12145550134',
    email: 'ada@example.com',
    address: { zip: '75201', state: 'TX' },
    serviceLine: 'roofing',
    fields: { roofAge: '12' },
  },
});
const fields = { first_name: { field: 'firstName' }, phone: { field: 'phone' }, zip: { field: 'zip' }, vendor: { const: 'switchyard' } };

function method(input: DeliveryMethodInput) {
  const parsed = parseDeliveryMethod(input);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.method;
}

describe('delivery against a real local HTTP receiver and SMTP server', () => {
  let receiver: HttpReceiver;
  let smtp: SmtpTestServer;
  let mailer: Mailer;
  let deliverer: Deliverer;

  beforeAll(async () => {
    [receiver, smtp] = await Promise.all([startHttpReceiver(), startSmtpServer()]);
    mailer = createSmtpMailer({ host: smtp.host, port: smtp.port, from: 'leads@switchyard.test', messageIdDomain: 'switchyard.test', timeoutMs: 5000 });
    deliverer = createDeliverer({
      mailer,
      sms: createJsonSmsProvider({ url: `${receiver.url}/sms`, token: 'sms-token', from: '+15005550006' }),
    });
  });
  afterAll(async () => {
    mailer?.close();
    await Promise.all([receiver?.close(), smtp?.close()]);
  });
  beforeEach(() => {
    receiver.reset();
    smtp.reset();
  });

  it('HTTP POST JSON: mapped fields, idempotency key, receiver reference', async () => {
    const out = await deliverer.deliver({ method: method({ type: 'http_post', url: `${receiver.url}/leads`, fields }), vars, idempotencyKey: 'L-100:ep-1' });
    expect(out).toEqual({ ok: true, status: 200, receiverRef: 'rcv-1' });
    const [req] = receiver.requests;
    expect(req).toMatchObject({ method: 'POST', path: '/leads', idempotencyKey: 'L-100:ep-1' });
    expect(req?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(req!.body)).toEqual({ first_name: 'Ada', phone: '+12145550134', zip: '75201', vendor: 'switchyard' });
  });

  it('HTTP POST form-encoded', async () => {
    const out = await deliverer.deliver({
      method: method({ type: 'http_post', encoding: 'form', url: `${receiver.url}/form`, fields }),
      vars,
      idempotencyKey: 'L-100:ep-2',
    });
    expect(out.ok).toBe(true);
    const [req] = receiver.requests;
    expect(req?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(req!.body))).toEqual({ first_name: 'Ada', phone: '+12145550134', zip: '75201', vendor: 'switchyard' });
    expect(req?.idempotencyKey).toBe('L-100:ep-2');
  });

  it('HTTP GET with the fields in the query string', async () => {
    const out = await deliverer.deliver({
      method: method({ type: 'http_get', url: `${receiver.url}/in?key=abc`, fields }),
      vars,
      idempotencyKey: 'L-100:ep-3',
    });
    expect(out.ok).toBe(true);
    const [req] = receiver.requests;
    expect(req).toMatchObject({ method: 'GET', path: '/in', body: '', idempotencyKey: 'L-100:ep-3' });
    expect(req?.query).toEqual({ key: 'abc', first_name: 'Ada', phone: '+12145550134', zip: '75201', vendor: 'switchyard' });
  });

  it('signed webhook: the receiver verifies the signature over what it received', async () => {
    const out = await deliverer.deliver({
      method: method({ type: 'webhook', url: `${receiver.url}/hook`, secret: SECRET }),
      vars,
      idempotencyKey: 'L-100:ep-4',
    });
    expect(out.ok).toBe(true);
    const [req] = receiver.requests;
    const ts = req?.headers['x-switchyard-timestamp'] as string;
    const sig = req?.headers['x-switchyard-signature'] as string;
    expect(sig).toMatch(/^v1=[0-9a-f]{64}$/);
    expect(verifySignature(SECRET, ts, req!.body, sig, Math.floor(Date.now() / 1000))).toEqual({ ok: true });
    expect(verifySignature('not-the-secret-at-all', ts, req!.body, sig, Math.floor(Date.now() / 1000))).toMatchObject({ ok: false, reason: 'mismatch' });
    expect(JSON.parse(req!.body)).toMatchObject({ leadId: 'L-100', firstName: 'Ada', fields: { roofAge: '12' } });
  });

  it('a 4xx is refused and not retryable; 5xx, 408 and 429 are retryable', async () => {
    const m = method({ type: 'http_post', url: `${receiver.url}/leads`, fields });
    receiver.failNext(1, 422, { body: '{"error":"zip not served"}' });
    expect(await deliverer.deliver({ method: m, vars, idempotencyKey: 'k' })).toMatchObject({
      ok: false,
      retryable: false,
      status: 422,
      reason: expect.stringContaining('zip not served'),
    });
    for (const status of [500, 503, 408]) {
      receiver.failNext(1, status);
      expect(await deliverer.deliver({ method: m, vars, idempotencyKey: 'k' })).toMatchObject({ ok: false, retryable: true, status });
    }
    receiver.failNext(1, 429, { headers: { 'Retry-After': '3' } });
    expect(await deliverer.deliver({ method: m, vars, idempotencyKey: 'k' })).toMatchObject({ ok: false, retryable: true, status: 429, retryAfterMs: 3000 });
  });

  it('retries carry the same idempotency key and body until the receiver takes the lead', async () => {
    const m = method({ type: 'webhook', url: `${receiver.url}/hook`, secret: SECRET, fields });
    receiver.failNext(2, 503);
    const outcomes = [];
    for (let attempt = 0; attempt < 3; attempt++) outcomes.push(await deliverer.deliver({ method: m, vars, idempotencyKey: 'L-100:ep-5' }));
    expect(outcomes.map((o) => o.ok)).toEqual([false, false, true]);
    const groups = receiver.byIdempotencyKey();
    expect([...groups.keys()]).toEqual(['L-100:ep-5']);
    expect(new Set(receiver.requests.map((r) => r.body)).size).toBe(1);
    expect(receiver.requests.map((r) => r.status)).toEqual([503, 503, 200]);
  });

  it('a receiver that does not answer in time, or is not there, is retryable', async () => {
    receiver.setDelay(1500);
    const slow = await deliverer.deliver({
      method: method({ type: 'http_post', url: `${receiver.url}/slow`, fields, timeoutMs: 200 }),
      vars,
      idempotencyKey: 'k',
    });
    expect(slow).toMatchObject({ ok: false, retryable: true, reason: 'Receiver did not answer within 200 ms' });
    const gone = await startHttpReceiver();
    const goneUrl = gone.url;
    await gone.close();
    const refused = await deliverer.deliver({ method: method({ type: 'http_post', url: `${goneUrl}/x`, fields, timeoutMs: 2000 }), vars, idempotencyKey: 'k' });
    expect(refused).toMatchObject({ ok: false, retryable: true, reason: expect.stringContaining('ECONNREFUSED') });
  });

  it('a fraction of failures is applied deterministically', async () => {
    receiver.failFraction(0.5, 503);
    const m = method({ type: 'http_post', url: `${receiver.url}/leads`, fields });
    const outcomes = [];
    for (let i = 0; i < 40; i++) outcomes.push(await deliverer.deliver({ method: m, vars, idempotencyKey: `k${i}` }));
    const failed = outcomes.filter((o) => !o.ok).length;
    expect(failed).toBeGreaterThan(8);
    expect(failed).toBeLessThan(32);
    expect(receiver.requests.filter((r) => r.status === 503)).toHaveLength(failed);
  });

  it('email over SMTP: rendered message with a Message-ID derived from the idempotency key, the same on a retry', async () => {
    const m = method({ type: 'email', to: ['branch@example.com'], subject: 'Lead {{fullName}} ({{zip}})' });
    const first = await deliverer.deliver({ method: m, vars, idempotencyKey: 'L-100:ep-6' });
    const second = await deliverer.deliver({ method: m, vars, idempotencyKey: 'L-100:ep-6' });
    const expectedId = messageIdFor('L-100:ep-6', 'switchyard.test');
    expect(first).toEqual({ ok: true, status: 250, receiverRef: expectedId });
    expect(second).toEqual(first);
    const mails = await smtp.waitFor(2);
    expect(mails.map((x) => x.messageId)).toEqual([expectedId, expectedId]);
    expect(mails[0]).toMatchObject({ envelopeFrom: 'leads@switchyard.test', envelopeTo: ['branch@example.com'], subject: 'Lead Ada Lovelace (75201)' });
    expect(mails[0]?.text).toContain('Phone: +12145550134');
    expect(mails[0]?.headers.get('x-switchyard-idempotency-key')).toBe('L-100:ep-6');
  });

  it('email: 4xx from the mail server is retryable, 5xx is not', async () => {
    const m = method({ type: 'email', to: ['branch@example.com'] });
    smtp.rejectNext(1, 451);
    expect(await deliverer.deliver({ method: m, vars, idempotencyKey: 'k' })).toMatchObject({ ok: false, retryable: true, status: 451 });
    smtp.rejectNext(1, 550);
    expect(await deliverer.deliver({ method: m, vars, idempotencyKey: 'k' })).toMatchObject({ ok: false, retryable: false, status: 550 });
  });

  it('email: wrong credentials are not retryable; an unreachable server is', async () => {
    const guarded = await startSmtpServer({ auth: { user: 'u', pass: 'right' } });
    const wrong = createSmtpMailer({
      host: guarded.host,
      port: guarded.port,
      auth: { user: 'u', pass: 'wrong' },
      from: 'a@b.test',
      messageIdDomain: 'b.test',
      timeoutMs: 3000,
    });
    const right = createSmtpMailer({
      host: guarded.host,
      port: guarded.port,
      auth: { user: 'u', pass: 'right' },
      from: 'a@b.test',
      messageIdDomain: 'b.test',
      timeoutMs: 3000,
    });
    const m = method({ type: 'email', to: ['x@example.com'] });
    try {
      expect(await createDeliverer({ mailer: wrong }).deliver({ method: m, vars, idempotencyKey: 'k' })).toMatchObject({ ok: false, retryable: false });
      expect(await createDeliverer({ mailer: right }).deliver({ method: m, vars, idempotencyKey: 'k' })).toMatchObject({ ok: true });
    } finally {
      wrong.close();
      right.close();
      await guarded.close();
    }
    const down = createSmtpMailer({ host: '127.0.0.1', port: guarded.port, from: 'a@b.test', messageIdDomain: 'b.test', timeoutMs: 2000 });
    try {
      expect(await createDeliverer({ mailer: down }).deliver({ method: m, vars, idempotencyKey: 'k' })).toMatchObject({ ok: false, retryable: true });
    } finally {
      down.close();
    }
  });

  it('SMS through the JSON provider: one request per number, bearer token, per-number idempotency key', async () => {
    const m = method({ type: 'sms', to: ['+12145550100', '+12145550101'], body: 'New lead: {{firstName}} {{phone}}' });
    expect(await deliverer.deliver({ method: m, vars, idempotencyKey: 'L-100:ep-7' })).toMatchObject({ ok: true, receiverRef: 'rcv-2' });
    expect(receiver.requests.map((r) => r.idempotencyKey)).toEqual(['L-100:ep-7:+12145550100', 'L-100:ep-7:+12145550101']);
    expect(receiver.requests[0]?.headers.authorization).toBe('Bearer sms-token');
    expect(JSON.parse(receiver.requests[0]!.body)).toEqual({ from: '+15005550006', to: '+12145550100', body: 'New lead: Ada +12145550134' });
    receiver.failNext(1, 400);
    expect(await deliverer.deliver({ method: m, vars, idempotencyKey: 'L-100:ep-8' })).toMatchObject({ ok: false, retryable: false, status: 400 });
  });

  it('a channel this worker has no sender for is a clear, non-retryable failure', async () => {
    const bare = createDeliverer({});
    expect(await bare.deliver({ method: method({ type: 'email', to: ['x@example.com'] }), vars, idempotencyKey: 'k' })).toEqual({
      ok: false,
      retryable: false,
      reason: 'email (SMTP) delivery is not configured on this worker',
    });
  });
});

describe('speed-to-lead auto-response through the real adapters', () => {
  it('texts and emails the consumer once per channel, with stable keys', async () => {
    const { planAutoResponse } = await import('../../domain/delivery/auto-response.ts');
    const { sendAutoResponse } = await import('./auto-response.ts');
    const [receiver, smtp] = await Promise.all([startHttpReceiver(), startSmtpServer()]);
    const mailer = createSmtpMailer({ host: smtp.host, port: smtp.port, from: 'hello@acme.test', messageIdDomain: 'acme.test' });
    try {
      const plan = planAutoResponse({
        leadId: 'L-200',
        consentChannels: ['sms', 'email'],
        templates: { sms: 'Hi {{firstName}}, we got your request.', email: { subject: 'Thanks {{firstName}}', body: 'We will call you at {{phone}}.' } },
        phoneE164: '+12145550134',
        email: 'ada@example.com',
        vars,
      });
      const sms = createJsonSmsProvider({ url: `${receiver.url}/sms`, from: '+15005550006' });
      expect(await sendAutoResponse(plan, { mailer, sms })).toEqual({ sent: ['sms', 'email'], failed: [], skipped: [] });
      expect(receiver.requests[0]).toMatchObject({ path: '/sms', idempotencyKey: 'L-200:auto:sms' });
      const [mail] = await smtp.waitFor(1);
      expect(mail).toMatchObject({ envelopeTo: ['ada@example.com'], subject: 'Thanks Ada', messageId: messageIdFor('L-200:auto:email', 'acme.test') });
      receiver.failNext(1, 500);
      const again = await sendAutoResponse(plan, { mailer });
      expect(again.sent).toEqual(['email']);
      expect(again.skipped).toEqual([{ channel: 'sms', reason: 'SMS is not configured on this worker' }]);
    } finally {
      mailer.close();
      await Promise.all([receiver.close(), smtp.close()]);
    }
  });
});
