import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Connection } from 'mongoose';
import { userModel } from '../db/models/user.ts';
import type { Principal } from '../domain/access/policy.ts';
import type { Actor } from '../domain/lifecycle/actor.ts';
import { apiKeys, hashApiKey } from '../services/api-keys.ts';
import type { AuthService } from '../services/auth.ts';
import { cookieValue, CSRF_HEADER, csrfTokenFor, SESSION_COOKIE } from './session/session-cookie.ts';

export type AuthResult = { principal?: Principal; problem?: string; platform?: boolean };

/** Anything with Node's request headers: an express request, a bare IncomingMessage. */
export interface HasHeaders {
  headers: IncomingHttpHeaders;
}

const API_KEY_PREFIX = 'sy_live_';

/** The API key credential principal: it stands for the source and may only submit its leads. */
export const apiKeyActor = (key: string, tenantId: string, sourceId: string): Actor => ({
  userId: `apikey:${hashApiKey(key).slice(0, 12)}`,
  role: 'vendor',
  tenantId,
  sourceId,
});

/**
 * Reads the caller's credentials: `Authorization: Bearer <token>` for users,
 * `X-Api-Key: <key>` (or a Bearer value that is an API key) for sources. A
 * user token is checked against the stored user on every request, so
 * disabling a user or changing their role takes effect at once.
 */
/** Compares without revealing how much of a guess was right. */
function sameSecret(a: string, b: string): boolean {
  const h = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(h(a), h(b));
}

export function createAuthenticator(deps: { mongo: Connection; auth: AuthService; platformToken?: string | undefined; freshnessMs?: number | undefined }) {
  const keys = apiKeys(deps.mongo, { trustMs: deps.freshnessMs ?? 0 });
  const Users = userModel(deps.mongo);

  async function viaKey(key: string): Promise<AuthResult> {
    const found = await keys.authenticate(key);
    if (!found) return { problem: 'The API key is unknown or revoked' };
    return { principal: { actor: apiKeyActor(key, found.tenantId, found.sourceId), via: 'api_key' } };
  }

  async function viaToken(token: string): Promise<AuthResult> {
    const claimed = await deps.auth.verify(token);
    if (!claimed) return { problem: 'The token is invalid or expired' };
    const user = await Users.findById(claimed.userId).lean();
    const same =
      user &&
      !user.disabled &&
      user.tenantId === claimed.tenantId &&
      user.role === claimed.role &&
      (user.endpointId ?? undefined) === claimed.endpointId &&
      (user.sourceId ?? undefined) === claimed.sourceId;
    if (!same) return { problem: 'The token no longer matches an active user' };
    return { principal: { actor: claimed, via: 'user' } };
  }

  /** The console's session: the cookie proves the browser, the CSRF header proves the page is ours. */
  async function viaCookie(req: HasHeaders): Promise<AuthResult> {
    const token = cookieValue(req.headers.cookie, SESSION_COOKIE);
    if (!token) return {};
    const sent = req.headers[CSRF_HEADER];
    const csrf = Array.isArray(sent) ? sent[0] : sent;
    if (!csrf || !sameSecret(csrf, csrfTokenFor(token)))
      return { problem: 'A request signed in by the session cookie must carry the X-CSRF-Token header the session gave (GET /session)' };
    return viaToken(token);
  }

  async function resolve(req: HasHeaders): Promise<AuthResult> {
    // The platform operator's credential stands beside (never inside) a tenant's: it only creates tenants.
    const platformHeader = req.headers['x-platform-token'];
    const platform = Array.isArray(platformHeader) ? platformHeader[0] : platformHeader;
    if (platform)
      return deps.platformToken && sameSecret(platform.trim(), deps.platformToken)
        ? { platform: true }
        : { problem: 'The platform token is not the one this API was started with' };
    const header = req.headers['x-api-key'];
    const apiKey = Array.isArray(header) ? header[0] : header;
    if (apiKey) return viaKey(apiKey.trim());
    const authz = req.headers.authorization;
    if (!authz) return viaCookie(req);
    const m = /^Bearer\s+(\S+)\s*$/i.exec(authz);
    if (!m) return { problem: 'The Authorization header must be "Bearer <token>"' };
    return m[1]!.startsWith(API_KEY_PREFIX) ? viaKey(m[1]!) : viaToken(m[1]!);
  }

  return {
    resolve,
    /** For other routers (the reports CSV export): who is asking, or undefined; the policy decides what an API key may do there (nothing but intake). */
    async authenticate(req: HasHeaders): Promise<Principal | undefined> {
      return (await resolve(req)).principal;
    },
    viaKey,
  };
}

export type Authenticator = ReturnType<typeof createAuthenticator>;
