import { createHash } from 'node:crypto';

/** The browser's sign-in: the same signed token API clients send as a bearer, kept where page scripts cannot read it. */
export const SESSION_COOKIE = 'sy_session';
export const CSRF_HEADER = 'x-csrf-token';

/**
 * The CSRF token of a session: derived from the session token, which page
 * scripts cannot read (httpOnly), so only a page that was handed it at
 * sign-in (or asked GET /session, same origin) can send it. Another site can
 * make the browser send the cookie, never the header.
 */
export const csrfTokenFor = (sessionToken: string) => createHash('sha256').update(`csrf|${sessionToken}`).digest('base64url');

/** The named cookie from a Cookie header, undefined when absent. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i < 0) continue;
    if (part.slice(0, i).trim() === name) {
      const raw = part.slice(i + 1).trim();
      try {
        return decodeURIComponent(raw);
      } catch {
        return raw;
      }
    }
  }
  return undefined;
}

/** Set-Cookie for a session: httpOnly, SameSite=Strict, for the whole origin; Secure outside development. */
export function sessionCookie(token: string | undefined, opts: { secure: boolean; maxAgeSec: number }): string {
  const parts = [`${SESSION_COOKIE}=${token ?? ''}`, 'Path=/', 'HttpOnly', 'SameSite=Strict', `Max-Age=${token ? opts.maxAgeSec : 0}`];
  if (opts.secure) parts.push('Secure');
  return parts.join('; ');
}
