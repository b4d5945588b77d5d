import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { computeSignature, signatureHeaders, verifySignature } from './signing.ts';

const secret = 'whsec_0123456789abcdef';
const body = '{"leadId":"L1","firstName":"Ada"}';
const nowMs = 1_760_000_000_000;
const nowSec = nowMs / 1000;

describe('webhook signing', () => {
  it('is HMAC-SHA256 over `${timestamp}.${body}` as documented', () => {
    const expected = createHmac('sha256', secret).update(`${nowSec}.${body}`).digest('hex');
    expect(computeSignature(secret, nowSec, body)).toBe(expected);
    expect(signatureHeaders(secret, body, nowMs)).toEqual({ 'X-Switchyard-Timestamp': String(nowSec), 'X-Switchyard-Signature': `v1=${expected}` });
  });

  it('verifies its own headers', () => {
    const h = signatureHeaders(secret, body, nowMs);
    expect(verifySignature(secret, h['X-Switchyard-Timestamp'], body, h['X-Switchyard-Signature'], nowSec + 10)).toEqual({ ok: true });
  });

  it('refuses a changed body, a wrong secret, a stale timestamp, and missing or malformed headers', () => {
    const h = signatureHeaders(secret, body, nowMs);
    const ts = h['X-Switchyard-Timestamp'];
    const sig = h['X-Switchyard-Signature'];
    expect(verifySignature(secret, ts, body.replace('Ada', 'Eve'), sig, nowSec)).toMatchObject({ ok: false, reason: 'mismatch' });
    expect(verifySignature('another-secret-value', ts, body, sig, nowSec)).toMatchObject({ ok: false, reason: 'mismatch' });
    expect(verifySignature(secret, ts, body, sig, nowSec + 301)).toMatchObject({ ok: false, reason: 'stale' });
    expect(verifySignature(secret, ts, body, sig, nowSec - 301)).toMatchObject({ ok: false, reason: 'stale' });
    expect(verifySignature(secret, ts, body, sig, nowSec + 600, 900)).toEqual({ ok: true });
    expect(verifySignature(secret, undefined, body, sig, nowSec)).toMatchObject({ ok: false, reason: 'missing' });
    expect(verifySignature(secret, 'yesterday', body, sig, nowSec)).toMatchObject({ ok: false, reason: 'malformed_timestamp' });
    expect(verifySignature(secret, ts, body, 'v0=abc', nowSec)).toMatchObject({ ok: false, reason: 'no_v1_signature' });
  });

  it('accepts any matching entry of a rotation header', () => {
    const h = signatureHeaders(secret, body, nowMs);
    const old = computeSignature('the-old-secret-value', nowSec, body);
    const header = `v1=${old}, ${h['X-Switchyard-Signature']}`;
    expect(verifySignature(secret, h['X-Switchyard-Timestamp'], body, header, nowSec)).toEqual({ ok: true });
  });
});
