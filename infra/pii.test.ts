import { describe, expect, it } from 'vitest';
import { maskEmail, maskIp, maskPhone, maskStreet } from '../domain/masking.ts';
import { createPiiCodec, DEV_PII_KEY } from './pii.ts';

describe('personal data codec', () => {
  const codec = createPiiCodec(DEV_PII_KEY);

  it('round-trips and never stores the plain value', () => {
    const sealed = codec.seal('+12145550134');
    expect(sealed.c).not.toContain('2145550134');
    expect(codec.open(sealed)).toBe('+12145550134');
  });
  it('uses a fresh IV each time but the same keyed hash, for exact-match search', () => {
    const a = codec.seal('ada@example.com');
    const b = codec.seal('ADA@example.com ');
    expect(a.c).not.toBe(b.c);
    expect(a.h).toBe(b.h);
    expect(a.h).toBe(codec.hash('ada@example.com'));
  });
  it('detects tampering and refuses a wrong key', () => {
    const sealed = codec.seal('secret');
    const parts = sealed.c.split('.');
    const tampered = [...parts.slice(0, 3), Buffer.from('x' + Buffer.from(parts[3]!, 'base64url').toString('utf8').slice(1)).toString('base64url')].join('.');
    expect(() => codec.open(tampered)).toThrow();
    const other = createPiiCodec(Buffer.alloc(32, 9).toString('base64'));
    expect(() => other.open(sealed)).toThrow();
    expect(other.hash('secret')).not.toBe(codec.hash('secret'));
  });
  it('refuses a key of the wrong size with a clear message', () => {
    expect(() => createPiiCodec(Buffer.alloc(16).toString('base64'))).toThrow(/PII_KEY must be 32 bytes/);
  });
});

describe('masking', () => {
  it('hides all but what a role needs to recognise a lead', () => {
    expect(maskPhone('+12145550134')).toBe('•••-•••-0134');
    expect(maskEmail('ada@example.com')).toBe('a•••@example.com');
    expect(maskStreet('1200 Main Street')).toBe('••• M••• S•••');
    expect(maskIp('203.0.113.9')).toBe('203.0.•.•');
  });
});
