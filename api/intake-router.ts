import cors from 'cors';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { can, type Principal } from '../domain/access/policy.ts';
import { submitForSource } from '../services/source-intake.ts';
import type { Authenticator } from './authenticate.ts';
import type { ApiDeps, ApiServices } from './context.ts';

export interface IntakeRouterOptions {
  maxBodyBytes: number;
  rateLimit: express.RequestHandler;
  /** Remembers the principal for the rate limiter and the handler. */
  setPrincipal: (req: Request, p: Principal) => void;
  principalOf: (req: Request) => Principal | undefined;
  onInternalError?: (err: unknown) => void;
}

const fail = (res: Response, status: number, field: string, message: string, code: string) =>
  res.status(status).json({ ok: false, errors: [{ field, message, code }] });

/**
 * `POST /intake/:sourceKey` (or `POST /intake` with an `X-Api-Key` header, which
 * keeps the key out of URLs and proxy logs): one lead, JSON or form-encoded
 * (an HTML form can post here directly). Answers 201 with the lead id (200 for
 * a lead already received), 422 naming each bad field, 4xx for everything else
 * the caller got wrong, never a 5xx for bad input; 503 with Retry-After when
 * the lead could not be taken now (the database or Temporal is unreachable),
 * which is safe to retry: a repeat post is the same lead.
 */
export function createIntakeRouter(deps: ApiDeps, services: ApiServices, authn: Authenticator, opts: IntakeRouterOptions): Router {
  const router = express.Router();
  const limit = opts.maxBodyBytes;
  // Landing pages post from anywhere; the key authenticates, no cookie is involved.
  router.use(cors({ origin: '*', methods: ['POST'], allowedHeaders: ['content-type', 'x-api-key'], maxAge: 600 }));

  const identify = async (req: Request, _res: Response, next: NextFunction) => {
    try {
      const header = req.headers['x-api-key'];
      const key = String(req.params.sourceKey ?? (Array.isArray(header) ? header[0] : header) ?? '');
      const auth = await authn.viaKey(key);
      if (auth.principal) opts.setPrincipal(req, auth.principal);
      next();
    } catch (err) {
      next(err);
    }
  };
  const requireKey = (req: Request, res: Response, next: NextFunction) => {
    if (!opts.principalOf(req)) return fail(res, 401, 'sourceKey', 'is not a valid source key (unknown or revoked)', 'UNAUTHENTICATED');
    next();
  };
  const requireBodyType = (req: Request, res: Response, next: NextFunction) => {
    if (!/^application\/(json|x-www-form-urlencoded)\b/i.test(req.headers['content-type'] ?? '')) {
      return fail(res, 415, '(body)', 'must be sent as application/json or application/x-www-form-urlencoded', 'UNSUPPORTED_MEDIA_TYPE');
    }
    next();
  };
  const accept = async (req: Request, res: Response, next: NextFunction) => {
    try {
      const p = opts.principalOf(req);
      if (!p || !p.actor.sourceId || !can(p, 'lead.submit', { kind: 'source', tenantId: p.actor.tenantId, sourceId: p.actor.sourceId }).allow) {
        return fail(res, 403, 'sourceKey', 'may not submit leads', 'FORBIDDEN');
      }
      const result = await submitForSource(
        { ...deps, configs: services.configs },
        { tenantId: p.actor.tenantId, sourceId: p.actor.sourceId, payload: req.body, receivedAt: (deps.now ?? Date.now)() },
      );
      if (result.ok) return res.status(result.duplicate ? 200 : 201).json({ ok: true, leadId: result.leadId, duplicate: result.duplicate });
      const status = result.code === 'INVALID_LEAD' ? 422 : result.code === 'SOURCE_INACTIVE' ? 403 : 404;
      return res.status(status).json({ ok: false, errors: result.errors.map((e) => ({ ...e, code: result.code })) });
    } catch (err) {
      next(err);
    }
  };
  const steps = [
    identify,
    // Before the key check answers: guessing keys spends the caller's address budget.
    opts.rateLimit,
    requireKey,
    requireBodyType,
    express.json({ limit, strict: false }),
    express.urlencoded({ limit, extended: false, parameterLimit: 500 }),
    accept,
  ];
  router.post('/', ...steps);
  router.post('/:sourceKey', ...steps);

  router.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const e = err as { status?: number; type?: string; message?: string };
    // Body problems (malformed JSON, too large, bad encoding) are the caller's: a 4xx naming the body.
    if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500) {
      const message =
        e.type === 'entity.too.large'
          ? `is larger than ${limit} bytes`
          : e.type === 'entity.parse.failed'
            ? 'is not valid JSON'
            : e.type === 'parameters.too.many'
              ? 'has too many fields'
              : (e.message ?? 'could not be read');
      return fail(res, e.status, '(body)', message, e.type === 'entity.too.large' ? 'PAYLOAD_TOO_LARGE' : 'BAD_REQUEST');
    }
    opts.onInternalError?.(err);
    res.setHeader('Retry-After', '5');
    return fail(res, 503, '(server)', 'the lead could not be taken just now; post it again (a repeat post is the same lead)', 'UNAVAILABLE');
  });
  return router;
}
