import { createHmac, timingSafeEqual } from 'node:crypto';

/** See SIGNING.md: the scheme receivers implement. */
export const TIMESTAMP_HEADER = 'X-Switchyard-Timestamp';
export const SIGNATURE_HEADER = 'X-Switchyard-Signature';
export const SIGNATURE_VERSION = 'v1';
export const DEFAULT_TOLERANCE_SEC = 300;

/** Hex HMAC-SHA256 of `${timestamp}.${body}`; the timestamp is Unix seconds. */
export function computeSignature(secret: string, timestamp: number | string, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex');
}

/** The two headers a signed request carries. `nowMs` is passed in so the caller controls the clock. */
export function signatureHeaders(secret: string, body: string, nowMs: number): Record<string, string> {
  const timestamp = Math.floor(nowMs / 1000);
  return {
    [TIMESTAMP_HEADER]: String(timestamp),
    [SIGNATURE_HEADER]: `${SIGNATURE_VERSION}=${computeSignature(secret, timestamp, body)}`,
  };
}

export type SignatureCheck =
  { ok: true } | { ok: false; reason: 'missing' | 'malformed_timestamp' | 'stale' | 'no_v1_signature' | 'mismatch'; message: string };

/**
 * For receivers: checks the signature header against the raw body. The header
 * may carry several `v1=` entries separated by commas (we send two while a
 * secret is being rotated); one match is enough. `nowSec` is Unix seconds.
 */
export function verifySignature(
  secret: string,
  timestamp: string | undefined,
  body: string,
  header: string | undefined,
  nowSec: number,
  toleranceSec = DEFAULT_TOLERANCE_SEC,
): SignatureCheck {
  if (!timestamp || !header) return { ok: false, reason: 'missing', message: `${TIMESTAMP_HEADER} and ${SIGNATURE_HEADER} headers are both required` };
  if (!/^\d{1,12}$/.test(timestamp.trim())) return { ok: false, reason: 'malformed_timestamp', message: `${TIMESTAMP_HEADER} must be Unix seconds` };
  const ts = Number(timestamp.trim());
  if (Math.abs(nowSec - ts) > toleranceSec) {
    return { ok: false, reason: 'stale', message: `timestamp is ${Math.round(nowSec - ts)} s from now; at most ${toleranceSec} s allowed (replay protection)` };
  }
  const candidates = header
    .split(',')
    .map((part) => part.trim().split('='))
    .filter((kv): kv is [string, string] => kv.length === 2 && kv[0] === SIGNATURE_VERSION && /^[0-9a-f]{64}$/i.test(kv[1] ?? ''))
    .map(([, hex]) => Buffer.from(hex, 'hex'));
  if (candidates.length === 0) return { ok: false, reason: 'no_v1_signature', message: `${SIGNATURE_HEADER} has no ${SIGNATURE_VERSION}=<64 hex> entry` };
  const expected = Buffer.from(computeSignature(secret, ts, body), 'hex');
  // Check every candidate so timing does not tell which entry matched.
  let matched = false;
  for (const c of candidates) matched = timingSafeEqual(c, expected) || matched;
  return matched ? { ok: true } : { ok: false, reason: 'mismatch', message: 'signature does not match the body and timestamp' };
}
