// End to end against the real servers: a browser form posts a lead to
// POST /intake/:sourceKey, the worker (every real activity, Temporal dev
// server, FerretDB) validates, routes and delivers it to a local HTTP
// receiver, an agent claims it and returns it over GraphQL, a buyer's lead is
// returned too, and the vendor and buyer portals show both.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { e2eNetwork, E2E_USERS, formFields } from '../testing/e2e-network.ts';
import { startHttpReceiver, type HttpReceiver } from '../testing/http-receiver.ts';
import { eventually, startLeadApiHarness, type LeadApiHarness } from '../testing/lead-api-harness.ts';

const LEAD_FIELDS = 'id status workStatus ownerEndpointId deliveredTo billing returned { reason creditCents } contact { visibility phone email }';

describe('end to end: form post → receiver and offer → claim → return → portals', () => {
  let receiver: HttpReceiver;
  let h: LeadApiHarness;

  beforeAll(async () => {
    receiver = await startHttpReceiver();
    h = await startLeadApiHarness({ config: e2eNetwork(receiver.url), users: E2E_USERS, apiKeysFor: ['webform'] });
  });
  afterAll(async () => {
    await h?.close();
    await receiver?.close();
  });

  const postForm = async (fields: Record<string, string>) => {
    const res = await fetch(`${h.base}/intake/${h.keys.webform}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
    return { status: res.status, body: (await res.json()) as { ok: boolean; leadId?: string; errors?: unknown[] } };
  };
  const delivery = (leadId: string) => eventually(`delivery of ${leadId} to the receiver`, async () => receiver.requests.find((r) => r.body.includes(leadId)));

  let plumbingLead = '';
  let roofingLead = '';

  it('a plumbing form post is delivered to the rotation agent’s CRM webhook and offered to that agent, who claims, works and returns it over GraphQL', async () => {
    const form = formFields();
    const posted = await postForm(form);
    expect(posted).toMatchObject({ status: 201, body: { ok: true } });
    plumbingLead = posted.body.leadId!;

    // The local receiver got the lead, signed with an idempotency key, with the form's data in the template.
    const req = await delivery(plumbingLead);
    expect(req.method).toBe('POST');
    expect(req.path).toMatch(/^\/crm\/agent-[ab]$/);
    expect(req.idempotencyKey).toBe(`lead:e2e:${plumbingLead}:${req.path.slice(5)}`);
    expect(req.body).toContain('Grace Hopper');
    const agent = req.path.slice(5); // agent-a or agent-b
    const me = `${agent}@e2e.test`;
    const other = agent === 'agent-a' ? 'agent-b@e2e.test' : 'agent-a@e2e.test';

    // The agent sees the offer, contact masked until claimed.
    const offer = await eventually('the offer in myOffers', async () => {
      const d = await h.as(me, `{ myOffers { nodes { leadId round deadlineAt lead { ${LEAD_FIELDS} } } } }`);
      return d.myOffers.nodes.find((o: { leadId: string }) => o.leadId === plumbingLead);
    });
    expect(offer).toMatchObject({ round: 1, lead: { status: 'offered', contact: { visibility: 'masked' } } });
    expect(offer.lead.contact.phone).toMatch(/^•/);
    expect(Date.parse(offer.deadlineAt)).toBeGreaterThan(Date.now() + 10 * 60_000);

    // The other agent neither sees nor claims it.
    const stranger = await h.as(other, 'mutation($id: ID!) { claimLead(leadId: $id) { ok errors { code field } lead { id } } }', { id: plumbingLead });
    expect(stranger.claimLead).toEqual({ ok: false, errors: [{ code: 'NOT_FOUND', field: 'leadId' }], lead: null });

    // Opening it is recorded and is not a claim.
    const viewed = await h.as(me, `mutation($id: ID!) { viewLead(leadId: $id) { ok lead { status ownerEndpointId } } }`, { id: plumbingLead });
    expect(viewed.viewLead).toEqual({ ok: true, lead: { status: 'offered', ownerEndpointId: null } });

    const claimed = await h.as(me, `mutation($id: ID!) { claimLead(leadId: $id) { ok errors { code message } lead { ${LEAD_FIELDS} } } }`, {
      id: plumbingLead,
    });
    expect(claimed.claimLead).toMatchObject({
      ok: true,
      errors: [],
      lead: { status: 'assigned', ownerEndpointId: agent, contact: { visibility: 'clear', email: form.email_address } },
    });

    const again = await h.as(me, 'mutation($id: ID!) { claimLead(leadId: $id) { ok errors { code } } }', { id: plumbingLead });
    expect(again.claimLead).toEqual({ ok: false, errors: [{ code: 'ALREADY_CLAIMED' }] });

    const worked = await h.as(
      me,
      'mutation($id: ID!) { updateLeadStatus(leadId: $id, status: contacted, note: "number disconnected") { ok lead { workStatus } } }',
      { id: plumbingLead },
    );
    expect(worked.updateLeadStatus).toEqual({ ok: true, lead: { workStatus: 'contacted' } });

    const returned = await h.as(
      me,
      `mutation($id: ID!) { returnLead(leadId: $id, reason: "wrong_number", evidence: "Dialled three times: not in service.") { ok errors { code } creditCents replacementLeadId lead { billing returned { reason } } } }`,
      { id: plumbingLead },
    );
    // An agent does not read what the source is paid, so the credit is withheld from it.
    expect(returned.returnLead).toEqual({
      ok: true,
      errors: [],
      creditCents: null,
      replacementLeadId: null,
      lead: { billing: 'credited', returned: { reason: 'wrong_number' } },
    });

    // The receiver got this lead exactly once.
    expect(receiver.requests.filter((r) => r.body.includes(plumbingLead))).toHaveLength(1);
  });

  it('a roofing form post goes to the buyer holding Texas, who sees it in its portal and returns it inside the window', async () => {
    const posted = await postForm(formFields({ service: 'roofing' }));
    expect(posted.status).toBe(201);
    roofingLead = posted.body.leadId!;
    const req = await delivery(roofingLead);
    expect(req.path).toBe('/buyer');

    const delivered = await eventually('the delivery in myDeliveries', async () => {
      const d = await h.as('buyer@e2e.test', `{ myDeliveries { nodes { ${LEAD_FIELDS} priceCents returnWindow { open secondsLeft allowedReasons } } } }`);
      return d.myDeliveries.nodes.find((l: { id: string; status: string }) => l.id === roofingLead && l.status === 'assigned');
    });
    // Owned on delivery (a buyer does not claim); a buyer is not told about assignments, only its own delivery.
    expect(delivered).toMatchObject({
      status: 'assigned',
      ownerEndpointId: null,
      deliveredTo: 'roof-buyer',
      priceCents: 4000,
      billing: 'billable',
      contact: { visibility: 'clear' },
      returnWindow: { open: true },
    });
    expect(delivered.returnWindow.secondsLeft).toBeGreaterThan(6 * 86_400);

    const refused = await h.as('buyer@e2e.test', 'mutation($id: ID!) { returnLead(leadId: $id, reason: "changed_my_mind") { ok errors { code message } } }', {
      id: roofingLead,
    });
    expect(refused.returnLead).toMatchObject({ ok: false, errors: [{ code: 'REASON_NOT_ALLOWED' }] });

    const returned = await h.as(
      'buyer@e2e.test',
      'mutation($id: ID!) { returnLead(leadId: $id, reason: "out_of_area") { ok errors { code } lead { billing returned { reason } } } }',
      { id: roofingLead },
    );
    expect(returned.returnLead).toEqual({ ok: true, errors: [], lead: { billing: 'credited', returned: { reason: 'out_of_area' } } });

    const buyerReturns = await h.as('buyer@e2e.test', '{ myReturns { nodes { id returned { reason } } } }');
    expect(buyerReturns.myReturns.nodes).toEqual([{ id: roofingLead, returned: { reason: 'out_of_area' } }]);
    // The buyer sees only its own deliveries: not the agent's plumbing lead.
    const deliveries = await h.as('buyer@e2e.test', '{ myDeliveries { nodes { id } } }');
    expect(deliveries.myDeliveries.nodes.map((l: { id: string }) => l.id)).toEqual([roofingLead]);
  });

  it('the vendor portal shows both submissions with their outcome, both returns with their credits, and its acceptance', async () => {
    const subs = await h.as('vendor@e2e.test', '{ mySubmissions { nodes { id status serviceLine costCents billing contact { visibility phone } } } }');
    const byId = new Map(subs.mySubmissions.nodes.map((l: { id: string }) => [l.id, l]));
    expect(byId.get(plumbingLead)).toMatchObject({
      status: 'assigned',
      serviceLine: 'plumbing',
      costCents: 2500,
      billing: 'credited',
      contact: { visibility: 'masked' },
    });
    expect(byId.get(roofingLead)).toMatchObject({ status: 'assigned', serviceLine: 'roofing', costCents: 2500, billing: 'credited' });

    const returns = await h.as('vendor@e2e.test', '{ myReturns { nodes { id returned { reason creditCents } } } }');
    expect(returns.myReturns.nodes.map((l: { id: string; returned: unknown }) => [l.id, l.returned]).sort()).toEqual(
      [
        [plumbingLead, { reason: 'wrong_number', creditCents: 2500 }],
        [roofingLead, { reason: 'out_of_area', creditCents: 2500 }],
      ].sort(),
    );
    const acceptance = await h.as('vendor@e2e.test', '{ myAcceptance { ok stats { received accepted rejected acceptanceRate } } }');
    expect(acceptance.myAcceptance).toEqual({ ok: true, stats: { received: 2, accepted: 2, rejected: 0, acceptanceRate: 1 } });
  });

  it('ops read the plumbing lead’s history: what happened and by whom, the workflow’s own steps, and why it went where it went', async () => {
    const d = await h.as(
      'ops@e2e.test',
      `query($id: ID!) { leadHistory(id: $id) {
        detail entries { origin kind text actor round }
        routingRounds { round decision { outcome planId tier { name algorithm } chosen { endpointId claimRequired } tiers { name candidates { endpointId verdict reason counters { name value } } } text } }
        workflow { available status }
      } }`,
      { id: plumbingLead },
    );
    const hist = d.leadHistory;
    expect(hist.detail).toBe('full');
    expect(hist.workflow).toEqual({ available: true, status: 'RUNNING' });
    const lead = hist.entries.filter((e: { origin: string }) => e.origin === 'lead').map((e: { kind: string }) => e.kind);
    expect(lead).toEqual(
      expect.arrayContaining(['received', 'validated', 'routed', 'delivered', 'offered', 'viewed', 'claimed', 'status_changed', 'return_accepted']),
    );
    const agentUser = (k: string) => hist.entries.find((e: { kind: string }) => e.kind === k)?.actor;
    expect(agentUser('claimed')).toMatch(/^e2e:agent-[ab]@e2e\.test$/);
    expect(agentUser('return_accepted')).toBe(agentUser('claimed'));

    const workflow = hist.entries.filter((e: { origin: string }) => e.origin === 'workflow');
    expect(workflow.map((e: { kind: string }) => e.kind)).toEqual(
      expect.arrayContaining([
        'workflow_started',
        'local_activity_completed',
        'activity_completed',
        'signal',
        'update_accepted',
        'update_completed',
        'timer_started',
        'timer_canceled',
      ]),
    );
    // Delivery runs as a local activity (inside the routing workflow task); offering the lead is a remote one.
    expect(workflow.find((e: { text: string }) => e.text.startsWith('deliverLead'))?.text).toBe('deliverLead (local) completed');
    expect(workflow.find((e: { text: string }) => e.text.startsWith('offerLead'))?.text).toMatch(/^offerLead for Agent [AB] \(agent-[ab]\) completed/);
    expect(workflow.find((e: { kind: string }) => e.kind === 'update_accepted')?.text).toMatch(/^Update claimLead accepted from e2e:agent-[ab]@e2e\.test/);
    // No personal data from the workflow's payloads.
    expect(JSON.stringify(hist.entries)).not.toMatch(/Hopper|@example\.com|1200 Main|198\.51\.100/);

    expect(hist.routingRounds).toHaveLength(1);
    const decision = hist.routingRounds[0].decision;
    expect(decision).toMatchObject({
      outcome: 'assigned',
      planId: 'plumbing-desk',
      tier: { name: 'desk rotation', algorithm: 'round_robin' },
      chosen: [{ claimRequired: true }],
    });
    expect(decision.tiers[0].candidates.map((c: { endpointId: string }) => c.endpointId).sort()).toEqual(['agent-a', 'agent-b']);
    expect(decision.text[0]).toBe(hist.entries.find((e: { kind: string }) => e.kind === 'routing_decision').text.replace(/^Routing round 1 \([^)]*\): /, ''));
  });
});
