import { describe, expect, it } from 'vitest';
import { classifyHttpStatus, classifyNetworkError, parseRetryAfter } from './outcome.ts';
import { classifySmtpError, smtpReplyCode } from './smtp-outcome.ts';

describe('HTTP outcome classification', () => {
  it('2xx is delivered, keeping the receiver reference', () => {
    expect(classifyHttpStatus(201, { receiverRef: 'abc' })).toEqual({ ok: true, status: 201, receiverRef: 'abc' });
    expect(classifyHttpStatus(204)).toEqual({ ok: true, status: 204 });
  });

  it.each([400, 401, 403, 404, 409, 410, 422])('%i is refused and not retried', (status) => {
    expect(classifyHttpStatus(status, { body: 'zip required' })).toMatchObject({
      ok: false,
      retryable: false,
      status,
      reason: expect.stringContaining('zip required'),
    });
  });

  it.each([408, 429, 500, 502, 503, 504])('%i is retried', (status) => {
    expect(classifyHttpStatus(status)).toMatchObject({ ok: false, retryable: true, status });
  });

  it('keeps Retry-After only for retryable answers', () => {
    expect(classifyHttpStatus(429, { retryAfterMs: 5000 })).toMatchObject({ retryable: true, retryAfterMs: 5000 });
    expect(classifyHttpStatus(400, { retryAfterMs: 5000 })).not.toHaveProperty('retryAfterMs');
  });

  it('a redirect is a configuration problem, not retried', () => {
    expect(classifyHttpStatus(302)).toMatchObject({ ok: false, retryable: false, reason: expect.stringContaining('redirect') });
  });

  it('network errors and timeouts are retryable with a readable reason', () => {
    const refused = Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:1' } });
    expect(classifyNetworkError(refused)).toMatchObject({ ok: false, retryable: true, reason: expect.stringContaining('ECONNREFUSED') });
    const timeout = Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' });
    expect(classifyNetworkError(timeout, 2000)).toMatchObject({ retryable: true, reason: 'Receiver did not answer within 2000 ms' });
  });

  it('reads Retry-After as seconds or as a date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('7', now)).toBe(7000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});

describe('SMTP outcome classification', () => {
  it('4xx replies are temporary, 5xx permanent (the reverse of HTTP)', () => {
    expect(classifySmtpError({ responseCode: 451, response: '451 Try later' })).toMatchObject({ retryable: true, status: 451 });
    expect(classifySmtpError({ responseCode: 550, response: '550 No such user' })).toMatchObject({ retryable: false, status: 550 });
  });
  it('connection problems are retried, login problems are not', () => {
    expect(classifySmtpError({ code: 'ECONNECTION', message: 'connect ECONNREFUSED' })).toMatchObject({ retryable: true });
    expect(classifySmtpError({ code: 'EAUTH', message: 'Invalid login' })).toMatchObject({ retryable: false });
  });
  it('reads the reply code of a success line', () => {
    expect(smtpReplyCode('250 2.0.0 Ok: queued')).toBe(250);
    expect(smtpReplyCode(undefined)).toBeUndefined();
  });
});
