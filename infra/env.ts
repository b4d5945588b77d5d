import { z } from 'zod';
import { parseTenantQueues } from './task-queues.ts';

/** The platform operator credential under `npm start` and in tests only: production sets PLATFORM_TOKEN. */
export const DEV_PLATFORM_TOKEN = 'switchyard-development-platform-token';

const EnvSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    MONGODB_URI: z.string().url().default('mongodb://127.0.0.1:27017/switchyard'),
    TEMPORAL_ADDRESS: z.string().min(1).default('127.0.0.1:7233'),
    TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
    TEMPORAL_TASK_QUEUE: z.string().min(1).default('switchyard'),
    PORT: z.coerce.number().int().min(0).max(65535).default(4000),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** `json` (one object per line, for collectors) or `pretty` (for people; `npm start` sets it). */
    LOG_FORMAT: z.enum(['json', 'pretty']).default('json'),
    /** The worker's Prometheus endpoint (`/metrics`, `/health`); 0 turns it off. The API serves /metrics on PORT. */
    WORKER_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9464),
    WORKER_METRICS_HOST: z.string().min(1).default('0.0.0.0'),
    /**
     * How long a process trusts the latest configuration version and a valid
     * API key it looked up before looking again: a published change or a
     * revoke made elsewhere applies within this long (at once in the process
     * that made it). 0 looks on every use, at a database read per use.
     */
    FRESHNESS_MS: z.coerce.number().int().min(0).max(60_000).default(1000),
    /** How long SIGTERM waits for in-flight work (activities, workflow tasks, HTTP requests) before giving up. */
    SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(30_000),
    /** Task queues of partitioned tenants are named PREFIX + partition. */
    TEMPORAL_TASK_QUEUE_PREFIX: z.string().min(1).default('switchyard-'),
    /** Tenants with a task queue of their own: `acme,globex` (queue per tenant) or `acme=big,globex=big` (named partitions). Others use TEMPORAL_TASK_QUEUE. */
    TENANT_TASK_QUEUES: z.string().default(''),
    /** A worker for some tenants only: polls their queues (comma-separated tenant ids); empty polls TEMPORAL_TASK_QUEUE. */
    WORKER_TENANTS: z.string().default(''),
    // Each cached workflow holds its own instance of every bundle module (about
    // 3 MB measured: 1,000 cached took the worker to 3.4 GB); waiting leads need
    // no cache (a claim or timer replays them in milliseconds), only leads in
    // flight do. 100 held the worker at about 800 MB under load (BENCHMARKS.md).
    WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().positive().default(100),
    /** The platform operator's credential (X-Platform-Token) for creating tenants, 32+ characters; without it no tenant can be created over the API. */
    PLATFORM_TOKEN: z.string().min(32, 'must be at least 32 characters').optional(),
    /** HS256 secret for sign-in tokens, 32+ bytes; required in production (api/main.ts refuses to start without it). */
    JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    /** Signs the claim links in offer alerts (HMAC-SHA256), 32+ characters; the worker signs, the API verifies, so both need the same one. Required in production. */
    LINK_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    /** Where people reach the API from outside (claim links in alerts point here). */
    PUBLIC_URL: z.string().url().default('http://localhost:4000'),
    TOKEN_TTL_SEC: z.coerce
      .number()
      .int()
      .positive()
      .default(8 * 3600),
    /** Origins allowed to call the API from a browser, comma-separated; empty allows none. */
    CORS_ORIGINS: z.string().default(''),
    /** Requests per minute per user, per API key, and per address for anonymous callers. */
    RATE_LIMIT_USER_PER_MIN: z.coerce.number().int().positive().default(600),
    RATE_LIMIT_KEY_PER_MIN: z.coerce.number().int().positive().default(1200),
    RATE_LIMIT_ANON_PER_MIN: z.coerce.number().int().positive().default(60),
    /** Reverse proxies in front of the API (their X-Forwarded-For names the client); 0 when clients connect directly. */
    TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
    /** Largest GraphQL request body (a whole-tenant import travels in one). */
    MAX_BODY_BYTES: z.coerce
      .number()
      .int()
      .positive()
      .default(5 * 1024 * 1024),
    /** 32 bytes, base64: seals personal data at rest. Required in production; development and tests use a fixed key. */
    PII_KEY: z.string().optional(),
    /** smtp(s)://user:pass@host:port for email deliveries and acknowledgements; email is off without it. */
    SMTP_URL: z.string().url().optional(),
    SMTP_FROM: z.string().default('leads@switchyard.local'),
    /** A JSON SMS gateway ({ from, to, body }); SMS is off without it. */
    SMS_URL: z.string().url().optional(),
    SMS_TOKEN: z.string().optional(),
    /** The SMS provider's auth token (Twilio's): it signs inbound messages to /webhooks/sms/:tenantId, where a STOP is an opt-out. */
    SMS_AUTH_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
    SMS_FROM: z.string().default('+15005550006'),
    /** Twilio's Messages API for SMS (with SMS_AUTH_TOKEN as its auth token); takes precedence over SMS_URL. */
    TWILIO_ACCOUNT_SID: z
      .string()
      .regex(/^AC[0-9a-fA-F]{32}$/, 'must be a Twilio account SID (AC and 32 hex digits)')
      .optional(),
    /** Send through a Twilio Messaging Service (MG…) instead of the SMS_FROM number. */
    TWILIO_MESSAGING_SERVICE_SID: z.string().optional(),
    /** Twilio's API base; a local receiver speaking the same API in tests. */
    TWILIO_API_URL: z.string().url().default('https://api.twilio.com'),
  })
  .superRefine((e, ctx) => {
    const partitions = parseTenantQueues(e.TENANT_TASK_QUEUES);
    if (!partitions.ok) ctx.addIssue({ code: 'custom', path: ['TENANT_TASK_QUEUES'], message: partitions.error });
    if (e.TWILIO_ACCOUNT_SID && !e.SMS_AUTH_TOKEN)
      ctx.addIssue({ code: 'custom', path: ['SMS_AUTH_TOKEN'], message: 'is required with TWILIO_ACCOUNT_SID (it is the account’s auth token)' });
    // The worker signs claim links and the API verifies them: a development secret in production would let anyone forge one.
    if (e.NODE_ENV === 'production' && !e.LINK_SECRET)
      ctx.addIssue({
        code: 'custom',
        path: ['LINK_SECRET'],
        message: 'is required in production (32+ random characters, the same for the API and every worker)',
      });
    if (e.NODE_ENV === 'production' && !e.PII_KEY)
      ctx.addIssue({ code: 'custom', path: ['PII_KEY'], message: 'is required in production (32 random bytes, base64)' });
  });

export type Env = z.infer<typeof EnvSchema>;

/** Reads and checks the environment once; a bad value stops the process with every problem named. */
export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  // An empty variable is an unset one (compose's `${NAME:-}` passes "" for what was not given).
  const parsed = EnvSchema.safeParse(Object.fromEntries(Object.entries(source).filter(([, v]) => v !== '')));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join('\n')}`);
  }
  return parsed.data;
}
