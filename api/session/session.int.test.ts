import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, startApiHarness, type Harness } from '../../testing/api-harness.ts';

/** The console's cookie sign-in against the real server: httpOnly cookie, CSRF header, sign-out. */
describe('browser session (cookie + CSRF header)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startApiHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  const signIn = (body: unknown) => fetch(`${h.base}/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const gql = (query: string, headers: Record<string, string>) =>
    fetch(`${h.base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query }) }).then(
      (r) => r.json() as Promise<{ data?: any; errors?: Array<{ message: string; extensions?: { code?: string } }> }>,
    );

  it('signs in with an httpOnly, SameSite=Strict cookie and hands the page its CSRF token', async () => {
    const res = await signIn({ tenantId: 't1', email: 'agent@test', password: PASSWORD });
    expect(res.status).toBe(200);
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^sy_session=[\w.-]+; Path=\/; HttpOnly; SameSite=Strict; Max-Age=\d+$/);
    const body = (await res.json()) as { me: { userId: string; role: string; endpointId: string }; csrfToken: string };
    expect(body.me).toMatchObject({ userId: 't1:agent@test', role: 'agent', endpointId: 'ag-1', via: 'user' });
    const session = cookie.split(';')[0]!;

    // With the cookie and the header: signed in. With the cookie alone (what another site can make a browser send): refused.
    expect((await gql('{ me { userId } }', { cookie: session, 'x-csrf-token': body.csrfToken })).data.me).toEqual({ userId: 't1:agent@test' });
    const forged = await gql('{ tenant { id } }', { cookie: session });
    expect(forged.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(forged.errors?.[0]?.message).toMatch(/X-CSRF-Token/);
    // Another session's CSRF token does not fit this cookie.
    const other = (await (await signIn({ tenantId: 't1', email: 'ops@test', password: PASSWORD })).json()) as { csrfToken: string };
    expect((await gql('{ tenant { id } }', { cookie: session, 'x-csrf-token': other.csrfToken })).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

    // A reloaded page asks for its session again, then signs out; the cookie is cleared and no longer works.
    const again = await fetch(`${h.base}/session`, { headers: { cookie: session } });
    expect(((await again.json()) as { csrfToken: string }).csrfToken).toBe(body.csrfToken);
    expect((await fetch(`${h.base}/session`, { method: 'DELETE', headers: { cookie: session } })).status).toBe(403);
    const out = await fetch(`${h.base}/session`, { method: 'DELETE', headers: { cookie: session, 'x-csrf-token': body.csrfToken } });
    expect(out.status).toBe(200);
    expect(out.headers.get('set-cookie')).toMatch(/^sy_session=; .*Max-Age=0/);
  });

  it('refuses wrong credentials and bad bodies with specific errors', async () => {
    const wrong = await signIn({ tenantId: 't1', email: 'agent@test', password: 'not the password' });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ ok: false, errors: [{ code: 'INVALID_CREDENTIALS', message: 'Wrong tenant, email or password.' }] });
    const bad = await signIn({ tenantId: '', email: 'agent@test' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { errors: Array<{ field: string }> }).errors.map((e) => e.field).sort()).toEqual(['password', 'tenantId']);
    expect((await fetch(`${h.base}/session`)).status).toBe(401);
  });
});
