import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { Principal } from '../domain/access/policy.ts';

export interface RateLimits {
  /** Requests per minute. */
  userPerMin: number;
  apiKeyPerMin: number;
  anonymousPerMin: number;
}

/**
 * Per user, per API key and per address (anonymous callers, sign-in
 * included), in process memory: each API replica counts on its own, so N
 * replicas allow up to N times the limit. A shared store (rate-limiter-flexible
 * has Redis and Mongo backends) would make it global; the single-process
 * deployment needs none.
 */
export function createRateLimiter(limits: RateLimits, principalOf: (req: Request) => Principal | undefined): RequestHandler {
  const user = new RateLimiterMemory({ keyPrefix: 'user', points: limits.userPerMin, duration: 60 });
  const key = new RateLimiterMemory({ keyPrefix: 'key', points: limits.apiKeyPerMin, duration: 60 });
  const anon = new RateLimiterMemory({ keyPrefix: 'anon', points: limits.anonymousPerMin, duration: 60 });

  return (req: Request, res: Response, next: NextFunction) => {
    const p = principalOf(req);
    const [limiter, id] = !p ? [anon, req.ip ?? req.socket.remoteAddress ?? 'unknown'] : p.via === 'api_key' ? [key, p.actor.userId] : [user, p.actor.userId];
    limiter.consume(id).then(
      (r) => {
        res.setHeader('RateLimit-Remaining', String(r.remainingPoints));
        next();
      },
      (r: unknown) => {
        if (!(r instanceof RateLimiterRes)) return next(r);
        const retry = Math.max(1, Math.ceil(r.msBeforeNext / 1000));
        res.setHeader('Retry-After', String(retry));
        res.status(429).json({ errors: [{ message: `Too many requests: try again in ${retry} s.`, extensions: { code: 'RATE_LIMITED' } }] });
      },
    );
  };
}
