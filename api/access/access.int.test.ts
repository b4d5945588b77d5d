import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, startApiHarness, type Harness } from '../../testing/api-harness.ts';

describe('sign-in, users and API keys over GraphQL', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startApiHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  const SIGN_IN =
    'mutation($t: ID!, $e: String!, $p: String!) { signIn(tenantId: $t, email: $e, password: $p) { ok token expiresAt me { userId role tenantId endpointId via } errors { code message } } }';

  it('signs in, and the token identifies the caller as a Bearer header', async () => {
    const { body } = await h.gql(SIGN_IN, { t: 't1', e: 'Agent@Test', p: PASSWORD });
    expect(body.data.signIn).toMatchObject({
      ok: true,
      me: { userId: 't1:agent@test', role: 'agent', tenantId: 't1', endpointId: 'ag-1', via: 'user' },
      errors: [],
    });
    expect(Date.parse(body.data.signIn.expiresAt)).toBeGreaterThan(Date.now());
    const me = await h.gql('{ me { userId role via } }', {}, { token: body.data.signIn.token });
    expect(me.body.data.me).toEqual({ userId: 't1:agent@test', role: 'agent', via: 'user' });
  });

  it('gives the same typed refusal for a wrong password, an unknown user and another tenant', async () => {
    for (const v of [
      { t: 't1', e: 'agent@test', p: 'wrong password!' },
      { t: 't1', e: 'nobody@test', p: PASSWORD },
      { t: 't3', e: 'agent@test', p: PASSWORD },
    ]) {
      const { body } = await h.gql(SIGN_IN, v);
      expect(body.data.signIn).toEqual({
        ok: false,
        token: null,
        expiresAt: null,
        me: null,
        errors: [{ code: 'INVALID_CREDENTIALS', message: expect.any(String) }],
      });
    }
  });

  it('answers anonymous, malformed and forged credentials with UNAUTHENTICATED', async () => {
    expect((await h.gql('{ me { userId } }')).body.data.me).toBeNull();
    const anon = await h.gql('{ tenant { id } }');
    expect(anon.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const forged = await h.gql('{ tenant { id } }', {}, { token: `${h.tokens.t1!.admin.slice(0, -4)}AAAA` });
    expect(forged.body.errors?.[0]).toMatchObject({ message: expect.stringMatching(/token is invalid or expired/), extensions: { code: 'UNAUTHENTICATED' } });
    const res = await fetch(`${h.base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Basic abc' },
      body: JSON.stringify({ query: '{ tenant { id } }' }),
    });
    expect((await res.json()).errors[0].message).toMatch(/Bearer/);
  });

  it('lets an admin create users bound to endpoints and sources, checking every field', async () => {
    const CREATE =
      'mutation($i: CreateUserInput!) { createUser(input: $i) { ok user { userId role endpointId sourceId disabled } errors { code field message } } }';
    const admin = { token: h.tokens.t1!.admin };
    const ok = await h.gql(
      CREATE,
      { i: { email: 'New.Agent@Acme.Test', name: 'New', role: 'agent', password: 'a long enough password', endpointId: 'ag-2' } },
      admin,
    );
    expect(ok.body.data.createUser).toEqual({
      ok: true,
      user: { userId: 't1:new.agent@acme.test', role: 'agent', endpointId: 'ag-2', sourceId: null, disabled: false },
      errors: [],
    });

    const taken = await h.gql(CREATE, { i: { email: 'new.agent@acme.test', name: 'Again', role: 'ops', password: 'a long enough password' } }, admin);
    expect(taken.body.data.createUser.errors).toEqual([{ code: 'EMAIL_TAKEN', field: 'email', message: 'already has a user in this tenant' }]);

    const bad = await h.gql(CREATE, { i: { email: 'x@acme.test', name: 'X', role: 'vendor', password: 'short' } }, admin);
    expect(bad.body.data.createUser.errors).toEqual([{ code: 'INVALID_INPUT', field: 'password', message: 'must be at least 12 characters' }]);
    const unbound = await h.gql(CREATE, { i: { email: 'x@acme.test', name: 'X', role: 'vendor', password: 'a long enough password' } }, admin);
    expect(unbound.body.data.createUser.errors).toEqual([{ code: 'INVALID_INPUT', field: 'sourceId', message: 'is required for the vendor role' }]);
    const missing = await h.gql(
      CREATE,
      { i: { email: 'x@acme.test', name: 'X', role: 'buyer', password: 'a long enough password', endpointId: 'nope' } },
      admin,
    );
    expect(missing.body.data.createUser.errors).toEqual([{ code: 'INVALID_INPUT', field: 'endpointId', message: '"nope" is not an endpoint of this tenant' }]);

    const byOps = await h.gql(
      CREATE,
      { i: { email: 'y@acme.test', name: 'Y', role: 'admin', password: 'a long enough password' } },
      { token: h.tokens.t1!.ops },
    );
    expect(byOps.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('disables a user: their existing token stops working at once, and enabling restores it', async () => {
    const signed = await h.gql(SIGN_IN, { t: 't1', e: 'new.agent@acme.test', p: 'a long enough password' });
    const token = signed.body.data.signIn.token as string;
    expect((await h.gql('{ me { userId } }', {}, { token })).body.data.me.userId).toBe('t1:new.agent@acme.test');

    const off = await h.gql('mutation { disableUser(userId: "t1:new.agent@acme.test") { ok user { disabled } } }', {}, { token: h.tokens.t1!.admin });
    expect(off.body.data.disableUser).toEqual({ ok: true, user: { disabled: true } });
    const refused = await h.gql('{ leads { nodes { id } } }', {}, { token });
    expect(refused.body.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/no longer matches an active user/),
      extensions: { code: 'UNAUTHENTICATED' },
    });
    expect((await h.gql(SIGN_IN, { t: 't1', e: 'new.agent@acme.test', p: 'a long enough password' })).body.data.signIn.ok).toBe(false);

    await h.gql('mutation { enableUser(userId: "t1:new.agent@acme.test") { ok } }', {}, { token: h.tokens.t1!.admin });
    expect((await h.gql('{ me { userId } }', {}, { token })).body.data.me.userId).toBe('t1:new.agent@acme.test');

    const other = await h.gql('mutation { disableUser(userId: "t2:agent@test") { ok errors { code } } }', {}, { token: h.tokens.t1!.admin });
    expect(other.body.data.disableUser).toEqual({ ok: false, errors: [{ code: 'NOT_FOUND' }] });
    const users = await h.gql('{ users { userId } }', {}, { token: h.tokens.t1!.admin });
    expect(users.body.data.users.every((u: { userId: string }) => u.userId.startsWith('t1:'))).toBe(true);
  });

  it('issues a key shown once, lists it by prefix only, rotates without a gap and revokes', async () => {
    const ops = { token: h.tokens.t1!.ops };
    const issued = await h.gql('mutation { issueApiKey(sourceId: "src-2") { ok key apiKey { id sourceId prefix revokedAt } } }', {}, ops);
    const { key, apiKey } = issued.body.data.issueApiKey;
    expect(key).toMatch(/^sy_live_/);
    expect(apiKey).toMatchObject({ sourceId: 'src-2', prefix: key.slice(0, 14), revokedAt: null });

    const listed = await h.gql('{ apiKeys(sourceId: "src-2") { id prefix revokedAt } }', {}, ops);
    expect(JSON.stringify(listed.body)).not.toContain(key);
    expect(listed.body.data.apiKeys).toEqual([{ id: apiKey.id, prefix: apiKey.prefix, revokedAt: null }]);

    const me = await h.gql('{ me { role via tenantId } }', {}, { apiKey: key });
    expect(me.body.data.me).toEqual({ role: 'vendor', via: 'api_key', tenantId: 't1' });

    const rotated = await h.gql('mutation { rotateApiKey(sourceId: "src-2") { ok key } }', {}, ops);
    const newKey = rotated.body.data.rotateApiKey.key as string;
    expect((await h.gql('{ me { via } }', {}, { apiKey: key })).body.data.me.via).toBe('api_key');

    const revoked = await h.gql('mutation($k: ID!) { revokeApiKey(sourceId: "src-2", keyId: $k) { ok errors { code } } }', { k: apiKey.id }, ops);
    expect(revoked.body.data.revokeApiKey).toEqual({ ok: true, errors: [] });
    const dead = await h.gql('{ me { via } }', {}, { apiKey: key });
    expect(dead.body.data.me).toBeNull();
    expect((await h.gql('{ me { via } }', {}, { apiKey: newKey })).body.data.me.via).toBe('api_key');

    const prefixOnly = await h.gql('mutation { revokeApiKey(sourceId: "src-2", keyId: "") { ok errors { code field } } }', {}, ops);
    expect(prefixOnly.body.data.revokeApiKey).toEqual({ ok: false, errors: [{ code: 'INVALID_INPUT', field: 'keyId' }] });
    const unknownSource = await h.gql('mutation { issueApiKey(sourceId: "nope") { ok errors { code field } } }', {}, ops);
    expect(unknownSource.body.data.issueApiKey).toEqual({ ok: false, errors: [{ code: 'NOT_FOUND', field: 'sourceId' }] });
    // A key cannot do anything but submit leads.
    const keyTries = await h.gql('{ leads { nodes { id } } }', {}, { apiKey: newKey });
    expect(keyTries.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
