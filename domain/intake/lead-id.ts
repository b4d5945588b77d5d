import { createHash } from 'node:crypto';

/** Stable JSON: key order never changes the hash of the same payload. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/**
 * The lead id is a business id: the same tenant, source and external id (or,
 * without one, the same payload) always give the same lead, so posting twice
 * is the same lead. Base32 keeps it URL- and Temporal-id-safe.
 */
export function deriveLeadId(tenantId: string, sourceId: string, externalId: string | undefined, payload: unknown): string {
  const basis = externalId !== undefined && externalId !== '' ? `ext:${externalId}` : `payload:${canonicalJson(payload)}`;
  const digest = createHash('sha256').update(`${tenantId}\u0000${sourceId}\u0000${basis}`).digest();
  return `L${toBase32(digest).slice(0, 24)}`;
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';
function toBase32(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}
