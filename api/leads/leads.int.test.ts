import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../domain/lifecycle/actor.ts';
import { startApiHarness, type Harness } from '../../testing/api-harness.ts';

describe('lead queries and portals over GraphQL', () => {
  let h: Harness;
  const as = (role: Role, tenant = 't1') => ({ token: h.tokens[tenant]![role] });
  beforeAll(async () => {
    h = await startApiHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  const ids = async (role: Role, query = '{ leads(first: 100) { nodes { id } } }', field = 'leads') => {
    const { body } = await h.gql(query, {}, as(role));
    expect(body.errors).toBeUndefined();
    return (body.data[field].nodes as Array<{ id: string }>).map((n) => n.id).sort();
  };
  const L = (...names: string[]) => names.map((n) => h.leads[n]!).sort();

  it('scopes leads by role: staff all, agents theirs, vendors their source, buyers their deliveries', async () => {
    const all = L('offered', 'ownedAg2', 'sharedView', 'delivered', 'returned', 'rejected', 'ownedAg1Src2', 'deliveredClosed');
    for (const role of ['admin', 'ops', 'manager'] as const) expect(await ids(role)).toEqual(all);
    expect(await ids('agent')).toEqual(L('offered', 'sharedView', 'ownedAg1Src2'));
    expect(await ids('vendor')).toEqual(L('offered', 'ownedAg2', 'delivered', 'returned', 'rejected'));
    expect(await ids('buyer')).toEqual(L('delivered', 'returned', 'deliveredClosed'));
  });

  it('answers lead(id) with null for a lead the caller may not see, and for another tenant’s', async () => {
    const q = 'query($id: ID!) { lead(id: $id) { id } }';
    expect((await h.gql(q, { id: h.leads.ownedAg2 }, as('agent'))).body.data.lead).toBeNull();
    expect((await h.gql(q, { id: h.leads.ownedAg1Src2 }, as('vendor'))).body.data.lead).toBeNull();
    expect((await h.gql(q, { id: h.leads.offered }, as('buyer'))).body.data.lead).toBeNull();
    expect((await h.gql(q, { id: h.leads.offered }, as('admin', 't2'))).body.data.lead).toBeNull();
    expect((await h.gql(q, { id: h.leads.offered }, as('agent'))).body.data.lead).toEqual({ id: h.leads.offered });
  });

  it('filters by status, source, endpoint, service line and date range, and pages with a cursor', async () => {
    const q = (filter: unknown) => h.gql('query($f: LeadFilter) { leads(filter: $f, first: 100) { nodes { id } } }', { f: filter }, as('ops'));
    const got = async (filter: unknown) => ((await q(filter)).body.data.leads.nodes as Array<{ id: string }>).map((n) => n.id).sort();
    expect(await got({ status: ['rejected'] })).toEqual(L('rejected'));
    expect(await got({ sourceId: 'src-2' })).toEqual(L('sharedView', 'ownedAg1Src2', 'deliveredClosed'));
    expect(await got({ endpointId: 'ag-1' })).toEqual(L('offered', 'ownedAg1Src2'));
    expect(await got({ serviceLine: 'hvac' })).toEqual([]);
    const now = Date.now();
    expect(await got({ receivedFrom: new Date(now - 2.2 * 3600_000).toISOString(), receivedTo: new Date(now - 1.2 * 3600_000).toISOString() })).toEqual(
      L('returned', 'rejected'),
    );

    const seen: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 10; i++) {
      const { body } = await h.gql(
        'query($a: String) { leads(first: 3, after: $a) { nodes { id receivedAt } pageInfo { endCursor hasNextPage } } }',
        { a: after },
        as('ops'),
      );
      seen.push(...body.data.leads.nodes.map((n: { id: string }) => n.id));
      const times = body.data.leads.nodes.map((n: { receivedAt: string }) => Date.parse(n.receivedAt));
      expect(times).toEqual([...times].sort((a, b) => b - a));
      if (!body.data.leads.pageInfo.hasNextPage) break;
      after = body.data.leads.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(8);
    expect(new Set(seen).size).toBe(8);

    // Bad page arguments are data: no GraphQL error, no leads, the argument named.
    const bad = await h.gql('{ leads(after: "garbage") { ok errors { code message field } nodes { id } pageInfo { hasNextPage } } }', {}, as('ops'));
    expect(bad.body.errors).toBeUndefined();
    expect(bad.body.data.leads).toEqual({
      ok: false,
      errors: [{ code: 'INVALID_INPUT', message: '"after" is not a cursor this API gave out', field: 'after' }],
      nodes: [],
      pageInfo: { hasNextPage: false },
    });
    const big = await h.gql('{ leads(first: 201) { ok errors { code message field } nodes { id } } }', {}, as('ops'));
    expect(big.body.data.leads).toEqual({
      ok: false,
      errors: [{ code: 'INVALID_INPUT', message: '"first" must be between 1 and 200', field: 'first' }],
      nodes: [],
    });
    const good = await h.gql('{ leads(first: 1) { ok errors { code } } }', {}, as('ops'));
    expect(good.body.data.leads).toEqual({ ok: true, errors: [] });
  });

  const CONTACT = 'query($id: ID!) { lead(id: $id) { contact { visibility firstName lastName phone email street city zip consentIp fields } } }';
  const contactAs = async (role: Role, lead: string) => (await h.gql(CONTACT, { id: h.leads[lead] }, as(role))).body.data.lead?.contact;
  const CLEAR = {
    visibility: 'clear',
    firstName: 'Ada',
    lastName: 'Lovelace',
    phone: '+12145550134',
    email: 'ada@example.com',
    street: '1200 Main Street',
    city: 'Dallas',
    zip: '75201',
    consentIp: '203.0.113.7',
    fields: { budget: '5000' },
  };
  const MASKED = {
    visibility: 'masked',
    firstName: 'Ada',
    lastName: 'L.',
    phone: '•••-•••-0134',
    email: 'a•••@example.com',
    street: '••• M••• S•••',
    city: 'Dallas',
    zip: '75201',
    consentIp: '203.0.•.•',
    fields: null,
  };

  it('decrypts personal data for roles that may read it and masks it for the others', async () => {
    expect(await contactAs('manager', 'offered')).toEqual(CLEAR);
    expect(await contactAs('agent', 'ownedAg1Src2')).toEqual(CLEAR);
    expect(await contactAs('agent', 'offered')).toEqual(MASKED);
    expect(await contactAs('agent', 'sharedView')).toEqual(MASKED);
    expect(await contactAs('vendor', 'delivered')).toEqual(MASKED);
    expect(await contactAs('buyer', 'delivered')).toEqual(CLEAR);
  });

  it('stores phone, email, street, IP and free fields sealed: no clear value in the database', async () => {
    const raw = JSON.stringify(await h.mongo.collection('lead_contacts').find().toArray());
    for (const v of ['2145550134', '555-0134', 'ada@example.com', '1200 Main', '203.0.113.7', 'budget']) expect(raw).not.toContain(v);
  });

  it('withholds costs, prices, routing and assignment from roles that must not read them', async () => {
    const q = 'query($id: ID!) { lead(id: $id) { costCents priceCents routingSummary ownerEndpointId deliveredTo status } }';
    const read = async (role: Role) => (await h.gql(q, { id: h.leads.delivered }, as(role))).body.data.lead;
    expect(await read('ops')).toEqual({
      costCents: 2500,
      priceCents: 4000,
      routingSummary: 'went to buy-1: exclusive holder',
      ownerEndpointId: 'buy-1',
      deliveredTo: 'buy-1',
      status: 'assigned',
    });
    expect(await read('vendor')).toEqual({
      costCents: 2500,
      priceCents: null,
      routingSummary: null,
      ownerEndpointId: null,
      deliveredTo: null,
      status: 'assigned',
    });
    expect(await read('buyer')).toEqual({
      costCents: null,
      priceCents: 4000,
      routingSummary: null,
      ownerEndpointId: null,
      deliveredTo: 'buy-1',
      status: 'assigned',
    });
  });

  it('vendor portal: submissions with rejection reasons, acceptance rate, returns', async () => {
    const subs = await h.gql('{ mySubmissions(filter: { status: [rejected] }) { nodes { id status rejection { reason detail } } } }', {}, as('vendor'));
    expect(subs.body.data.mySubmissions.nodes).toEqual([
      { id: h.leads.rejected, status: 'rejected', rejection: { reason: 'dnc', detail: 'on the federal DNC list' } },
    ]);
    const acc = await h.gql(
      '{ myAcceptance { ok errors { code } stats { received accepted rejected acceptanceRate rejectedByReason { reason count } } } }',
      {},
      as('vendor'),
    );
    expect(acc.body.data.myAcceptance).toEqual({
      ok: true,
      errors: [],
      stats: { received: 5, accepted: 4, rejected: 1, acceptanceRate: 0.8, rejectedByReason: [{ reason: 'dnc', count: 1 }] },
    });
    const backwards = await h.gql(
      '{ myAcceptance(from: "2026-03-02", to: "2026-03-01") { ok errors { code message field } stats { received } } }',
      {},
      as('vendor'),
    );
    expect(backwards.body.data.myAcceptance).toEqual({
      ok: false,
      errors: [{ code: 'INVALID_INPUT', message: '"from" must be before "to"', field: 'from' }],
      stats: null,
    });
    expect(await ids('vendor', '{ myReturns { nodes { id } } }', 'myReturns')).toEqual(L('returned'));
    const notBuyer = await h.gql('{ myDeliveries { nodes { id } } }', {}, as('vendor'));
    expect(notBuyer.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('buyer portal: deliveries, open return windows with time left, returns', async () => {
    expect(await ids('buyer', '{ myDeliveries { nodes { id } } }', 'myDeliveries')).toEqual(L('delivered', 'returned', 'deliveredClosed'));
    const windows = await h.gql('{ openReturnWindows { ok nodes { lead { id returned { reason } } closesAt secondsLeft allowedReasons } } }', {}, as('buyer'));
    // Only "delivered": "returned" is returned already, "deliveredClosed" had a 1 h window that closed.
    expect(windows.body.data.openReturnWindows.ok).toBe(true);
    expect(windows.body.data.openReturnWindows.nodes).toHaveLength(1);
    const w = windows.body.data.openReturnWindows.nodes[0];
    expect(w.lead).toEqual({ id: h.leads.delivered, returned: null });
    // The window runs 48 h from delivery (received 3 h ago, delivered 3 minutes later): it closes then, and what is left counts down to it.
    const delivered = await h.gql('query($id: ID!) { lead(id: $id) { deliveredAt } }', { id: h.leads.delivered }, as('buyer'));
    const deliveredAt = Date.parse(delivered.body.data.lead.deliveredAt);
    expect(Date.parse(w.closesAt) - deliveredAt).toBe(48 * 3600_000);
    expect(w.secondsLeft).toBeGreaterThan(0);
    expect(w.secondsLeft).toBeLessThanOrEqual(45 * 3600 + 180);
    expect(w.allowedReasons).toEqual(['duplicate', 'wrong_number', 'out_of_area', 'non_responsive']);
    const lw = await h.gql('query($id: ID!) { lead(id: $id) { returnWindow { open secondsLeft } } }', { id: h.leads.deliveredClosed }, as('buyer'));
    expect(lw.body.data.lead.returnWindow).toEqual({ open: false, secondsLeft: 0 });
    const returns = await h.gql('{ myReturns { nodes { id returned { reason creditCents } } } }', {}, as('buyer'));
    expect(returns.body.data.myReturns.nodes).toEqual([{ id: h.leads.returned, returned: { reason: 'wrong_number', creditCents: 2500 } }]);
    const tooMany = await h.gql('{ openReturnWindows(first: 0) { ok errors { code field } nodes { closesAt } } }', {}, as('buyer'));
    expect(tooMany.body.data.openReturnWindows).toEqual({ ok: false, errors: [{ code: 'INVALID_INPUT', field: 'first' }], nodes: [] });
  });
});
