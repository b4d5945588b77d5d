import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a claim link stands for: one person, one offer round of one lead, until the claim deadline. */
export interface ClaimLinkClaims {
  tenantId: string;
  leadId: string;
  round: number;
  userId: string;
  /** The claim deadline (epoch ms): the link is refused after it. */
  expiresAt: number;
}

export type LinkCheck =
  { ok: true; claims: ClaimLinkClaims } | { ok: false; code: 'malformed' | 'bad_signature' | 'expired'; message: string; claims?: ClaimLinkClaims };

const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64url');
const mac = (secret: string, body: string) => createHmac('sha256', secret).update(`claim-link.v1.${body}`).digest();

/** `<payload>.<signature>`, both base64url: short enough for an SMS, opaque to the reader. */
export function signClaimLink(secret: string, c: ClaimLinkClaims): string {
  const body = b64(JSON.stringify([c.tenantId, c.leadId, c.round, c.userId, c.expiresAt]));
  return `${body}.${b64(mac(secret, body))}`;
}

/** Checks the signature first (nothing unsigned is read), then the deadline against `now`. */
export function verifyClaimLink(secret: string, token: string, now: number): LinkCheck {
  const [body, sig, extra] = token.split('.');
  if (!body || !sig || extra !== undefined || !/^[\w-]+$/.test(body) || !/^[\w-]+$/.test(sig))
    return { ok: false, code: 'malformed', message: 'This link is not a switchyard claim link; open the link from your alert as it was sent.' };
  const expected = mac(secret, body);
  const given = Buffer.from(sig, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return {
      ok: false,
      code: 'bad_signature',
      message: 'This link was not issued by switchyard or has been altered; open the link from your alert as it was sent.',
    };
  let claims: ClaimLinkClaims;
  try {
    const [tenantId, leadId, round, userId, expiresAt] = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as unknown[];
    if (typeof tenantId !== 'string' || typeof leadId !== 'string' || typeof round !== 'number' || typeof userId !== 'string' || typeof expiresAt !== 'number')
      throw new Error('shape');
    claims = { tenantId, leadId, round, userId, expiresAt };
  } catch {
    return { ok: false, code: 'malformed', message: 'This link is not a switchyard claim link; open the link from your alert as it was sent.' };
  }
  if (now >= claims.expiresAt)
    return {
      ok: false,
      code: 'expired',
      message: `The claim deadline for this offer passed at ${new Date(claims.expiresAt).toISOString()}; the lead has moved on.`,
      claims,
    };
  return { ok: true, claims };
}
