import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notificationStore } from '../../db/notification-store.ts';
import { readSseEvents } from '../../testing/sse.ts';
import { leadStore } from '../../db/lead-store.ts';
import { eventStream } from '../../domain/lifecycle/test-events.ts';
import { startApiHarness, type Harness } from '../../testing/api-harness.ts';
import type { GraphQLModule } from '../module.ts';
import { publishOffer } from '../offers-pubsub.ts';

const INTROSPECT = '{ __schema { queryType { name } } }';

// A module whose resolver fails the way a bug would: the client must not see why. Its field is not
// in the API's SDL, so not in the generated resolver types either: hence the assertion.
const brokenModule: GraphQLModule = {
  typeDefs: 'extend type Query { broken: String }',
  resolvers: {
    Query: {
      broken: () => {
        throw new Error('connection string mongodb://secret@db leaked');
      },
    },
  } as GraphQLModule['resolvers'],
};

describe('API hardening', () => {
  let h: Harness;
  const internal: unknown[] = [];
  beforeAll(async () => {
    const { MODULES } = await import('../schema.ts');
    h = await startApiHarness({
      corsOrigins: ['https://ops.example'],
      maxBodyBytes: 20_000,
      modules: [...MODULES, brokenModule],
      onInternalError: (e) => internal.push(e),
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('rejects queries deeper, costlier or more aliased than the limits', async () => {
    const admin = { token: h.tokens.t1!.admin };
    const fine = await h.gql(
      '{ leads { nodes { id returned { reason } contact { visibility } returnWindow { open } } pageInfo { endCursor } } config { sources { config } } }',
      {},
      admin,
    );
    expect(fine.body.errors).toBeUndefined();
    // This schema's own fields nest four deep at most; type references nest without end.
    let sel = 'name';
    for (let i = 0; i < 11; i++) sel = `ofType { ${sel} }`;
    const deep = await h.gql(`{ __type(name: "Lead") { fields { type { ${sel} } } } }`, {}, admin);
    expect(deep.body.errors?.[0]?.message, JSON.stringify(deep.body).slice(0, 300)).toMatch(/Query depth limit of 10 exceeded/);
    const page =
      'leads(first: 200) { nodes { id contact { firstName lastName phone email street city state zip consentIp } returnWindow { closesAt open secondsLeft allowedReasons } returned { reason at creditCents } collaborators { userId permission by at } } }';
    expect((await h.gql(`{ a: ${page} b: ${page} }`, {}, admin)).body.errors).toBeUndefined();
    const costly = await h.gql(`{ a: ${page} b: ${page} c: ${page} }`, {}, admin);
    expect(costly.body.errors?.[0]?.message).toMatch(/Query Cost limit of 50000 exceeded/);
    const aliases = await h.gql(`{ ${Array.from({ length: 20 }, (_, i) => `a${i}: tenant { id }`).join(' ')} }`, {}, admin);
    expect(aliases.body.errors?.[0]?.message).toMatch(/Aliases limit of 15 exceeded/);
  });

  it('refuses a request body over the limit, and a POST without a length', async () => {
    const res = await fetch(`${h.base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ tenant { id } } # ${'x'.repeat(30_000)}` }),
    });
    expect(res.status).toBe(413);
    const stream = new ReadableStream({
      start: (c) => {
        c.enqueue(new TextEncoder().encode('{"query":"{ __typename }"}'));
        c.close();
      },
    });
    const chunked = await fetch(`${h.base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(411);
  });

  it('allows introspection only to admins outside development', async () => {
    const anon = await h.gql(INTROSPECT);
    expect(anon.body.errors?.[0]?.message).toMatch(/introspection has been disabled/);
    const ops = await h.gql(INTROSPECT, {}, { token: h.tokens.t1!.ops });
    expect(ops.body.errors?.[0]?.message).toMatch(/introspection has been disabled/);
    const admin = await h.gql(INTROSPECT, {}, { token: h.tokens.t1!.admin });
    expect(admin.body.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
    // Nor do misspelt fields leak the schema through suggestions.
    const typo = await h.gql('{ tenant { nam } }', {}, { token: h.tokens.t1!.ops });
    expect(typo.body.errors?.[0]?.message).not.toMatch(/Did you mean/);
  });

  it('answers CORS preflights for configured origins only, and sends security headers', async () => {
    const ok = await fetch(`${h.base}/graphql`, {
      method: 'OPTIONS',
      headers: { origin: 'https://ops.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,authorization' },
    });
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://ops.example');
    expect(ok.headers.get('access-control-allow-headers')).toMatch(/authorization/);
    const evil = await fetch(`${h.base}/graphql`, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
    const res = await fetch(`${h.base}/health`);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('strict-transport-security')).toMatch(/max-age/);
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    expect(res.headers.get('x-powered-by')).toBeNull();
  });

  it('masks internal errors for the client and hands them to the server log', async () => {
    const { body } = await h.gql('{ broken }', {}, { token: h.tokens.t1!.admin });
    expect(body.errors).toEqual([
      { message: 'Unexpected error.', locations: expect.any(Array), path: ['broken'], extensions: { code: 'INTERNAL_SERVER_ERROR' } },
    ]);
    expect(JSON.stringify(body)).not.toContain('secret');
    expect(String(internal.at(-1))).toMatch(/connection string/);
  });

  describe('offers subscription over server-sent events', () => {
    type Offered = { leadId: string; round: number; lead: { id: string; contact: { visibility: string } | null } | null };
    const readOffers = (res: Response, count: number, waitMs: number) => readSseEvents<Offered>(res, 'offerReceived', count, waitMs);

    // Agents name their own endpoint: an event stream has no payload to refuse a missing one in.
    const SUB = 'subscription { offerReceived(endpointId: "ag-1") { leadId endpointId round lead { id contact { visibility } } } }';
    const subscribe = (token: string, signal: AbortSignal) =>
      fetch(`${h.base}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: SUB }),
        signal,
      });

    it('sends the open offers, then offers made by another process (inbox poll), then in-process publishes, each once', async () => {
      const ctl = new AbortController();
      const res = await subscribe(h.tokens.t1!.agent, ctl.signal);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);

      // Another process (the worker) offers a new lead to ag-1: its offerLead activity writes the
      // inbox notification first, and the read model shows the offer a moment later.
      await notificationStore(h.mongo).send(
        't1',
        ['ag-1'],
        { leadId: 't1-new-offer', kind: 'offered', message: 'A new lead is offered to you.', at: Date.now() },
        'offered:1',
      );
      await new Promise((r) => setTimeout(r, 1200));
      const ev = eventStream('t1-new-offer', 't1', Date.now());
      await leadStore(h.mongo).append([
        ev({ type: 'received', data: { sourceId: 'src-1', serviceLine: 'plumbing', costCents: 100 } }),
        ev({ type: 'validated', data: { outcome: 'accepted', steps: [], flags: [] } }),
        ev({ type: 'offered', data: { endpointIds: ['ag-1', 'ag-2'], deadlineAt: Date.now() + 600_000, round: 1 } }),
      ]);
      // In-process publishes: a duplicate of a known offer (dropped) and a new round (sent).
      setTimeout(() => {
        publishOffer('t1', 'ag-1', { leadId: h.leads.offered!, round: 1, deadlineAt: Date.now() });
        publishOffer('t1', 'ag-1', { leadId: h.leads.offered!, round: 2, deadlineAt: Date.now() });
        publishOffer('t2', 'ag-1', { leadId: 'other-tenant', round: 1, deadlineAt: Date.now() });
      }, 2500);

      const offers = await readOffers(res, 4, 5000);
      ctl.abort();
      expect(offers.map((o) => `${o.leadId}#${o.round}`)).toEqual([`${h.leads.offered}#1`, 't1-new-offer#1', `${h.leads.offered}#2`]);
      expect(offers[0]).toMatchObject({ endpointId: 'ag-1', lead: { id: h.leads.offered, contact: { visibility: 'masked' } } });
    });

    it('lists an agent’s open offers on request, contact masked until claimed', async () => {
      const { body } = await h.gql(
        '{ myOffers { ok nodes { leadId endpointId round deadlineAt lead { id contact { visibility phone } } } } }',
        {},
        { token: h.tokens.t1!.agent },
      );
      expect(body.data.myOffers.ok).toBe(true);
      const mine = body.data.myOffers.nodes.find((o: { leadId: string }) => o.leadId === h.leads.offered);
      expect(mine).toMatchObject({ endpointId: 'ag-1', round: 1, lead: { id: h.leads.offered, contact: { visibility: 'masked', phone: '•••-•••-0134' } } });
      expect(Date.parse(mine.deadlineAt)).toBeGreaterThan(Date.now());
      // A manager is bound to no endpoint: naming none is a bad argument, answered as data.
      const manager = await h.gql('{ myOffers { ok errors { code message field } nodes { leadId } } }', {}, { token: h.tokens.t1!.manager });
      expect(manager.body.errors).toBeUndefined();
      expect(manager.body.data.myOffers).toEqual({
        ok: false,
        errors: [{ code: 'INVALID_INPUT', message: 'name the endpoint to watch: you are bound to none', field: 'endpointId' }],
        nodes: [],
      });
    });

    it('refuses a subscription that names no endpoint in validation, before any resolver runs', async () => {
      const { body } = await h.gql('subscription { offerReceived { leadId } }', {}, { token: h.tokens.t1!.agent });
      expect(body.data).toBeUndefined();
      expect(body.errors?.[0]?.message).toMatch(/argument "endpointId" of type "ID!" is required/);
    });

    it('lets an agent watch only its own endpoint; vendors and buyers not at all', async () => {
      const other = await h.gql('subscription { offerReceived(endpointId: "ag-2") { leadId } }', {}, { token: h.tokens.t1!.agent });
      expect(other.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      const vendor = await h.gql('subscription { offerReceived(endpointId: "ag-1") { leadId } }', {}, { token: h.tokens.t1!.vendor });
      expect(vendor.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    });
  });
});

describe('API rate limits (in-process, per user, per API key, per address)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startApiHarness({ rateLimits: { userPerMin: 5, apiKeyPerMin: 3, anonymousPerMin: 4 } });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('answers 429 with Retry-After past each budget, counting callers apart', async () => {
    const statuses = async (n: number, auth?: { token?: string; apiKey?: string }) => {
      const out: number[] = [];
      for (let i = 0; i < n; i++) out.push((await h.gql('{ __typename }', {}, auth)).status);
      return out;
    };
    expect(await statuses(6, { token: h.tokens.t1!.ops })).toEqual([200, 200, 200, 200, 200, 429]);
    // Another user has a budget of their own.
    expect(await statuses(2, { token: h.tokens.t1!.admin })).toEqual([200, 200]);
    expect(await statuses(4, { apiKey: h.keys.t1 })).toEqual([200, 200, 200, 429]);
    expect(await statuses(5)).toEqual([200, 200, 200, 200, 429]);
    const res = await fetch(`${h.base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${h.tokens.t1!.ops}` },
      body: '{"query":"{ __typename }"}',
    });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await res.json()).errors[0].extensions.code).toBe('RATE_LIMITED');
    // The intake endpoint shares the key's budget.
    const intake = await fetch(`${h.base}/intake/${h.keys.t1}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(intake.status).toBe(429);
    // Guessing keys spends the address's budget (already spent above): no endless 401s to learn from.
    const guess = await fetch(`${h.base}/intake/sy_live_guess`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(guess.status).toBe(429);
  });
});

describe('development mode', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startApiHarness({ nodeEnv: 'development' });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('lets anyone introspect and serves GraphiQL', async () => {
    expect((await h.gql(INTROSPECT)).body.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
    const page = await fetch(`${h.base}/graphql`, { headers: { accept: 'text/html' } });
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(await page.text()).toMatch(/GraphiQL/i);
  });
});
