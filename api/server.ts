import { randomUUID } from 'node:crypto';
import { DEV_LINK_SECRET } from '../infra/links.ts';
import { createClaimLinkRouter } from './claim-link/claim-link-router.ts';
import { createSessionRouter } from './session/session-router.ts';
import { mountConsole } from './console-static.ts';
import { createReportsCsvRouter } from './reports/csv-router.ts';
import { createSuppressionRouter } from './suppression/upload-router.ts';
import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import cors from 'cors';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { NoSchemaIntrospectionCustomRule } from 'graphql';
import { createYoga, maskError, type Plugin } from 'graphql-yoga';
import helmet from 'helmet';
import type { Principal } from '../domain/access/policy.ts';
import { withLogFields, type Logger } from '../infra/logger.ts';
import type { ApiMetrics } from '../infra/metrics.ts';
import { createAuthenticator, type AuthResult, type Authenticator } from './authenticate.ts';
import { createContext, createServices, type ApiContext, type ApiDeps } from './context.ts';
import { checkHealth } from './health.ts';
import { createIntakeRouter } from './intake-router.ts';
import type { GraphQLModule } from './module.ts';
import { createRateLimiter, type RateLimits } from './rate-limit.ts';
import { buildSchema, MODULES } from './schema.ts';

export interface AppOptions {
  nodeEnv: 'development' | 'test' | 'production';
  /** Browser origins allowed to call the API; empty allows none. */
  corsOrigins: string[];
  rateLimits: RateLimits;
  /** Largest GraphQL request body. */
  maxBodyBytes: number;
  /** Largest intake post. */
  intakeMaxBodyBytes: number;
  modules: GraphQLModule[];
  /** Other routers (the reports CSV export), mounted with the shared authenticator. */
  mount?: (app: Express, shared: { authenticate: Authenticator['authenticate'] }) => void;
  /** Where internal errors go before they are masked for the client. */
  onInternalError?: (err: unknown) => void;
  /** Express `trust proxy`: hops of reverse proxies whose X-Forwarded-For names the client (rate limits by address). */
  trustProxy: number | false;
  /** One line per request (request id, route, status, time); none without it. */
  logger?: Logger;
  /** Request counters and timings, served at GET /metrics with the process's default metrics. */
  metrics?: ApiMetrics;
  /** The console's production build, served at `/` (console-static.ts has the default). */
  consoleDir?: string;
}

export const DEFAULT_APP_OPTIONS: AppOptions = {
  nodeEnv: 'development',
  corsOrigins: [],
  rateLimits: { userPerMin: 600, apiKeyPerMin: 1200, anonymousPerMin: 60 },
  maxBodyBytes: 5 * 1024 * 1024,
  intakeMaxBodyBytes: 64 * 1024,
  modules: MODULES,
  trustProxy: false,
};

type ServerContext = { req: Request; res: Response };

/** An incoming X-Request-Id is kept when it is a plausible id (a proxy's or the caller's), else one is made. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Routes as metrics labels and log fields: fixed, so scanners cannot blow up label sets, and never the intake key in the path. */
function routeOf(path: string): string {
  if (path === '/graphql' || path === '/health' || path === '/metrics' || path === '/intake' || path === '/session' || path === '/') return path;
  if (path.startsWith('/assets/')) return '/assets';
  if (path.startsWith('/claim/')) return '/claim/:token';
  if (path.startsWith('/intake/')) return '/intake/:sourceKey';
  if (path === '/reports' || path.startsWith('/reports/')) return '/reports';
  return 'other';
}

const INTAKE_OUTCOME: Record<number, string> = { 200: 'duplicate', 201: 'created', 422: 'invalid', 503: 'unavailable' };
const tracer = trace.getTracer('switchyard-api');

/**
 * First on every request: a request id (honouring X-Request-Id, echoed back),
 * a server span joined to the caller's `traceparent` (a no-op unless tracing
 * is on), and, when the response is done, one log line and the request
 * metrics. Everything logged while the request runs carries its request id.
 */
function observeRequests(opts: Pick<AppOptions, 'logger' | 'metrics'>): express.RequestHandler {
  return (req, res, next) => {
    const incoming = req.headers['x-request-id'];
    const requestId = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    res.setHeader('X-Request-Id', requestId);
    const route = routeOf(req.path);
    const started = performance.now();
    const parent = propagation.extract(context.active(), req.headers);
    const span = tracer.startSpan(
      `${req.method} ${route}`,
      { kind: SpanKind.SERVER, attributes: { 'http.request.method': req.method, 'http.route': route, 'switchyard.request_id': requestId } },
      parent,
    );
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      const status = res.headersSent ? res.statusCode : 499;
      const seconds = (performance.now() - started) / 1000;
      span.setAttribute('http.response.status_code', status);
      if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
      opts.metrics?.httpRequests.inc({ route, method: req.method, status: String(status) });
      opts.metrics?.httpDuration.observe({ route, method: req.method }, seconds);
      if (route.startsWith('/intake') && req.method === 'POST') {
        opts.metrics?.intake.inc({ outcome: INTAKE_OUTCOME[status] ?? (status >= 400 && status < 500 ? 'refused' : 'other') });
      }
      const quiet = route === '/health' || route === '/metrics';
      opts.logger?.[quiet ? 'debug' : 'info']({ requestId, method: req.method, route, status, durationMs: Math.round(seconds * 1000) }, 'request');
    };
    res.once('finish', finish);
    res.once('close', finish);
    context.with(trace.setSpan(parent, span), () => withLogFields({ requestId }, next));
  };
}

/**
 * Introspection (and so GraphiQL's schema view) for admins only, except in
 * development where anyone may explore the schema.
 */
function introspectionGuard(allowAll: boolean, authOf: (req: Request) => AuthResult | undefined): Plugin<ServerContext> {
  return {
    onValidate({ addValidationRule, context }) {
      if (allowAll) return;
      const principal = authOf(context.req)?.principal;
      if (principal?.via !== 'user' || principal.actor.role !== 'admin') addValidationRule(NoSchemaIntrospectionCustomRule);
    },
  };
}

export function createApp(deps: ApiDeps, options: Partial<AppOptions> = {}): Express {
  const opts = { ...DEFAULT_APP_OPTIONS, ...options };
  const dev = opts.nodeEnv === 'development';
  const services = createServices(deps);
  const authn = createAuthenticator(deps);

  // The request's credentials, resolved once by the first middleware and read by the rest.
  const auth = new WeakMap<object, AuthResult>();
  const principalOf = (req: Request): Principal | undefined => auth.get(req)?.principal;
  const rateLimit = createRateLimiter(opts.rateLimits, principalOf);

  const yoga = createYoga<ServerContext, ApiContext>({
    schema: buildSchema<ServerContext>(opts.modules),
    graphqlEndpoint: '/graphql',
    // Masking stays on: clients never see internal error messages; the server log does.
    maskedErrors: {
      maskError: (error, message, isDev) => {
        const original = (error as { originalError?: unknown }).originalError;
        if (original && (original as { name?: string }).name !== 'GraphQLError') opts.onInternalError?.(original);
        return maskError(error, message, isDev);
      },
    },
    graphiql: dev,
    landingPage: false,
    // CORS is the express middleware's job, configured from the environment.
    cors: false,
    logging: false,
    context: ({ req }) => {
      const r = auth.get(req);
      return createContext(deps, services, r?.principal, r?.problem, r?.platform === true);
    },
    plugins: [
      introspectionGuard(dev, (req) => auth.get(req)),
      EnvelopArmorPlugin({
        maxDepth: { n: 10, ignoreIntrospection: true },
        // Lists multiply by their literal `first`: a full page of 200 leads with contacts costs about 25,000.
        costLimit: { maxCost: 50_000, ignoreIntrospection: true },
        maxAliases: { n: 15 },
        maxDirectives: { n: 20 },
        maxTokens: { n: 2000 },
        // Suggestions leak the schema to callers who may not introspect it.
        blockFieldSuggestion: { enabled: !dev },
      }),
    ],
  });

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', opts.trustProxy);
  app.use(observeRequests(opts));
  // GraphiQL (development only) loads its scripts from a CDN and runs inline code.
  // The console's page and assets are same-origin, so helmet's default policy fits it, less
  // upgrade-insecure-requests: a stack reached over plain HTTP (compose on localhost) would
  // have every asset rewritten to an https:// URL nothing answers. HSTS still upgrades under TLS.
  app.use(
    helmet({
      contentSecurityPolicy: dev ? false : { directives: { upgradeInsecureRequests: null } },
      crossOriginEmbedderPolicy: false,
    }),
  );
  app.use(
    cors({
      origin: opts.corsOrigins.length ? opts.corsOrigins : false,
      methods: ['GET', 'POST', 'OPTIONS'],
      allowedHeaders: ['content-type', 'authorization', 'x-api-key', 'accept', 'x-csrf-token'],
      maxAge: 600,
    }),
  );

  app.get('/health', async (_req, res) => {
    const health = await checkHealth(deps);
    res.status(health.ok ? 200 : 503).json(health);
  });

  // Prometheus scrapes each replica here; the load balancer in front keeps it private (deploy/nginx.conf).
  if (opts.metrics) {
    const registry = opts.metrics.registry;
    app.get('/metrics', async (_req, res, next) => {
      try {
        res.setHeader('Content-Type', registry.contentType);
        res.send(await registry.metrics());
      } catch (err) {
        next(err);
      }
    });
  }

  app.use(
    '/intake',
    createIntakeRouter(deps, services, authn, {
      maxBodyBytes: opts.intakeMaxBodyBytes,
      rateLimit,
      setPrincipal: (req, principal) => auth.set(req, { principal }),
      principalOf,
      ...(opts.onInternalError ? { onInternalError: opts.onInternalError } : {}),
    }),
  );

  // The console's cookie sign-in (same origin; API clients use bearer tokens).
  app.use('/session', createSessionRouter({ auth: deps.auth, authn, secure: opts.nodeEnv === 'production', rateLimit }));

  const graphqlGate = async (req: Request, res: Response, next: NextFunction) => {
    // The body is read by yoga as a stream: its size is bounded by the declared length.
    if (req.method === 'POST') {
      const length = req.headers['content-length'];
      if (length === undefined) return res.status(411).json({ errors: [{ message: 'Send a Content-Length header.' }] });
      if (Number(length) > opts.maxBodyBytes)
        return res.status(413).json({ errors: [{ message: `The request body is larger than ${opts.maxBodyBytes} bytes.` }] });
    }
    try {
      auth.set(req, await authn.resolve(req));
      next();
    } catch (err) {
      next(err);
    }
  };
  // yoga is a plain (req, res) handler; express' overloads only want the cast.
  app.use(yoga.graphqlEndpoint, graphqlGate, rateLimit, yoga as unknown as express.RequestHandler);

  // CSV exports of the reports (GET /reports/<report>.csv), with the same sign-in and scoping as GraphQL.
  app.use(createReportsCsvRouter({ mongo: deps.mongo, authenticate: authn.authenticate }));
  // The page behind an offer alert's claim link (the signed token is its credential).
  const linkSecret = deps.linkSecret ?? (opts.nodeEnv === 'production' ? undefined : DEV_LINK_SECRET);
  if (linkSecret) app.use('/claim', createClaimLinkRouter({ mongo: deps.mongo, services, secret: linkSecret, ...(deps.now ? { now: deps.now } : {}) }));
  app.use(createSuppressionRouter({ mongo: deps.mongo, resolve: authn.resolve, smsAuthToken: deps.smsAuthToken }));
  opts.mount?.(app, { authenticate: authn.authenticate });
  // The console: the API's first client, same origin, signed in by the session cookie.
  mountConsole(app, opts.consoleDir);
  return app;
}
