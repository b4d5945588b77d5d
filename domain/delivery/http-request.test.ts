import { describe, expect, it } from 'vitest';
import { buildHttpRequest } from './http-request.ts';
import { leadTemplateVars } from './lead-vars.ts';
import { buildLeadEmail, buildLeadSms } from './messages.ts';
import { parseDeliveryMethod, type DeliveryMethod } from '../../schema/delivery-method.ts';
import { verifySignature } from './signing.ts';

const vars = leadTemplateVars({
  leadId: 'L1',
  lead: {
    firstName: 'Ada',
    lastName: 'Lovelace',
    phone: '+12145550134',
    email: 'ada@example.com',
    address: { zip: '75201' },
    serviceLine: 'roofing',
    fields: {},
  },
});
const ctx = { idempotencyKey: 'L1:ep-1', nowMs: 1_760_000_000_000 };
const fields = { fname: { field: 'firstName' }, zip: { field: 'zip' }, src: { const: 'switchyard' } };

function method(input: unknown): DeliveryMethod {
  const parsed = parseDeliveryMethod(input);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.method;
}

describe('HTTP request building', () => {
  it('POST JSON: mapped body, content type, idempotency key', () => {
    const m = method({ type: 'http_post', url: 'https://crm.example/leads', fields });
    if (m.type !== 'http_post') throw new Error('type');
    const spec = buildHttpRequest(m, vars, ctx);
    expect(spec).toMatchObject({ method: 'POST', url: 'https://crm.example/leads' });
    expect(JSON.parse(spec.body!)).toEqual({ fname: 'Ada', zip: '75201', src: 'switchyard' });
    expect(spec.headers).toMatchObject({ 'Content-Type': 'application/json', 'Idempotency-Key': 'L1:ep-1' });
    expect(spec.headers).not.toHaveProperty('X-Switchyard-Signature');
  });

  it('POST form-encoded', () => {
    const m = method({ type: 'http_post', url: 'https://crm.example/leads', encoding: 'form', fields });
    if (m.type !== 'http_post') throw new Error('type');
    const spec = buildHttpRequest(m, vars, ctx);
    expect(spec.body).toBe('fname=Ada&zip=75201&src=switchyard');
    expect(spec.headers['Content-Type']).toBe('application/x-www-form-urlencoded');
  });

  it('GET keeps the URL query and signs the query string', () => {
    const m = method({ type: 'http_get', url: 'https://crm.example/in?key=abc', fields, secret: 'a-signing-secret-1234' });
    if (m.type !== 'http_get') throw new Error('type');
    const spec = buildHttpRequest(m, vars, ctx);
    expect(spec.url).toBe('https://crm.example/in?key=abc&fname=Ada&zip=75201&src=switchyard');
    expect(spec.body).toBeUndefined();
    const query = new URL(spec.url).search.slice(1);
    expect(
      verifySignature('a-signing-secret-1234', spec.headers['X-Switchyard-Timestamp'], query, spec.headers['X-Switchyard-Signature'], ctx.nowMs / 1000),
    ).toEqual({ ok: true });
  });

  it('webhook without a field template sends the whole lead, signed; configured headers cannot override ours', () => {
    const m = method({
      type: 'webhook',
      url: 'https://hooks.example/x',
      secret: 'a-signing-secret-1234',
      headers: { 'idempotency-key': 'forged', 'X-Api-Key': 'k' },
    });
    if (m.type !== 'webhook') throw new Error('type');
    const spec = buildHttpRequest(m, vars, ctx);
    expect(JSON.parse(spec.body!)).toMatchObject({ leadId: 'L1', firstName: 'Ada', email: 'ada@example.com' });
    expect(spec.headers['Idempotency-Key']).toBe('L1:ep-1');
    expect(spec.headers).not.toHaveProperty('idempotency-key');
    expect(spec.headers['X-Api-Key']).toBe('k');
    expect(
      verifySignature('a-signing-secret-1234', spec.headers['X-Switchyard-Timestamp'], spec.body!, spec.headers['X-Switchyard-Signature'], ctx.nowMs / 1000),
    ).toEqual({ ok: true });
  });

  it('is deterministic for the same attempt (a retry sends the same bytes)', () => {
    const m = method({ type: 'webhook', url: 'https://hooks.example/x', secret: 'a-signing-secret-1234' });
    if (m.type !== 'webhook') throw new Error('type');
    expect(buildHttpRequest(m, vars, ctx)).toEqual(buildHttpRequest(m, vars, ctx));
  });
});

describe('delivery method configuration', () => {
  it('names every problem with its path', () => {
    const parsed = parseDeliveryMethod({ type: 'webhook', url: 'ftp://x', secret: 'short' });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.errors.map((e) => e.path).sort()).toEqual(['secret', 'url']);
    expect(parseDeliveryMethod({ type: 'pigeon' }).ok).toBe(false);
    const sms = parseDeliveryMethod({ type: 'sms', to: ['214-555-0134'] });
    expect(sms.ok).toBe(false);
  });
});

describe('email and SMS messages', () => {
  it('email: rendered subject on one line, Message-ID stable per idempotency key', () => {
    const m = method({ type: 'email', to: ['branch@example.com'], subject: 'Lead {{fullName}}\r\nBcc: evil@example.com' });
    if (m.type !== 'email') throw new Error('type');
    const a = buildLeadEmail(m, vars, { idempotencyKey: 'L1:ep-1', messageIdDomain: 'switchyard.local' });
    const b = buildLeadEmail(m, vars, { idempotencyKey: 'L1:ep-1', messageIdDomain: 'switchyard.local' });
    const c = buildLeadEmail(m, vars, { idempotencyKey: 'L1:ep-2', messageIdDomain: 'switchyard.local' });
    expect(a.subject).toBe('Lead Ada Lovelace Bcc: evil@example.com');
    expect(a.messageId).toMatch(/^<[0-9a-f]{40}@switchyard\.local>$/);
    expect(b.messageId).toBe(a.messageId);
    expect(c.messageId).not.toBe(a.messageId);
    expect(a.text).toContain('Phone: +12145550134');
  });

  it('SMS: one message per recipient, each with its own key', () => {
    const m = method({ type: 'sms', to: ['+12145550100', '+12145550101'], body: 'New lead {{firstName}}' });
    if (m.type !== 'sms') throw new Error('type');
    expect(buildLeadSms(m, vars, 'L1:ep-1')).toEqual([
      { to: '+12145550100', body: 'New lead Ada', idempotencyKey: 'L1:ep-1:+12145550100' },
      { to: '+12145550101', body: 'New lead Ada', idempotencyKey: 'L1:ep-1:+12145550101' },
    ]);
  });
});
