import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import { z } from 'zod';
import type { Principal } from '../../domain/access/policy.ts';
import type { AuthService } from '../../services/auth.ts';
import type { Authenticator } from '../authenticate.ts';
import { cookieValue, csrfTokenFor, SESSION_COOKIE, sessionCookie } from './session-cookie.ts';

const SignIn = z.strictObject({
  tenantId: z.string().trim().min(1, 'is required').max(100),
  email: z.string().trim().min(1, 'is required').max(254),
  password: z.string().min(1, 'is required').max(200),
});

export interface SessionRouterDeps {
  auth: AuthService;
  authn: Authenticator;
  secure: boolean;
  /** The per-address limit that guards every anonymous call (sign-in included). */
  rateLimit: RequestHandler;
}

const me = (p: Principal) => ({ ...p.actor, via: p.via });

/**
 * The console's sign-in (`/session`): POST signs in and sets the httpOnly
 * session cookie, answering with the CSRF token the page must send with every
 * request; GET answers the same for a page reloaded with the cookie (same
 * origin only: no CORS for it); DELETE signs out. API clients keep using
 * bearer tokens from the signIn mutation; nothing here changes them.
 */
export function createSessionRouter(deps: SessionRouterDeps): Router {
  const router = express.Router();
  const noStore = (res: Response) => res.setHeader('Cache-Control', 'no-store');

  router.post('/', deps.rateLimit, express.json({ limit: '4kb' }), async (req: Request, res: Response) => {
    noStore(res);
    const parsed = SignIn.safeParse(req.body ?? {});
    if (!parsed.success) {
      return res.status(400).json({
        ok: false,
        errors: parsed.error.issues.map((i) => ({ code: 'INVALID_INPUT', field: i.path.join('.') || '(body)', message: i.message })),
      });
    }
    const signed = await deps.auth.signIn(parsed.data.tenantId, parsed.data.email, parsed.data.password);
    // The same answer for an unknown user and a wrong password, as the signIn mutation gives.
    if (!signed.ok) return res.status(401).json({ ok: false, errors: [{ code: 'INVALID_CREDENTIALS', message: 'Wrong tenant, email or password.' }] });
    res.setHeader('Set-Cookie', sessionCookie(signed.token, { secure: deps.secure, maxAgeSec: deps.auth.tokenTtlSec }));
    res.json({ ok: true, me: me({ actor: signed.actor, via: 'user' }), csrfToken: csrfTokenFor(signed.token) });
  });

  router.get('/', async (req: Request, res: Response) => {
    noStore(res);
    const token = cookieValue(req.headers.cookie, SESSION_COOKIE);
    if (!token) return res.status(401).json({ ok: false, errors: [{ code: 'UNAUTHENTICATED', message: 'Not signed in.' }] });
    const csrfToken = csrfTokenFor(token);
    const found = await deps.authn.resolve({ headers: { cookie: req.headers.cookie, 'x-csrf-token': csrfToken } });
    if (!found.principal) {
      res.setHeader('Set-Cookie', sessionCookie(undefined, { secure: deps.secure, maxAgeSec: 0 }));
      return res.status(401).json({ ok: false, errors: [{ code: 'UNAUTHENTICATED', message: found.problem ?? 'Not signed in.' }] });
    }
    res.json({ ok: true, me: me(found.principal), csrfToken });
  });

  router.delete('/', async (req: Request, res: Response) => {
    noStore(res);
    // Signing out is a change too: only our page, holding the CSRF token, may ask for it.
    const found = await deps.authn.resolve({ headers: { cookie: req.headers.cookie, 'x-csrf-token': req.headers['x-csrf-token'] } });
    if (!found.principal) return res.status(403).json({ ok: false, errors: [{ code: 'FORBIDDEN', message: found.problem ?? 'Not signed in.' }] });
    res.setHeader('Set-Cookie', sessionCookie(undefined, { secure: deps.secure, maxAgeSec: 0 }));
    res.json({ ok: true });
  });

  return router;
}
