import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Personal data at rest: AES-256-GCM with a random 96-bit IV per value, plus a
 * keyed hash (HMAC-SHA256) beside each value for exact-match search and
 * duplicate detection without decrypting. Both keys derive from one 32-byte
 * master key (PII_KEY, base64) through HKDF, so one secret is configured and
 * the hash key never equals the encryption key.
 */
export interface SealedValue {
  /** `v1.<iv>.<tag>.<ciphertext>`, base64url parts. */
  c: string;
  /** Keyed hash of the normalised value. */
  h: string;
}

export interface PiiCodec {
  seal(value: string): SealedValue;
  open(sealed: SealedValue | string): string;
  hash(value: string): string;
}

export function createPiiCodec(masterKeyBase64: string): PiiCodec {
  const master = Buffer.from(masterKeyBase64, 'base64');
  if (master.length !== 32) throw new Error(`PII_KEY must be 32 bytes, base64-encoded (got ${master.length} bytes)`);
  const encKey = Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), 'switchyard pii encryption v1', 32));
  const macKey = Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), 'switchyard pii search hash v1', 32));
  const hash = (value: string) => createHmac('sha256', macKey).update(value.trim().toLowerCase()).digest('base64url');

  return {
    hash,
    seal(value) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', encKey, iv);
      const ct = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
      return { c: ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ct.toString('base64url')].join('.'), h: hash(value) };
    },
    open(sealed) {
      const c = typeof sealed === 'string' ? sealed : sealed.c;
      const [v, iv, tag, ct] = c.split('.');
      if (v !== 'v1' || !iv || !tag || ct === undefined) throw new Error('not a sealed value');
      const decipher = createDecipheriv('aes-256-gcm', encKey, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
    },
  };
}

/** A key for development and tests only; production sets PII_KEY. */
export const DEV_PII_KEY = Buffer.alloc(32, 7).toString('base64');
