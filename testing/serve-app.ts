// The API app as the test harnesses run it: on a free local port, errors
// printed, rate limits out of the way, and a GraphQL client that posts as a
// signed-in user or as a source with its API key.
import type { AddressInfo } from 'node:net';
import { createApp, type AppOptions } from '../api/server.ts';

export interface GqlResponse {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests walk GraphQL answers freely; expect() checks them
  body: { data?: any; errors?: Array<{ message: string; extensions?: { code?: string } }> };
}

export type GqlCall = (
  query: string,
  variables?: Record<string, unknown>,
  auth?: { token?: string; apiKey?: string; platform?: string },
) => Promise<GqlResponse>;

export interface ServedApp {
  base: string;
  gql: GqlCall;
  close(): Promise<void>;
}

export async function serveTestApp(deps: Parameters<typeof createApp>[0], options: Partial<AppOptions> = {}, port = 0): Promise<ServedApp> {
  const app = createApp(deps, {
    nodeEnv: 'test',
    onInternalError: (err) => console.error('internal error', err),
    rateLimits: { userPerMin: 100_000, apiKeyPerMin: 100_000, anonymousPerMin: 100_000 },
    ...options,
  });
  const server = app.listen(port, '127.0.0.1');
  await new Promise<void>((r) => server.once('listening', () => r()));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const gql: GqlCall = async (query, variables, authn) => {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/graphql-response+json' };
    if (authn?.token) headers.authorization = `Bearer ${authn.token}`;
    if (authn?.apiKey) headers['x-api-key'] = authn.apiKey;
    if (authn?.platform) headers['x-platform-token'] = authn.platform;
    const res = await fetch(`${base}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
    return { status: res.status, body: (await res.json()) as GqlResponse['body'] };
  };

  return { base, gql, close: () => new Promise<void>((r) => server.close(() => r())) };
}
