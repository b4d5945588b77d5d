import { z } from 'zod';

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  MONGODB_URI: z.string().url().default('mongodb://127.0.0.1:27017/switchyard'),
  TEMPORAL_ADDRESS: z.string().min(1).default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('switchyard'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().positive().default(2000),
  /** 32 bytes, base64: seals personal data at rest. Required in production; development and tests use a fixed key. */
  PII_KEY: z.string().optional(),
  /** smtp(s)://user:pass@host:port for email deliveries and acknowledgements; email is off without it. */
  SMTP_URL: z.string().url().optional(),
  SMTP_FROM: z.string().default('leads@switchyard.local'),
  /** A JSON SMS gateway ({ from, to, body }); SMS is off without it. */
  SMS_URL: z.string().url().optional(),
  SMS_TOKEN: z.string().optional(),
  SMS_FROM: z.string().default('+15005550006'),
}).superRefine((e, ctx) => {
  if (e.NODE_ENV === 'production' && !e.PII_KEY) ctx.addIssue({ code: 'custom', path: ['PII_KEY'], message: 'is required in production (32 random bytes, base64)' });
});

export type Env = z.infer<typeof EnvSchema>;

/** Reads and checks the environment once; a bad value stops the process with every problem named. */
export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const parsed = EnvSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join('\n')}`);
  }
  return parsed.data;
}
