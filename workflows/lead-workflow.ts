import {
  ApplicationFailure,
  ParentClosePolicy,
  condition,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import type { LeadActivities, LeadContext, LeadWorkflowInput, RouteTarget } from '../activities/lead-ports.ts';
import { isOpenUnclaimedKey } from '../domain/allocation/reservation-keys.ts';
import type { Actor } from '../domain/lifecycle/actor.ts';
import { checkAct, checkClaim, checkReassign, checkShare, resolveClaimant, type RuleResult } from '../domain/lifecycle/claim-rules.ts';
import type { LeadState } from '../domain/lifecycle/lead-state.ts';
import { checkReturn } from '../domain/lifecycle/return-policy.ts';
import {
  claimLeadUpdate,
  leadStateQuery,
  leadViewedSignal,
  leadWorkflowId,
  offerDeclinedSignal,
  reassignLeadUpdate,
  returnLeadUpdate,
  shareLeadUpdate,
  updateLeadStatusUpdate,
  type ReassignInput,
  type UpdateAck,
} from './definitions.ts';
import { LeadJournal } from './lead/journal.ts';
import { localActivityQueue } from './lead/one-at-a-time.ts';

// Store-bound steps are local activities (no server round trip each) that
// retry without limit: a database outage delays a lead, it never loses one.
const storeCalls = proxyLocalActivities<LeadActivities>({
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '200 milliseconds', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});

// Delivery retries with backoff, then the lead fails over. A receiver's 4xx
// arrives as a non-retryable failure and fails over at once.
export const DELIVERY_RETRY = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 5 } as const;
const remoteDelivery = proxyActivities<LeadActivities>({ startToCloseTimeout: '30 seconds', retry: DELIVERY_RETRY });
// Delivery runs as a local activity: the lead reaches its receiver within the
// workflow task that routed it, without a round trip through the server per
// step (measured: routed -> delivered p50 190 ms as a remote activity). Same
// retry policy; leads started before the change replay on the remote path.
const localDelivery = proxyLocalActivities<LeadActivities>({ startToCloseTimeout: '30 seconds', retry: DELIVERY_RETRY });
const DELIVERY_AS_LOCAL_ACTIVITY = 'delivery-as-local-activity-v1';
// Retries wait on durable timers, not asleep inside the workflow task: a task
// held open for seconds of backoff heartbeats, and such histories did not
// replay reliably (caught by the replay check); timers also survive a worker
// crash mid-backoff and are skipped by time-skipping tests.
const localDeliveryRetryOnTimers = proxyLocalActivities<LeadActivities>({ startToCloseTimeout: '30 seconds', retry: DELIVERY_RETRY, localRetryThreshold: '500 milliseconds' });
const DELIVERY_RETRY_ON_TIMERS = 'delivery-retry-on-timers-v1';

const messaging = proxyActivities<LeadActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 10 },
});

/** Routing rounds (failovers and reassignments) before a lead is escalated as undeliverable. */
const MAX_ROUTING_ROUNDS = 10;
const DEFAULT_MAX_LAPSES = 3;

export interface LeadWorkflowResult {
  leadId: string;
  status: LeadState['status'];
  ownerEndpointId?: string;
  billing: LeadState['billing'];
}

type AssignResult = 'owned' | 'rejected' | 'escalated' | 'reassign';

function refuse(r: RuleResult<string>): void {
  if (!r.ok) throw ApplicationFailure.create({ type: r.code, message: r.message, nonRetryable: true });
}

function failureMessage(err: unknown): string {
  let e = err as { message?: string; cause?: unknown } | undefined;
  // The useful text of an activity failure is on its innermost cause.
  while (e?.cause) e = e.cause as typeof e;
  return e?.message ?? String(err);
}

export async function leadWorkflow(input: LeadWorkflowInput): Promise<LeadWorkflowResult> {
  const { tenantId, leadId, sourceId } = input;
  const workflowId = workflowInfo().workflowId;
  // Every local activity of this lead runs one at a time (see one-at-a-time.ts);
  // leads started before replay as they ran.
  const serialLocalActivities = patched('serial-local-activities-v1');
  const queue = localActivityQueue();
  const deliveryVia = (p: LeadActivities) => (serialLocalActivities ? queue.wrap(p) : p);
  const store = deliveryVia(storeCalls);
  const journal = new LeadJournal(tenantId, leadId, (events) => store.recordEvents(events));
  // On the way to delivery the events wait for the flush where the lead
  // settles (delivered, offered, failed over, escalated) instead of being
  // written at each step: one write of the read model instead of three. The
  // choice is made once, at start, so it is deterministic; leads started
  // earlier replay as they ran.
  const fewerFlushes = patched('fewer-flushes-v1');
  const flushOnTheWay = async () => {
    if (!fewerFlushes) await journal.flush();
  };

  let ctx: LeadContext | undefined;
  let reassignRequest: ReassignInput | undefined;
  let routingRound = 0;
  const declined = new Set<string>();
  const reservations = new Map<string, string[]>();

  const ack = (): UpdateAck => {
    const s = journal.current;
    return { leadId, status: s.status, ...(s.ownerEndpointId ? { ownerEndpointId: s.ownerEndpointId } : {}) };
  };
  const ready = (): LeadState => {
    if (!journal.state || !ctx) throw ApplicationFailure.create({ type: 'not_ready', message: 'This lead is still being received; try again in a moment.', nonRetryable: true });
    return journal.state;
  };
  const background = (p: Promise<unknown>) => void p.catch(() => undefined);
  /** Notification keys derive from the event sequence: deterministic, so a replay or retry never notifies twice. */
  const noteKey = () => String(journal.current.lastEventSeq);

  async function release(endpointIds: string[]): Promise<void> {
    const keys = endpointIds.flatMap((id) => reservations.get(id) ?? []);
    for (const id of endpointIds) reservations.delete(id);
    if (keys.length > 0) await store.releaseReservations({ leadId, keys });
  }

  /** Once the lead has an owner it no longer counts against the owner's open-unclaimed limit. */
  async function settleOwner(endpointId: string): Promise<void> {
    const keys = reservations.get(endpointId) ?? [];
    const open = keys.filter(isOpenUnclaimedKey);
    if (open.length === 0) return;
    reservations.set(endpointId, keys.filter((k) => !isOpenUnclaimedKey(k)));
    await store.releaseReservations({ leadId, keys: open });
  }

  // --- handlers: registered before the first await so nothing arrives unhandled
  setHandler(leadStateQuery, () => journal.state);

  setHandler(
    claimLeadUpdate,
    async ({ actor, onBehalfOf }) => {
      refuse(checkClaim(ready(), actor, onBehalfOf, Date.now()));
      journal.emit({ type: 'claimed', data: { endpointId: resolveClaimant(actor, onBehalfOf)!, implicit: false } }, actor);
      await journal.flush();
      return ack();
    },
    { validator: ({ actor, onBehalfOf }) => refuse(checkClaim(ready(), actor, onBehalfOf, Date.now())) },
  );

  setHandler(
    updateLeadStatusUpdate,
    async ({ actor, status, note }) => {
      const s = ready();
      refuse(checkAct(s, actor));
      // A real action by the offered agent claims the lead; viewing never does.
      if (!s.ownerEndpointId && actor.role === 'agent' && actor.endpointId && s.offeredTo.includes(actor.endpointId)) {
        journal.emit({ type: 'claimed', data: { endpointId: actor.endpointId, implicit: true } }, actor);
      }
      journal.emit({ type: 'status_changed', data: { status, ...(note ? { note } : {}) } }, actor);
      await journal.flush();
      return ack();
    },
    { validator: ({ actor }) => refuse(checkAct(ready(), actor)) },
  );

  setHandler(
    shareLeadUpdate,
    async ({ actor, userId, permission }) => {
      refuse(checkShare(ready(), actor));
      journal.emit({ type: 'shared', data: { userId, permission } }, actor);
      await journal.flush();
      background(messaging.notify({ tenantId, leadId, kind: 'shared', endpointIds: [], message: `${actor.userId} shared a lead with ${userId} (${permission})`, key: noteKey() }));
      return ack();
    },
    { validator: ({ actor }) => refuse(checkShare(ready(), actor)) },
  );

  setHandler(
    reassignLeadUpdate,
    async (req) => {
      refuse(checkReassign(ready(), req.actor, req.toEndpointId));
      reassignRequest = req;
      return ack();
    },
    { validator: (req) => refuse(checkReassign(ready(), req.actor, req.toEndpointId)) },
  );

  setHandler(
    returnLeadUpdate,
    async ({ actor, reason, evidence, replace }) => {
      const policy = ctx!.returnPolicy;
      refuse(checkReturn(ready(), actor, reason, policy, undefined, Date.now()));
      const stats = await store.returnStats({ tenantId, sourceId });
      const verdict = checkReturn(journal.current, actor, reason, policy, stats, Date.now());
      if (!verdict.ok) {
        journal.emit({ type: 'return_refused', data: { reason, code: verdict.code } }, actor);
        await journal.flush();
        refuse(verdict);
      }
      let replacementLeadId: string | undefined;
      if (replace) {
        replacementLeadId = `${leadId}-r1`;
        await startChild(leadWorkflow, {
          workflowId: leadWorkflowId(tenantId, replacementLeadId),
          parentClosePolicy: ParentClosePolicy.ABANDON,
          args: [{ ...input, leadId: replacementLeadId, replacementOf: leadId, receivedAt: Date.now(), excludeEndpointIds: [journal.current.deliveredTo!].filter(Boolean), preassignedEndpointId: undefined }],
        });
      }
      journal.emit(
        { type: 'return_accepted', data: { reason, creditCents: ctx!.costCents, ...(evidence ? { evidence } : {}), ...(replacementLeadId ? { replacementLeadId } : {}) } },
        actor,
      );
      // A returned lead with a replacement gives its capacity back to the receiver.
      if (replace) await release([...reservations.keys()]);
      await journal.flush();
      return { ...ack(), creditCents: ctx!.costCents, ...(replacementLeadId ? { replacementLeadId } : {}) };
    },
    { validator: ({ actor, reason }) => refuse(checkReturn(ready(), actor, reason, ctx!.returnPolicy, undefined, Date.now())) },
  );

  setHandler(leadViewedSignal, ({ actor }) => {
    if (!journal.state || actor.tenantId !== tenantId) return;
    journal.emit({ type: 'viewed', data: actor.endpointId ? { endpointId: actor.endpointId } : {} }, actor);
  });

  setHandler(offerDeclinedSignal, ({ actor }) => {
    const s = journal.state;
    if (s && actor.tenantId === tenantId && actor.endpointId && s.offeredTo.includes(actor.endpointId)) declined.add(actor.endpointId);
  });

  // --- intake and validation
  ctx = await store.loadLeadContext({ tenantId, sourceId });
  const posted = input.lead.address;
  const postedMarket = {
    ...(posted?.state ? { state: posted.state.toUpperCase() } : {}),
    ...(posted?.zip ? { zip: posted.zip.slice(0, 5) } : {}),
    ...(posted?.city ? { city: posted.city } : {}),
  };
  journal.emit(
    {
      type: 'received',
      data: {
        sourceId,
        serviceLine: input.lead.serviceLine,
        costCents: ctx.costCents,
        ...(input.externalId ? { externalId: input.externalId } : {}),
        ...(input.preassignedEndpointId ? { preassignedEndpointId: input.preassignedEndpointId } : {}),
        ...(Object.keys(postedMarket).length ? { market: postedMarket } : {}),
        ...(input.replacementOf ? { replacementOf: input.replacementOf } : {}),
      },
    },
    { userId: `source:${sourceId}`, role: 'vendor' },
  );
  if (ctx.problem) {
    journal.emit({ type: 'rejected', data: { reason: 'invalid', detail: ctx.problem } });
    await journal.flush();
    return result();
  }

  const validation = await store.validateLead({
    tenantId, leadId, sourceId, receivedAt: input.receivedAt, lead: input.lead, duplicateWindowMs: ctx.duplicateWindowMs,
    ...(input.replacementOf ? { replacementOf: input.replacementOf } : {}),
  });
  journal.emit({
    type: 'validated',
    data: {
      outcome: validation.outcome,
      steps: validation.steps.map(({ step, outcome, reason }) => ({ step, outcome, ...(reason ? { reason } : {}) })),
      flags: validation.flags,
      ...(validation.geography
        ? {
            market: {
              zip: validation.geography.zip,
              state: validation.geography.state,
              ...(validation.geography.countyFips ? { countyFips: validation.geography.countyFips } : {}),
              ...(validation.geography.timeZone ? { timeZone: validation.geography.timeZone } : {}),
            },
          }
        : {}),
    },
  });
  if (validation.outcome === 'rejected') {
    journal.emit({ type: 'rejected', data: { reason: validation.rejectReason ?? 'invalid', detail: validation.rejectDetail ?? 'failed validation' } });
    await journal.flush();
    return result();
  }
  await flushOnTheWay();

  // Speed to lead: acknowledge the consumer while routing and claiming run.
  const ackChannels = validation.consentChannels.filter(
    (c): c is 'sms' | 'email' => (c === 'sms' && !!ctx!.autoResponse.sms) || (c === 'email' && !!ctx!.autoResponse.email),
  );
  background(
    (ackChannels.length > 0
      ? messaging.sendAutoResponse({ tenantId, leadId, sourceId, lead: input.lead, channels: ackChannels })
      : Promise.resolve({ sent: [] as string[], skipped: 'no consent for an available channel' })
    ).then(async (r) => {
      journal.emit({ type: 'auto_responded', data: { channels: r.sent, ...(r.skipped ? { skipped: r.skipped } : {}) } });
      await journal.flush();
    }),
  );

  // --- allocation, delivery, claim
  let everRouted = false;
  let offerRound = 0;

  async function deliverTo(target: RouteTarget): Promise<boolean> {
    const idempotencyKey = `${workflowId}:${target.endpointId}`;
    try {
      const delivery = !patched(DELIVERY_AS_LOCAL_ACTIVITY) ? remoteDelivery : patched(DELIVERY_RETRY_ON_TIMERS) ? deliveryVia(localDeliveryRetryOnTimers) : localDelivery;
      const receipt = await delivery.deliverLead({ tenantId, leadId, sourceId, lead: input.lead, endpointId: target.endpointId, idempotencyKey });
      journal.emit({ type: 'delivered', data: { endpointId: target.endpointId, method: receipt.method, idempotencyKey, ...(target.priceCents ? { priceCents: target.priceCents } : {}) } });
      return true;
    } catch (err) {
      journal.emit({ type: 'delivery_failed', data: { endpointId: target.endpointId, reason: failureMessage(err) } });
      await release([target.endpointId]);
      return false;
    }
  }

  function escalate(kind: 'undeliverable' | 'claim_lapses' | 'manual', reason: string): AssignResult {
    journal.emit({ type: 'escalated', data: { kind, reason } });
    background(messaging.notify({ tenantId, leadId, kind: 'escalated', endpointIds: [], message: reason, key: noteKey() }));
    return 'escalated';
  }

  async function assign(excludeInitially: string[], preassignedEndpointId?: string): Promise<AssignResult> {
    const exclude = new Set(excludeInitially);
    let lapses = 0;
    let preassigned = preassignedEndpointId;
    for (let attempt = 1; ; attempt++) {
      if (attempt > MAX_ROUTING_ROUNDS) return escalate('undeliverable', `no delivery succeeded after ${MAX_ROUTING_ROUNDS} routing rounds`);
      routingRound += 1;
      const route = await store.routeLead({
        tenantId, leadId, sourceId, serviceLine: input.lead.serviceLine, flags: validation.flags, exclude: [...exclude], round: routingRound, at: Date.now(),
        ...(validation.geography ? { geography: validation.geography } : {}),
        ...(preassigned ? { preassignedEndpointId: preassigned } : {}),
      });
      preassigned = undefined;
      if (route.kind === 'no_coverage') {
        if (!everRouted) {
          journal.emit({ type: 'rejected', data: { reason: 'no_coverage', detail: route.summary } });
          return 'rejected';
        }
        return escalate(lapses > 0 ? 'claim_lapses' : 'undeliverable', `no eligible endpoint is left: ${route.summary}`);
      }
      everRouted = true;
      if (route.kind === 'manual_queue') {
        journal.emit({ type: 'routed', data: { configVersion: route.configVersion, outcome: 'manual_queue', endpointIds: [], summary: route.summary, reservationKeys: [] } });
        return escalate('manual', 'manual distribution: waiting in the manager queue for hand assignment');
      }
      for (const t of route.targets) reservations.set(t.endpointId, t.reservationKeys);
      journal.emit({
        type: 'routed',
        data: {
          configVersion: route.configVersion, outcome: route.kind, endpointIds: route.targets.map((t) => t.endpointId), summary: route.summary,
          reservationKeys: route.targets.flatMap((t) => t.reservationKeys),
          ...(route.tier ? { tier: route.tier } : {}), ...(route.algorithm ? { algorithm: route.algorithm } : {}),
        },
      });
      await flushOnTheWay();

      const outcomes = await Promise.all(route.targets.map(async (t) => ({ t, ok: await deliverTo(t) })));
      const delivered = outcomes.filter((o) => o.ok).map((o) => o.t);
      for (const o of outcomes) if (!o.ok) exclude.add(o.t.endpointId);
      if (delivered.length === 0) {
        await journal.flush();
        continue; // fail over to the next candidate
      }

      const claimers = delivered.filter((t) => t.claimRequired);
      if (claimers.length === 0) {
        const owner = delivered[0]!;
        journal.emit({ type: 'assigned', data: { endpointId: owner.endpointId, by: 'delivery' } });
        await release(delivered.slice(1).map((t) => t.endpointId));
        await settleOwner(owner.endpointId);
        await journal.flush();
        return 'owned';
      }

      offerRound += 1;
      const offered = claimers.map((t) => t.endpointId);
      const deadlineSec = claimers[0]!.claimDeadlineSec ?? 300;
      const { deadlineAt } = await messaging.offerLead({
        tenantId, leadId, endpointIds: offered, round: offerRound, deadlineSec, at: Date.now(),
        ...(claimers[0]!.pauseDeadlineOutsideHours ? { pauseOutsideHours: true } : {}),
      });
      journal.emit({ type: 'offered', data: { endpointIds: offered, deadlineAt, round: offerRound } });
      await journal.flush();

      declined.clear();
      await condition(
        () => !!journal.current.ownerEndpointId || reassignRequest !== undefined || offered.every((id) => declined.has(id)),
        Math.max(1, deadlineAt - Date.now()),
      );
      const owner = journal.current.ownerEndpointId;
      if (owner) {
        await release(offered.filter((id) => id !== owner));
        await settleOwner(owner);
        const others = offered.filter((id) => id !== owner);
        if (others.length > 0) background(messaging.notify({ tenantId, leadId, kind: 'claimed', endpointIds: others, message: 'This lead was claimed by someone else.', key: noteKey() }));
        return 'owned';
      }
      if (reassignRequest) {
        await release(offered);
        return 'reassign';
      }

      journal.emit({ type: 'lapsed', data: { endpointIds: offered, round: offerRound } });
      await release(offered);
      await journal.flush();
      background(messaging.notify({ tenantId, leadId, kind: 'lapsed', endpointIds: offered, message: 'The claim deadline passed; the lead is being reassigned.', key: noteKey() }));
      for (const id of offered) exclude.add(id);
      lapses += 1;
      const maxLapses = claimers[0]!.maxLapses ?? DEFAULT_MAX_LAPSES;
      if (lapses >= maxLapses) return escalate('claim_lapses', `${lapses} offer(s) lapsed unclaimed; escalated to the manager queue`);
    }
  }

  async function handReassign(req: ReassignInput): Promise<void> {
    const before = journal.current.ownerEndpointId;
    routingRound += 1;
    const route = await store.routeLead({
      tenantId, leadId, sourceId, serviceLine: input.lead.serviceLine, flags: validation.flags, exclude: [], round: routingRound, at: Date.now(), preassignedEndpointId: req.toEndpointId,
      ...(validation.geography ? { geography: validation.geography } : {}),
    });
    const target = route.kind === 'no_coverage' || route.kind === 'manual_queue' ? undefined : route.targets[0];
    if (!target) {
      journal.emit({ type: 'delivery_failed', data: { endpointId: req.toEndpointId, reason: route.summary } });
      await journal.flush();
      return;
    }
    reservations.set(target.endpointId, target.reservationKeys);
    if (await deliverTo(target)) {
      await settleOwner(target.endpointId);
      journal.emit(
        before
          ? { type: 'reassigned', data: { fromEndpointId: before, toEndpointId: target.endpointId, ...(req.note ? { note: req.note } : {}) } }
          : { type: 'assigned', data: { endpointId: target.endpointId, by: 'manager' } },
        req.actor,
      );
      background(messaging.notify({ tenantId, leadId, kind: 'reassigned', endpointIds: [target.endpointId, ...(before ? [before] : [])], message: 'A manager reassigned this lead.', key: noteKey() }));
    }
    await journal.flush();
  }

  function result(): LeadWorkflowResult {
    const s = journal.current;
    return { leadId, status: s.status, billing: s.billing, ...(s.ownerEndpointId ? { ownerEndpointId: s.ownerEndpointId } : {}) };
  }

  if (ctx.manualDistribution && !input.preassignedEndpointId) {
    journal.emit({ type: 'routed', data: { configVersion: 0, outcome: 'manual_queue', endpointIds: [], summary: 'manual distribution is on for this source', reservationKeys: [] } });
    escalate('manual', 'manual distribution: waiting in the manager queue for hand assignment');
    await journal.flush();
  } else {
    const first = await assign(input.excludeEndpointIds ?? [], input.preassignedEndpointId);
    await journal.flush();
    if (first === 'rejected') return result();
  }

  // --- ownership and the return window. A lead without an owner waits for a
  // manager; an owned one waits for its window to close, then billing is final.
  for (;;) {
    if (reassignRequest) {
      const req = reassignRequest;
      reassignRequest = undefined;
      await handReassign(req);
      continue;
    }
    const s = journal.current;
    const closesAt = s.deliveredAt === undefined ? undefined : s.deliveredAt + ctx.returnPolicy.windowMs;
    if (s.ownerEndpointId && closesAt !== undefined) {
      if (Date.now() >= closesAt) break;
      await condition(() => reassignRequest !== undefined, closesAt - Date.now());
    } else {
      await condition(() => reassignRequest !== undefined);
    }
  }

  journal.emit({ type: 'billing_final', data: { billedCents: journal.current.billing === 'credited' ? 0 : ctx.costCents } });
  await journal.flush();
  return result();
}
