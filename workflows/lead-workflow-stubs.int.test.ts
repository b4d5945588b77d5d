// The lead workflow with stub activities of the same type, as Temporal's
// samples test workflows: no database, no receivers, only the orchestration
// under the time-skipping test server. The real-activity tests beside this one
// cover the same paths end to end.
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Activities } from '../activities/index.ts';
import type { RouteRequest } from '../activities/lead-ports.ts';
import type { ReservationHandle } from '../domain/allocation/reservation-handle.ts';
import type { Actor } from '../domain/lifecycle/actor.ts';
import type { Notice } from '../domain/lifecycle/decision.ts';
import { accepted, context, input as sampleInput, target } from '../domain/lifecycle/given.ts';
import type { LeadEvent } from '../domain/lifecycle/lead-events.ts';
import type { LeadWorkflowInput } from '../domain/lifecycle/lead-input.ts';
import type { LeadState } from '../domain/lifecycle/lead-state.ts';
import type { RouteOutcome, RouteTarget } from '../domain/lifecycle/step-results.ts';
import { workerOptions } from '../infra/worker-options.ts';
import { testDataConverter } from '../testing/temporal.ts';
import { createTimeSkippingEnv } from '../testing/time-skipping.ts';
import { claimLeadUpdate, leadStateQuery, leadWorkflowId } from './definitions.ts';
import type { LeadWorkflowResult } from './lead-workflow.ts';

const MIN = 60_000;
/** The consumer's acknowledgement runs beside routing: where it lands among the other events is not the workflow's to fix. */
const lifecycle = (events: LeadEvent[]) => events.map((e) => e.type).filter((t) => t !== 'auto_responded');

interface Script {
  /** Targets per routing round, in order; a round past the list finds no coverage. */
  rounds: RouteTarget[][];
  /** Receivers that refuse every delivery (a 4xx: no retry). */
  refusing?: string[];
}

/** Stub activities that answer from a script and record every call. */
function stubActivities(script: Script) {
  const seen = {
    events: [] as LeadEvent[],
    routes: [] as RouteRequest[],
    delivered: [] as string[],
    released: [] as ReservationHandle[],
    settled: [] as ReservationHandle[],
    notices: [] as Notice[],
  };
  const activities: Activities = {
    recordEvents: async (events) => void seen.events.push(...events),
    loadLeadContext: async () => context,
    validateLead: async () => accepted,
    receiveLead: async () => ({ context, validation: accepted }),
    sendAutoResponse: async () => ({ sent: ['sms'] }),
    routeLead: async (req): Promise<RouteOutcome> => {
      seen.routes.push(req);
      const base = { configVersion: 1, summary: `round ${req.round}`, decisionId: `${req.leadId}#${req.round}` };
      const targets = (script.rounds[req.round - 1] ?? []).map((t) => ({
        ...t,
        ...(t.reservation ? { reservation: { ...t.reservation, leadId: req.leadId, round: req.round } } : {}),
      }));
      return targets.length > 0 ? { kind: 'assigned', ...base, targets } : { kind: 'no_coverage', ...base };
    },
    deliverLead: async (req) => {
      if (script.refusing?.includes(req.endpointId)) throw ApplicationFailure.nonRetryable(`HTTP 422 from ${req.endpointId}`, 'DeliveryRefused');
      seen.delivered.push(`${req.endpointId} ${req.idempotencyKey}`);
      return { endpointId: req.endpointId, method: 'http_post' };
    },
    releaseReservations: async ({ handles }) => seen.released.push(...handles),
    settleReservations: async ({ handles }) => seen.settled.push(...handles),
    offerLead: async (req) => ({ deadlineAt: req.at + req.deadlineSec * 1000 }),
    notify: async ({ tenantId: _t, leadId: _l, lead: _s, ...n }) => {
      seen.notices.push(n);
      return { kind: n.kind, sent: [], failed: [], skipped: [] };
    },
    returnStats: async () => ({ delivered: 1, returned: 0 }),
    checkStores: async () => ({ mongo: true }),
  };
  return { activities, seen };
}

describe('lead workflow with stub activities', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await createTimeSkippingEnv();
  });
  afterAll(async () => env?.teardown());

  async function runLead(script: Script, body: (h: { id: string; state: () => Promise<LeadState | undefined>; input: LeadWorkflowInput }) => Promise<void>) {
    const taskQueue = `stubs-${randomUUID()}`;
    const stubs = stubActivities(script);
    const worker = await Worker.create(
      workerOptions({
        connection: env.nativeConnection,
        namespace: 'default',
        taskQueue,
        activities: stubs.activities,
        workflowBundlePath: inject('workflowBundlePath'),
        dataConverter: testDataConverter,
      }),
    );
    const input = { ...sampleInput, leadId: `L-${randomUUID().slice(0, 8)}`, receivedAt: await env.currentTimeMs() };
    const id = leadWorkflowId(input.tenantId, input.leadId);
    await worker.runUntil(async () => {
      await env.client.workflow.start('leadWorkflow', { taskQueue, workflowId: id, args: [input] });
      await body({ id, input, state: () => env.client.workflow.getHandle(id).query(leadStateQuery) });
    });
    return stubs.seen;
  }

  const waitFor = async (state: () => Promise<LeadState | undefined>, check: (s: LeadState) => boolean) => {
    for (let i = 0; i < 300; i++) {
      const s = await state().catch(() => undefined);
      if (s && check(s)) return s;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`not reached; last ${JSON.stringify(await state().catch(() => undefined))}`);
  };

  it('a lapsed offer gives its reservation back and goes to the next person, who claims; billing is final when the window closes', async () => {
    const a1 = target('a1', { claim: true });
    const a2 = target('a2', { claim: true });
    let result: LeadWorkflowResult | undefined;
    const seen = await runLead({ rounds: [[a1], [a2]] }, async ({ id, input, state }) => {
      await waitFor(state, (s) => s.status === 'offered' && s.offeredTo[0] === 'a1');
      await env.sleep(5 * MIN + 1000);
      await waitFor(state, (s) => s.offerRound === 2);
      const actor: Actor = { userId: 'a2-user', role: 'agent', tenantId: input.tenantId, endpointId: 'a2' };
      const ack = await env.client.workflow.getHandle(id).executeUpdate(claimLeadUpdate, { args: [{ actor }] });
      expect(ack).toEqual({ leadId: input.leadId, status: 'assigned', ownerEndpointId: 'a2' });
      result = await env.client.workflow.getHandle(id).result(); // time skips through the 7-day window
    });
    expect(seen.routes.map((r) => [r.round, r.exclude])).toEqual([
      [1, []],
      [2, ['a1']],
    ]);
    expect(seen.released).toEqual([expect.objectContaining({ round: 1, endpointId: 'a1' })]);
    expect(seen.settled).toEqual([expect.objectContaining({ round: 2, endpointId: 'a2' })]);
    // Each offer tells its agent; the lapse tells the one who let it go, and the managers who has it now.
    // Notices go out in the background, so they reach the stubs in any order.
    const notices = seen.notices.map((n) => [n.kind, n.endpointIds, !!n.managers, n.facts.nowWith ?? []]);
    expect(notices).toHaveLength(4);
    expect(notices).toEqual(
      expect.arrayContaining([
        ['offered', ['a1'], false, []],
        ['lapsed', ['a1'], false, []],
        ['offered', ['a2'], false, []],
        ['lapsed', [], true, ['a2']],
      ]),
    );
    expect(lifecycle(seen.events)).toEqual([
      'received',
      'validated',
      'routed',
      'delivered',
      'offered',
      'lapsed',
      'routed',
      'delivered',
      'offered',
      'claimed',
      'billing_final',
    ]);
    expect(seen.events.find((e) => e.type === 'auto_responded')?.data).toEqual({ channels: ['sms'] });
    expect(seen.events.at(-1)?.data).toEqual({ billedCents: 2500 });
    expect(result).toMatchObject({ status: 'closed', billing: 'final', ownerEndpointId: 'a2' });
  });

  it('a receiver that refuses is failed over at once, its reservation given back, and the next candidate owns the lead', async () => {
    const seen = await runLead({ rounds: [[target('refusing')], [target('callcenter', { untilOwned: true })]], refusing: ['refusing'] }, async ({ state }) => {
      await waitFor(state, (s) => s.status === 'assigned');
    });
    expect(seen.routes.map((r) => r.exclude)).toEqual([[], ['refusing']]);
    expect(seen.delivered).toEqual([expect.stringMatching(/^callcenter lead:t1:L-[0-9a-f]+:callcenter$/)]);
    expect(seen.released).toEqual([expect.objectContaining({ endpointId: 'refusing', round: 1 })]);
    expect(seen.settled).toEqual([expect.objectContaining({ endpointId: 'callcenter', round: 2 })]);
    const failed = seen.events.find((e) => e.type === 'delivery_failed');
    expect(failed?.data).toEqual({ endpointId: 'refusing', reason: 'HTTP 422 from refusing' });
  });

  it('no coverage at the first routing rejects the lead, unbilled, and the workflow ends', async () => {
    let result: LeadWorkflowResult | undefined;
    const seen = await runLead({ rounds: [] }, async ({ id }) => {
      result = await env.client.workflow.getHandle(id).result();
    });
    expect(result).toMatchObject({ status: 'rejected', billing: 'not_billed' });
    expect(lifecycle(seen.events)).toEqual(['received', 'validated', 'rejected']);
    expect(seen.delivered).toEqual([]);
  });
});
