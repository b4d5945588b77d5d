import { apiKeyModel } from '../db/models/api-key.ts';
import { tenantModel } from '../db/models/tenant.ts';
import { userModel } from '../db/models/user.ts';
import type { Role } from '../domain/lifecycle/actor.ts';
import type { AlertSettings } from '../schema/alert-settings.ts';
import { createPiiCodec, DEV_PII_KEY } from '../infra/pii.ts';
import { apiKeys } from '../services/api-keys.ts';
import type { AppOptions } from '../api/server.ts';
import { authService } from '../services/auth.ts';
import { PASSWORD, TEST_JWT_SECRET } from './api-harness.ts';
import { serveTestApp, type GqlCall } from './serve-app.ts';
import { startLeadHarness, type HarnessOptions, type LeadHarness } from './lead-harness.ts';
import { DEV_PLATFORM_TOKEN } from '../infra/env.ts';

export interface TestUser {
  email: string;
  role: Role;
  endpointId?: string;
  sourceId?: string;
  name?: string;
  alerts?: AlertSettings;
}

export interface LeadApiHarness extends LeadHarness {
  /** The API's base URL (express + yoga, intake included). */
  base: string;
  /** Bearer tokens by user email. */
  tokens: Record<string, string>;
  /** An API key per source named in `apiKeysFor`. */
  keys: Record<string, string>;
  gql: GqlCall;
  /** Shorthand: a query as the user with this email; GraphQL errors fail the test. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests walk GraphQL answers freely; expect() checks them
  as(email: string, query: string, variables?: Record<string, unknown>): Promise<any>;
}

/**
 * The whole system in one process against the real servers: a worker with
 * every real activity on the Temporal dev server (startLeadHarness), and the
 * API app on the same database and task queue, with signed-in users and
 * source API keys. Leads enter through the API as a source would post them.
 */
export async function startLeadApiHarness(
  opts: Omit<HarnessOptions, 'kind'> & {
    users: TestUser[];
    apiKeysFor?: string[];
    /** The dev server unless told otherwise; on the time-skipping server the API's updates go to the same test server. */
    kind?: HarnessOptions['kind'];
    /** Serve the API on this port (claim links must know it before the worker starts); a free one when absent. */
    port?: number;
    /** Options of the API app (the console's build directory). */
    app?: Partial<AppOptions>;
  },
): Promise<LeadApiHarness> {
  const h = await startLeadHarness({ ...opts, kind: opts.kind ?? 'dev-server' });
  const { mongo, tenantId } = h;
  await Promise.all([userModel, apiKeyModel].map((m) => m(mongo).createIndexes()));
  await tenantModel(mongo).create({ _id: tenantId, name: `Tenant ${tenantId}`, createdAt: new Date() });
  const auth = authService(mongo, { jwtSecret: TEST_JWT_SECRET, tokenTtlSec: 3600 });

  const tokens: Record<string, string> = {};
  for (const u of opts.users) {
    await auth.createUser({
      tenantId,
      email: u.email,
      name: u.name ?? u.email,
      role: u.role,
      password: PASSWORD,
      ...(u.endpointId ? { endpointId: u.endpointId } : {}),
      ...(u.sourceId ? { sourceId: u.sourceId } : {}),
    });
    if (u.alerts) await userModel(mongo).updateOne({ _id: `${tenantId}:${u.email}` }, { $set: { alerts: u.alerts } });
    const signed = await auth.signIn(tenantId, u.email, PASSWORD);
    if (!signed.ok) throw new Error(`sign-in of ${u.email} failed`);
    tokens[u.email] = signed.token;
  }
  const keys: Record<string, string> = {};
  for (const sourceId of opts.apiKeysFor ?? []) keys[sourceId] = (await apiKeys(mongo).issue(tenantId, sourceId, 'harness')).key;

  const served = await serveTestApp(
    {
      mongo,
      temporal: h.client,
      namespace: 'default',
      taskQueue: h.taskQueue,
      auth,
      pii: createPiiCodec(DEV_PII_KEY),
      platformToken: DEV_PLATFORM_TOKEN,
      ...(opts.deps?.links ? { linkSecret: opts.deps.links.secret } : {}),
    },
    opts.app ?? {},
    opts.port ?? 0,
  );
  const { base, gql } = served;

  const close = h.close;
  return Object.assign(h, {
    base,
    tokens,
    keys,
    gql,
    async as(email: string, query: string, variables?: Record<string, unknown>) {
      const token = tokens[email];
      if (!token) throw new Error(`no test user ${email}`);
      const { body } = await gql(query, variables, { token });
      if (body.errors?.length) throw new Error(`GraphQL errors for ${email}: ${JSON.stringify(body.errors)}`);
      // eslint-disable-next-line @typescript-eslint/no-unsafe-return -- the `any` of GqlResponse, passed on as declared above
      return body.data;
    },
    async close() {
      await served.close();
      await close();
    },
  });
}

/** Polls until `check` returns a value (not undefined), or fails after `timeoutMs`. */
export async function eventually<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > until) throw new Error(`${what} did not happen in ${timeoutMs} ms${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}
