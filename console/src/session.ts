import { Client, cacheExchange, fetchExchange } from '@urql/core';

export type Role = 'admin' | 'ops' | 'manager' | 'agent' | 'vendor' | 'buyer';

export interface Me {
  userId: string;
  tenantId: string;
  role: Role;
  endpointId?: string;
  sourceId?: string;
}

export interface Session {
  me: Me;
  csrfToken: string;
}

export interface UserError {
  code: string;
  message: string;
  field?: string | null;
}

/**
 * The browser's sign-in: the session cookie is httpOnly (page scripts never
 * see the token); the CSRF token the server hands back goes in a header with
 * every request, which another site cannot add.
 */
export async function restoreSession(): Promise<Session | undefined> {
  const res = await fetch('/session', { credentials: 'same-origin' });
  return res.ok ? ((await res.json()) as Session) : undefined;
}

export async function signIn(tenantId: string, email: string, password: string): Promise<{ session?: Session; errors: UserError[] }> {
  const res = await fetch('/session', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ tenantId, email, password }),
  });
  const body = (await res.json()) as Session & { errors?: UserError[] };
  return res.ok ? { session: { me: body.me, csrfToken: body.csrfToken }, errors: [] } : { errors: body.errors ?? [] };
}

export async function signOut(session: Session): Promise<void> {
  await fetch('/session', { method: 'DELETE', credentials: 'same-origin', headers: { 'x-csrf-token': session.csrfToken } });
}

/** The GraphQL client for one session: the API's contract, nothing the console has to itself. */
export function graphqlClient(session: Session): Client {
  return new Client({
    url: '/graphql',
    exchanges: [cacheExchange, fetchExchange],
    // Lists change under other people's hands (claims, lapses): always ask.
    requestPolicy: 'cache-and-network',
    fetchOptions: () => ({ credentials: 'same-origin', headers: { 'x-csrf-token': session.csrfToken } }),
  });
}
