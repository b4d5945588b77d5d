import { describe, expect, it } from 'vitest';
import { scrubPii, serializeError } from './log-redaction.ts';

describe('scrubPii', () => {
  it('removes phone numbers in every common spelling', () => {
    for (const p of ['+12148675309', '2148675309', '(214) 867-5309', '214-867-5309', '214.867.5309', '+1 214 867 5309', '1-214-867-5309']) {
      const out = scrubPii(`Phone "${p}" is a VoIP number`);
      expect(out, p).toBe('Phone "[number]" is a VoIP number');
      expect(out.replace(/\D/g, '')).not.toContain('8675309');
    }
  });

  it('removes email addresses', () => {
    expect(scrubPii('Email Jenny.Tutone+x@mail.example.co.uk is a role address')).toBe('Email [email] is a role address');
  });

  it('leaves ids, ZIPs, dates, times, versions and counts alone', () => {
    const text = 'lead Lh3k2 at 75201 on 2026-11-23T10:00:00Z took 123 ms (v1.24.0, attempt 3 of 5, HTTP 503)';
    expect(scrubPii(text)).toBe(text);
  });
});

describe('serializeError', () => {
  it('keeps type, message, code and cause, scrubbed, and drops other properties', () => {
    const cause = new Error('receiver said: bad phone 214-867-5309');
    const err = Object.assign(new Error('delivery failed for jenny@example.com', { cause }), { code: 'E_RECEIVER', keyValue: { phone: '2148675309' } });
    const s = serializeError(err);
    expect(s).toMatchObject({
      type: 'Error',
      message: 'delivery failed for [email]',
      code: 'E_RECEIVER',
      cause: { message: 'receiver said: bad phone [number]' },
    });
    expect(JSON.stringify(s)).not.toContain('8675309');
    expect(JSON.stringify(s)).not.toContain('keyValue');
  });

  it('describes a thrown non-error', () => {
    expect(serializeError('call 2148675309')).toEqual({ type: 'string', message: 'call [number]' });
  });
});
