import { defaultPayloadConverter } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { encryptionCodec } from './payload-codec.ts';
import { DEV_PII_KEY } from './pii.ts';

describe('payload encryption codec', () => {
  const codec = encryptionCodec(DEV_PII_KEY);
  const lead = { phone: '+12145550134', email: 'ada@example.com', address: { street: '1 Main St' } };

  it('round-trips payloads and leaves no personal data readable on the wire', async () => {
    const plain = defaultPayloadConverter.toPayload(lead);
    const [enc] = await codec.encode([plain]);
    const wire = Buffer.from(enc!.data!).toString('latin1');
    expect(wire).not.toContain('2145550134');
    expect(wire).not.toContain('ada@example.com');
    expect(new TextDecoder().decode(enc!.metadata!.encoding)).toBe('binary/encrypted');
    const [dec] = await codec.decode([enc!]);
    expect(defaultPayloadConverter.fromPayload(dec!)).toEqual(lead);
  });

  it('uses a fresh IV each time, rejects tampering and another key, and passes unencrypted payloads through', async () => {
    const plain = defaultPayloadConverter.toPayload(lead);
    const [a, b] = await codec.encode([plain, plain]);
    expect(Buffer.from(a!.data!).equals(Buffer.from(b!.data!))).toBe(false);
    const tampered = { ...a!, data: Uint8Array.from(a!.data!, (x, i) => (i === 20 ? x ^ 1 : x)) };
    await expect(codec.decode([tampered])).rejects.toThrow();
    await expect(encryptionCodec(Buffer.alloc(32, 9).toString('base64')).decode([a!])).rejects.toThrow();
    expect(await codec.decode([plain])).toEqual([plain]);
  });
});
