import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import type { DataConverter, Payload, PayloadCodec } from '@temporalio/common';
import proto from '@temporalio/proto';

const { temporal } = proto;

const ENCODING = 'binary/encrypted';
const KEY_ID = 'switchyard-payload-v1';
const encoder = new TextEncoder();
const decoder = new TextDecoder();
const utf8 = (s: string) => encoder.encode(s);
const text = (b: Uint8Array | null | undefined) => (b ? decoder.decode(b) : undefined);
// Every payload carries the same two metadata values: encoded once, not per payload.
const ENCODING_BYTES = utf8(ENCODING);
const KEY_ID_BYTES = utf8(KEY_ID);

/**
 * Encrypts every payload the SDK sends to Temporal (workflow inputs, activity
 * arguments and results, update arguments): a lead's phone, email and address
 * travel inside them, and Temporal keeps histories in its own database. AES-256-GCM
 * with a random IV per payload, the key derived from PII_KEY by HKDF (so one
 * secret is configured, and this key is not the one sealing MongoDB fields).
 * Decoding passes through payloads that were never encrypted, so histories
 * written before the codec was turned on still read.
 */
export function encryptionCodec(masterKeyBase64: string): PayloadCodec {
  const master = Buffer.from(masterKeyBase64, 'base64');
  if (master.length !== 32) throw new Error(`PII_KEY must be 32 bytes, base64-encoded (got ${master.length} bytes)`);
  const key = Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), 'switchyard temporal payloads v1', 32));
  return {
    async encode(payloads: Payload[]): Promise<Payload[]> {
      return payloads.map((p) => {
        const iv = randomBytes(12);
        const cipher = createCipheriv('aes-256-gcm', key, iv);
        const plain = temporal.api.common.v1.Payload.encode(p).finish();
        const data = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
        return { metadata: { encoding: ENCODING_BYTES, 'encryption-key-id': KEY_ID_BYTES }, data };
      });
    },
    async decode(payloads: Payload[]): Promise<Payload[]> {
      return payloads.map((p) => {
        if (text(p.metadata?.encoding) !== ENCODING) return p;
        const keyId = text(p.metadata?.['encryption-key-id']);
        if (keyId !== KEY_ID) throw new Error(`payload encrypted with unknown key "${keyId}"`);
        const data = Buffer.from(p.data ?? new Uint8Array());
        const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, 12));
        decipher.setAuthTag(data.subarray(data.length - 16));
        const plain = Buffer.concat([decipher.update(data.subarray(12, data.length - 16)), decipher.final()]);
        return temporal.api.common.v1.Payload.decode(plain);
      });
    },
  };
}

/** The data converter every worker and client of a deployment must share. */
export function temporalDataConverter(piiKeyBase64: string): DataConverter {
  return { payloadCodecs: [encryptionCodec(piiKeyBase64)] };
}
