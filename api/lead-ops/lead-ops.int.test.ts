// Lead operations over GraphQL against running lead workflows (dev server,
// real activities, FerretDB): each mutation's yes, its precise no, and the
// policy around it; the routing dry run; the history for each role.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sequences } from '../../db/sequences.ts';
import { capWindowKeysInZone } from '../../domain/allocation/cap-windows.ts';
import { createAllocator } from '../../services/allocator.ts';
import { e2eNetwork, E2E_USERS, formFields } from '../../testing/e2e-network.ts';
import { startHttpReceiver, type HttpReceiver } from '../../testing/http-receiver.ts';
import { eventually, startLeadApiHarness, type LeadApiHarness } from '../../testing/lead-api-harness.ts';

const OPS = 'ops@e2e.test';
const MANAGER = 'manager@e2e.test';
const VENDOR = 'vendor@e2e.test';
const agentUser = (endpointId: string) => `${endpointId}@e2e.test`;
const otherAgent = (endpointId: string) => (endpointId === 'agent-a' ? 'agent-b' : 'agent-a');

const SIMULATE = `query($lead: SimulatedLead!) { simulateRouting(lead: $lead) {
  ok errors { code message field } market { zip city state timeZone } serviceLine
  decision { outcome planId configVersion summary tier { name algorithm } chosen { endpointId claimRequired } tiers { name outcome candidates { endpointId verdict reason counters { name value } } } text }
} }`;

describe('lead operations over GraphQL, on running lead workflows', () => {
  let receiver: HttpReceiver;
  let h: LeadApiHarness;

  beforeAll(async () => {
    receiver = await startHttpReceiver();
    h = await startLeadApiHarness({ config: e2eNetwork(receiver.url, { agentDailyCap: 100 }), users: E2E_USERS, apiKeysFor: ['webform'] });
  });
  afterAll(async () => {
    await h?.close();
    await receiver?.close();
  });

  /** Posts a lead as the vendor over GraphQL and waits until it is offered (plumbing) or owned (roofing). */
  async function newLead(fields: Record<string, string> = {}) {
    const d = await h.as(VENDOR, 'mutation($p: JSON!) { submitLead(payload: $p) { ok leadId errors { field message } } }', { p: formFields(fields) });
    expect(d.submitLead.errors).toEqual([]);
    const leadId: string = d.submitLead.leadId;
    const state = await h.waitFor(leadId, (s) => s.status === 'offered' || s.status === 'assigned');
    return { leadId, offeredTo: state.offeredTo[0]!, state };
  }
  const mutate = (
    email: string,
    field: string,
    args: string,
    vars: Record<string, unknown>,
    select = 'ok errors { code field } lead { id status ownerEndpointId }',
  ) => h.as(email, `mutation($id: ID!) { r: ${field}(leadId: $id${args}) { ${select} } }`, vars).then((d) => d.r);

  it('simulateRouting shows who would get a lead and why, and reserves nothing: a real lead still takes the first turn and cap unit', async () => {
    const day = capWindowKeysInZone('America/Chicago', Date.now()).daily;
    const alloc = createAllocator({ mongo: h.mongo });
    const turns = () => sequences(h.mongo).highest('turn|e2e/turn:rotation:desk');
    const used = () => Promise.all(['agent-a', 'agent-b'].map((a) => alloc.used('e2e', `cap:${a}:${day}`)));

    const runs = [];
    for (let i = 0; i < 25; i++) runs.push((await h.as(OPS, SIMULATE, { lead: { sourceId: 'webform', zip: '75201' } })).simulateRouting);
    const first = runs[0];
    expect(first).toMatchObject({
      ok: true,
      errors: [],
      market: { zip: '75201', city: 'Dallas', state: 'TX', timeZone: 'America/Chicago' },
      serviceLine: 'plumbing',
      decision: { outcome: 'assigned', planId: 'plumbing-desk', tier: { name: 'desk rotation', algorithm: 'round_robin' }, chosen: [{ claimRequired: true }] },
    });
    const predicted: string = first.decision.chosen[0].endpointId;
    const candidates = first.decision.tiers[0].candidates;
    expect(candidates.map((c: { endpointId: string; verdict: string }) => [c.endpointId, c.verdict]).sort()).toEqual(
      [
        [predicted, 'chosen'],
        [otherAgent(predicted), 'lost'],
      ].sort(),
    );
    expect(candidates[0].counters).toEqual(expect.arrayContaining([{ name: 'daily', value: '0 of 100' }]));
    expect(first.decision.text.join('\n')).toContain('desk rotation');
    // Every run gave the same answer, and none of them took a turn or a cap unit.
    expect(new Set(runs.map((r) => r.decision.chosen[0].endpointId))).toEqual(new Set([predicted]));
    expect(await turns()).toBe(0);
    expect(await used()).toEqual([0, 0]);

    const real = await newLead();
    expect(real.offeredTo).toBe(predicted);
    expect(await turns()).toBe(1);
    expect((await used()).reduce((a, b) => a + b, 0)).toBe(1);
    // The dry run reads live counters: the next lead goes to the other agent.
    const next = (await h.as(OPS, SIMULATE, { lead: { sourceId: 'webform', zip: '75201' } })).simulateRouting;
    expect(next.decision.chosen[0].endpointId).toBe(otherAgent(predicted));
    expect(next.decision.tiers[0].candidates.find((c: { endpointId: string }) => c.endpointId === predicted).counters).toEqual(
      expect.arrayContaining([{ name: 'daily', value: '1 of 100' }]),
    );
  });

  it('simulateRouting names the bad field, resolves a missing ZIP from city and state, and is staff-only', async () => {
    const sim = async (lead: Record<string, unknown>) => (await h.as(OPS, SIMULATE, { lead })).simulateRouting;
    expect((await sim({ sourceId: 'nope', zip: '75201' })).errors).toEqual([
      { code: 'UNKNOWN_SOURCE', message: '"nope" is not a source of this tenant.', field: 'lead.sourceId' },
    ]);
    expect((await sim({ sourceId: 'webform', zip: '7520' })).errors[0]).toMatchObject({ code: 'INVALID_INPUT', field: 'lead.zip' });
    expect((await sim({ sourceId: 'webform' })).errors[0]).toMatchObject({
      code: 'INVALID_INPUT',
      field: 'lead.zip',
      message: 'zip give a zip, or a city and state',
    });
    expect((await sim({ sourceId: 'webform', city: 'Atlantis', state: 'TX' })).errors[0]).toMatchObject({ code: 'UNRESOLVABLE_ADDRESS', field: 'lead.zip' });
    expect((await sim({ sourceId: 'webform', zip: '75201', exclude: ['ghost'] })).errors[0]).toMatchObject({ code: 'UNKNOWN_ENDPOINT', field: 'lead.exclude' });
    expect((await sim({ sourceId: 'webform', zip: '75201', serviceLine: 'Not A Line' })).errors[0]).toMatchObject({
      code: 'INVALID_INPUT',
      field: 'lead.serviceLine',
    });

    const byCity = await sim({ sourceId: 'webform', city: 'Dallas', state: 'TX', serviceLine: 'roofing' });
    expect(byCity).toMatchObject({
      ok: true,
      market: { city: 'Dallas', state: 'TX' },
      decision: { outcome: 'assigned', chosen: [{ endpointId: 'roof-buyer', claimRequired: false }] },
    });
    expect(byCity.decision.text.join('\n')).toMatch(/the lead had no ZIP; resolved to \d{5} from Dallas, TX/);
    const nobody = await sim({ sourceId: 'webform', zip: '10001', serviceLine: 'roofing' });
    expect(nobody.decision).toMatchObject({ outcome: 'no_coverage', chosen: [] });

    const { body } = await h.gql(SIMULATE, { lead: { sourceId: 'webform', zip: '75201' } }, { token: h.tokens[agentUser('agent-a')] });
    expect(body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('declineOffer sends the lead to the next member at once; only an offered agent may decline', async () => {
    const { leadId, offeredTo } = await newLead();
    const next = otherAgent(offeredTo);
    // The other agent cannot see it, so for them it does not exist.
    expect(await mutate(agentUser(next), 'declineOffer', '', { id: leadId })).toMatchObject({
      ok: false,
      errors: [{ code: 'NOT_FOUND', field: 'leadId' }],
      lead: null,
    });

    expect(await mutate(agentUser(offeredTo), 'declineOffer', '', { id: leadId })).toMatchObject({ ok: true, errors: [] });
    const reoffered = await h.waitFor(leadId, (s) => s.offeredTo.includes(next));
    expect(reoffered.lapsedBy).toEqual([offeredTo]);
    const offers = await eventually('the offer reaching the next agent', async () => {
      const d = await h.as(agentUser(next), '{ myOffers { nodes { leadId round } } }');
      return d.myOffers.nodes.find((o: { leadId: string }) => o.leadId === leadId);
    });
    expect(offers).toEqual({ leadId, round: 2 });
    // The decliner no longer sees the lead.
    expect((await h.as(agentUser(offeredTo), 'query($id: ID!) { lead(id: $id) { id } }', { id: leadId })).lead).toBeNull();

    // An offered agent's first real action claims the lead.
    expect(await mutate(agentUser(next), 'updateLeadStatus', ', status: contacted', { id: leadId })).toEqual({
      ok: true,
      errors: [],
      lead: { id: leadId, status: 'assigned', ownerEndpointId: next },
    });
    expect(await mutate(agentUser(next), 'declineOffer', '', { id: leadId })).toMatchObject({
      ok: false,
      errors: [{ code: 'NOT_OFFERED_TO_YOU', field: 'leadId' }],
      lead: { id: leadId },
    });
    // Managers have no offers of their own to decline.
    const { body } = await h.gql('mutation($id: ID!) { declineOffer(leadId: $id) { ok } }', { id: leadId }, { token: h.tokens[MANAGER] });
    expect(body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('claimLead: a manager claims on behalf of the offered agent; a view never claims; a wrong claimant hears why', async () => {
    const { leadId, offeredTo } = await newLead();
    expect((await mutate(VENDOR, 'viewLead', '', { id: leadId })).lead).toMatchObject({ status: 'offered', ownerEndpointId: null });
    expect(await mutate(MANAGER, 'claimLead', ', onBehalfOf: "roof-buyer"', { id: leadId }, 'ok errors { code }')).toEqual({
      ok: false,
      errors: [{ code: 'NOT_OFFERED_TO_YOU' }],
    });
    expect(await mutate(MANAGER, 'claimLead', `, onBehalfOf: "${offeredTo}"`, { id: leadId })).toEqual({
      ok: true,
      errors: [],
      lead: { id: leadId, status: 'assigned', ownerEndpointId: offeredTo },
    });
    const events = (await h.as(OPS, 'query($id: ID!) { leadHistory(id: $id) { entries { kind actor } } }', { id: leadId })).leadHistory.entries;
    expect(events.find((e: { kind: string }) => e.kind === 'viewed')).toEqual({ kind: 'viewed', actor: 'e2e:vendor@e2e.test' });
    expect(events.find((e: { kind: string }) => e.kind === 'claimed')).toEqual({ kind: 'claimed', actor: 'e2e:manager@e2e.test' });
  });

  it('shareLead: the owner shares with a colleague who then sees the lead; an unknown user, a vendor and a non-owner are refused', async () => {
    const { leadId, offeredTo: owner } = await newLead();
    await mutate(agentUser(owner), 'claimLead', '', { id: leadId });
    const colleague = otherAgent(owner);
    expect((await h.as(agentUser(colleague), 'query($id: ID!) { lead(id: $id) { id } }', { id: leadId })).lead).toBeNull();

    expect(
      await mutate(agentUser(owner), 'shareLead', ', userId: "e2e:nobody@e2e.test", permission: view', { id: leadId }, 'ok errors { code field }'),
    ).toEqual({ ok: false, errors: [{ code: 'UNKNOWN_USER', field: 'userId' }] });
    expect(
      await mutate(agentUser(owner), 'shareLead', ', userId: "e2e:vendor@e2e.test", permission: view', { id: leadId }, 'ok errors { code field }'),
    ).toEqual({ ok: false, errors: [{ code: 'INVALID_INPUT', field: 'userId' }] });
    const shared = await mutate(
      agentUser(owner),
      'shareLead',
      `, userId: "e2e:${colleague}@e2e.test", permission: view`,
      { id: leadId },
      'ok errors { code } lead { collaborators { userId permission by } }',
    );
    expect(shared).toEqual({
      ok: true,
      errors: [],
      lead: { collaborators: [{ userId: `e2e:${colleague}@e2e.test`, permission: 'view', by: `e2e:${owner}@e2e.test` }] },
    });

    const seen = await h.as(agentUser(colleague), 'query($id: ID!) { lead(id: $id) { id contact { visibility } } }', { id: leadId });
    expect(seen.lead).toEqual({ id: leadId, contact: { visibility: 'masked' } });
    // A view-only colleague cannot work it, nor share it on.
    expect(await mutate(agentUser(colleague), 'updateLeadStatus', ', status: won', { id: leadId }, 'ok errors { code }')).toEqual({
      ok: false,
      errors: [{ code: 'NOT_OWNED' }],
    });
    const { body } = await h.gql(
      'mutation($id: ID!) { shareLead(leadId: $id, userId: "e2e:ops@e2e.test", permission: act) { ok } }',
      { id: leadId },
      { token: h.tokens[agentUser(colleague)] },
    );
    expect(body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('reassignLead: a manager moves an owned lead to another endpoint; agents may not; an unknown endpoint is named', async () => {
    const { leadId, offeredTo: owner } = await newLead();
    await mutate(agentUser(owner), 'claimLead', '', { id: leadId });
    const target = otherAgent(owner);
    const { body } = await h.gql(
      'mutation($id: ID!) { reassignLead(leadId: $id, toEndpointId: "agent-a") { ok } }',
      { id: leadId },
      { token: h.tokens[agentUser(owner)] },
    );
    expect(body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await mutate(MANAGER, 'reassignLead', ', toEndpointId: "ghost"', { id: leadId }, 'ok errors { code field }')).toEqual({
      ok: false,
      errors: [{ code: 'UNKNOWN_ENDPOINT', field: 'toEndpointId' }],
    });
    expect(await mutate(MANAGER, 'reassignLead', `, toEndpointId: "${owner}"`, { id: leadId }, 'ok errors { code }')).toEqual({
      ok: false,
      errors: [{ code: 'SAME_OWNER' }],
    });
    expect(await mutate(MANAGER, 'reassignLead', `, toEndpointId: "${target}", note: "covering for a sick day"`, { id: leadId }, 'ok errors { code }')).toEqual(
      { ok: true, errors: [] },
    );
    const moved = await h.waitFor(leadId, (s) => s.ownerEndpointId === target);
    expect(moved.status).toBe('assigned');
    const history = (await h.as(OPS, 'query($id: ID!) { leadHistory(id: $id) { entries { kind text } routingRounds { round } } }', { id: leadId })).leadHistory;
    expect(history.entries.find((e: { kind: string }) => e.kind === 'reassigned').text).toBe(
      `Reassigned from ${owner === 'agent-a' ? 'Agent A' : 'Agent B'} (${owner}) to ${target === 'agent-a' ? 'Agent A' : 'Agent B'} (${target}): covering for a sick day`,
    );
    expect(history.routingRounds.map((r: { round: number }) => r.round)).toEqual([1, 2]);
  });

  it('returnLead: a bad reason is named, a not-allowed reason refused by the source’s policy, a manager’s return credits the source and routes a replacement', async () => {
    const { leadId, offeredTo: owner } = await newLead();
    await mutate(agentUser(owner), 'claimLead', '', { id: leadId });
    const sel = 'ok errors { code field } creditCents replacementLeadId lead { billing }';
    expect(await mutate(MANAGER, 'returnLead', ', reason: "Wrong Number!"', { id: leadId }, sel)).toMatchObject({
      ok: false,
      errors: [{ code: 'INVALID_INPUT', field: 'reason' }],
    });
    expect(await mutate(MANAGER, 'returnLead', ', reason: "changed_mind"', { id: leadId }, sel)).toMatchObject({
      ok: false,
      errors: [{ code: 'REASON_NOT_ALLOWED' }],
    });
    expect(await mutate(MANAGER, 'returnLead', `, reason: "duplicate", evidence: "${'x'.repeat(4001)}"`, { id: leadId }, sel)).toMatchObject({
      ok: false,
      errors: [{ code: 'INVALID_INPUT', field: 'evidence' }],
    });
    // The other agent is not the owner: it cannot see the lead at all.
    expect(await mutate(agentUser(otherAgent(owner)), 'returnLead', ', reason: "duplicate"', { id: leadId }, sel)).toMatchObject({
      ok: false,
      errors: [{ code: 'NOT_FOUND' }],
    });

    const r = await mutate(MANAGER, 'returnLead', ', reason: "duplicate", replace: true', { id: leadId }, sel);
    expect(r).toMatchObject({ ok: true, errors: [], creditCents: 2500, lead: { billing: 'credited' } });
    expect(r.replacementLeadId).toBe(`${leadId}-r1`);
    const replacement = await h.waitFor(r.replacementLeadId, (s) => s.status === 'offered');
    // The replacement never goes back to the endpoint that returned the original.
    expect(replacement.offeredTo).not.toContain(owner);
    expect(await mutate(MANAGER, 'returnLead', ', reason: "duplicate"', { id: leadId }, sel)).toMatchObject({
      ok: false,
      errors: [{ code: 'ALREADY_RETURNED' }],
    });
  });

  it('leadHistory: staff read everything, an agent the events of its own lead only, vendors nothing; lead operations on a missing lead are not_found', async () => {
    const { leadId, offeredTo: owner } = await newLead();
    await mutate(agentUser(owner), 'claimLead', '', { id: leadId });
    const q = 'query($id: ID!) { leadHistory(id: $id) { detail entries { origin kind text } routingRounds { round } workflow { available } } }';
    const mine = (await h.as(agentUser(owner), q, { id: leadId })).leadHistory;
    expect(mine.detail).toBe('events');
    expect(mine.routingRounds).toBeNull();
    expect(mine.workflow).toBeNull();
    expect(new Set(mine.entries.map((e: { origin: string }) => e.origin))).toEqual(new Set(['lead']));
    expect(mine.entries.find((e: { kind: string }) => e.kind === 'routed').text).toBe(`Routed to ${owner === 'agent-a' ? 'Agent A' : 'Agent B'} (${owner})`);
    expect(JSON.stringify(mine)).not.toMatch(/\$\d|desk rotation|configuration version/);

    const full = (await h.as(MANAGER, q, { id: leadId })).leadHistory;
    expect(full.detail).toBe('full');
    expect(new Set(full.entries.map((e: { origin: string }) => e.origin))).toEqual(new Set(['lead', 'workflow', 'routing']));
    expect(full.entries.find((e: { kind: string }) => e.kind === 'received').text).toBe('Received from Web form (webform) for plumbing; cost $25.00');

    expect((await h.as(agentUser(otherAgent(owner)), q, { id: leadId })).leadHistory).toBeNull();
    const { body } = await h.gql(q, { id: leadId }, { token: h.tokens[VENDOR] });
    expect(body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    expect((await h.as(OPS, q, { id: 'no-such-lead' })).leadHistory).toBeNull();
    for (const [field, args] of [
      ['claimLead', ''],
      ['viewLead', ''],
      ['updateLeadStatus', ', status: won'],
      ['reassignLead', ', toEndpointId: "agent-a"'],
      ['returnLead', ', reason: "duplicate"'],
    ] as const) {
      expect(await mutate(OPS, field, args, { id: 'no-such-lead' }, 'ok errors { code field } lead { id }')).toEqual({
        ok: false,
        errors: [{ code: 'NOT_FOUND', field: 'leadId' }],
        lead: null,
      });
    }
    const explanation = (await h.as(OPS, 'query($id: ID!) { leadExplanation(id: $id) { round decision { outcome tier { name } } } }', { id: leadId }))
      .leadExplanation;
    expect(explanation).toEqual([{ round: 1, decision: { outcome: 'assigned', tier: { name: 'desk rotation' } } }]);
  });
});
