import {
  ApplicationFailure,
  ParentClosePolicy,
  condition,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import type { LeadActivities } from '../activities/lead-ports.ts';
import { ALERT_MAX_ATTEMPTS } from '../domain/alerts/alert-defaults.ts';
import { decideAcknowledged, decideReceived, decideValidated, planAcknowledgement } from '../domain/lifecycle/decide-intake.ts';
import {
  decideAlerted,
  decideDelivered,
  decideDistribution,
  decideHoldEnded,
  decideOffered,
  decideOfferEnded,
  decidePaceEnded,
  decideRouted,
  deliveryKey,
  type RoutingStep,
  decideReviewEnded,
  type ReviewVerdict,
} from '../domain/lifecycle/decide-routing.ts';
import {
  checkReturnRequest,
  declineCounts,
  decideClaim,
  decideHandReassignDelivered,
  decideHandReassignRouted,
  decideReassignRequest,
  decideRelease,
  decideReview,
  decideReturn,
  decideShare,
  decideStatus,
  decideViewed,
  decideWindowClosed,
  returnWindowClosesAt,
  startHandReassign,
} from '../domain/lifecycle/decide-work.ts';
import { initialRun, type Decision, type Emit, type RunState } from '../domain/lifecycle/decision.ts';
import type { Actor } from '../domain/lifecycle/actor.ts';
import type { LeadWorkflowInput } from '../domain/lifecycle/lead-input.ts';
import type { LeadState } from '../domain/lifecycle/lead-state.ts';
import type { DeliveryOutcome, LeadContext, RouteTarget, ValidationOutcome } from '../domain/lifecycle/step-results.ts';
import {
  approveLeadUpdate,
  claimLeadUpdate,
  leadStateQuery,
  rejectLeadUpdate,
  leadViewedSignal,
  leadWorkflowId,
  offerDeclinedSignal,
  reassignLeadUpdate,
  releaseHeldLeadUpdate,
  returnLeadUpdate,
  shareLeadUpdate,
  updateLeadStatusUpdate,
  type ClaimInput,
  type ReassignInput,
  type RejectInReviewInput,
  type ReviewInput,
  type ReturnInput,
  type ShareInput,
  type StatusInput,
  type UpdateAck,
} from './definitions.ts';
import { LeadJournal } from './lead/journal.ts';
import { localActivityQueue } from './lead/one-at-a-time.ts';

// Steps that touch only our stores are local activities (no server round trip
// each) that retry without limit: a database outage delays a lead, it never
// loses one.
const storeCalls = proxyLocalActivities<LeadActivities>({
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '200 milliseconds', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});

// Delivery is a local activity too, so a lead reaches its receiver within the
// workflow task that routed it. It retries with backoff (1 s, 2 s, 4 s, 8 s),
// then the lead fails over; a receiver's 4xx arrives as a non-retryable
// failure and fails over at once. Waits past half a second are durable timers,
// not sleeps inside the workflow task: they survive a worker crash and are
// skipped by time-skipping tests.
const deliveryCalls = proxyLocalActivities<LeadActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 5 },
  localRetryThreshold: '500 milliseconds',
});

// What reaches people (the consumer's acknowledgement, offers, notices) is an
// ordinary activity: it may take its time without holding the lead up.
const messaging = proxyActivities<LeadActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 10 },
});

// Alerts to people retry on their own schedule; the last attempt reports what still failed.
const alerts = proxyActivities<LeadActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: ALERT_MAX_ATTEMPTS },
});

export interface LeadWorkflowResult {
  leadId: string;
  status: LeadState['status'];
  ownerEndpointId?: string;
  billing: LeadState['billing'];
}

/** A refusal from the lifecycle's rules, as the update caller receives it. */
function refuse(r: { ok: true } | { ok: false; code: string; message: string }): void {
  if (!r.ok) throw ApplicationFailure.create({ type: r.code, message: r.message, nonRetryable: true });
}

/** The useful text of an activity failure is on its innermost cause. */
function failureMessage(err: unknown): string {
  let e = err as { message?: string; cause?: unknown } | undefined;
  while (e?.cause) e = e.cause;
  return e?.message ?? String(err);
}

/**
 * One lead, from intake to final billing: receive, validate, acknowledge,
 * route and deliver, offer and claim, work, the return window, final billing.
 * Every decision is the lifecycle decider's (`domain/lifecycle/`); this
 * function runs the steps it asks for and records what it decides.
 */
export async function leadWorkflow(input: LeadWorkflowInput): Promise<LeadWorkflowResult> {
  const { tenantId, leadId, sourceId } = input;
  const workflowId = workflowInfo().workflowId;
  // Every local activity of this lead runs one at a time (see one-at-a-time.ts).
  const queue = localActivityQueue();
  const store = queue.wrap(storeCalls);
  const delivery = queue.wrap(deliveryCalls);
  const journal = new LeadJournal(tenantId, leadId, (events) => store.recordEvents(events));

  let ctx: LeadContext | undefined;
  let validation: ValidationOutcome | undefined;
  let run: RunState = initialRun();
  let reassignRequest: ReassignInput | undefined;
  let releaseRequest: { actor: Actor } | undefined;
  let reviewVerdict: ReviewVerdict | undefined;
  const declined = new Set<string>();

  const lead = () => journal.current;
  const record = (events: readonly Emit[]) => {
    for (const e of events) journal.emit(e.body, e.actor);
  };
  const background = (p: Promise<unknown>) => void p.catch(() => undefined);
  /** Records a decision's events and run at once (before any await, so nothing else can interleave), then carries out its effects. */
  function commit<N>(d: Decision<N>): N {
    record(d.events);
    run = d.run;
    return d.next;
  }
  async function carryOut(d: Pick<Decision<unknown>, 'release' | 'settle' | 'notices'>): Promise<void> {
    if (d.release.length > 0) await store.releaseReservations({ handles: d.release });
    if (d.settle.length > 0) await store.settleReservations({ handles: d.settle });
    for (const n of d.notices)
      background(
        alerts.notify({ tenantId, leadId, lead: summary(), ...n }).then(async (report) => {
          const told = decideAlerted(report);
          if (told.length === 0) return;
          record(told);
          await journal.flush();
        }),
      );
  }
  async function apply<N>(d: Decision<N>): Promise<N> {
    const next = commit(d);
    await carryOut(d);
    return next;
  }

  /** What an alert may say about the lead before anyone has claimed it: the service line and the area, never the contact. */
  const summary = () => {
    const g = validation?.geography;
    const area = g ? [g.city, [g.state, g.zip].filter(Boolean).join(' ')].filter(Boolean).join(', ') : undefined;
    return { leadId, serviceLine: input.lead.serviceLine, ...(area ? { area } : {}) };
  };

  const ack = (): UpdateAck => {
    const s = lead();
    return { leadId, status: s.status, ...(s.ownerEndpointId ? { ownerEndpointId: s.ownerEndpointId } : {}) };
  };
  const ready = (): LeadState => {
    if (!journal.state || !ctx)
      throw ApplicationFailure.create({ type: 'not_ready', message: 'This lead is still being received; try again in a moment.', nonRetryable: true });
    return journal.state;
  };
  const result = async (): Promise<LeadWorkflowResult> => {
    await journal.flush();
    const s = lead();
    return { leadId, status: s.status, billing: s.billing, ...(s.ownerEndpointId ? { ownerEndpointId: s.ownerEndpointId } : {}) };
  };

  // --- what people do: registered before the first await, so nothing arrives unhandled
  setHandler(leadStateQuery, () => journal.state);

  setHandler(
    claimLeadUpdate,
    async ({ actor, onBehalfOf }) => {
      const v = decideClaim(ready(), actor, onBehalfOf, Date.now());
      refuse(v);
      if (v.ok) record(v.events);
      await journal.flush();
      return ack();
    },
    { validator: ({ actor, onBehalfOf }: ClaimInput) => refuse(decideClaim(ready(), actor, onBehalfOf, Date.now())) },
  );

  setHandler(
    updateLeadStatusUpdate,
    async ({ actor, status, note }) => {
      const v = decideStatus(ready(), actor, status, note);
      refuse(v);
      if (v.ok) record(v.events);
      await journal.flush();
      return ack();
    },
    { validator: ({ actor, status, note }: StatusInput) => refuse(decideStatus(ready(), actor, status, note)) },
  );

  setHandler(
    shareLeadUpdate,
    async ({ actor, userId, permission }) => {
      const d = decideShare(ready(), run, actor, userId, permission);
      refuse(d);
      if (d.ok) await apply(d);
      await journal.flush();
      return ack();
    },
    { validator: ({ actor, userId, permission }: ShareInput) => refuse(decideShare(ready(), run, actor, userId, permission)) },
  );

  setHandler(
    reassignLeadUpdate,
    async (req) => {
      refuse(decideReassignRequest(ready(), req.actor, req.toEndpointId));
      reassignRequest = req; // carried out by the main path, between its steps
      return ack();
    },
    { validator: (req: ReassignInput) => refuse(decideReassignRequest(ready(), req.actor, req.toEndpointId)) },
  );

  setHandler(
    approveLeadUpdate,
    async ({ actor, note }) => {
      refuse(decideReview(ready(), actor));
      reviewVerdict = { approved: true, by: actor, ...(note ? { note } : {}) }; // carried out by the main path, which waits on the review
      return ack();
    },
    { validator: ({ actor }: ReviewInput) => refuse(decideReview(ready(), actor)) },
  );

  setHandler(
    rejectLeadUpdate,
    async ({ actor, reason, note }) => {
      refuse(decideReview(ready(), actor));
      reviewVerdict = { approved: false, by: actor, reason, ...(note ? { note } : {}) };
      return ack();
    },
    { validator: ({ actor }: RejectInReviewInput) => refuse(decideReview(ready(), actor)) },
  );

  setHandler(
    releaseHeldLeadUpdate,
    async ({ actor }) => {
      refuse(decideRelease(ready(), actor));
      releaseRequest = { actor }; // carried out by the main path, which is waiting on the hold
      return ack();
    },
    { validator: ({ actor }: { actor: Actor }) => refuse(decideRelease(ready(), actor)) },
  );

  setHandler(
    returnLeadUpdate,
    async (req) => {
      refuse(checkReturnRequest(ready(), req.actor, req.reason, ctx!.returnPolicy, Date.now()));
      const stats = await store.returnStats({ tenantId, sourceId });
      const d = decideReturn(lead(), run, req, ctx!, stats, input, Date.now());
      if (!d.ok) {
        record(d.events);
        await journal.flush();
        throw ApplicationFailure.create({ type: d.code, message: d.message, nonRetryable: true });
      }
      commit(d);
      if (d.replacement) {
        await startChild(leadWorkflow, {
          workflowId: leadWorkflowId(tenantId, d.replacement.leadId),
          parentClosePolicy: ParentClosePolicy.ABANDON,
          args: [d.replacement],
        });
      }
      await carryOut(d);
      await journal.flush();
      return { ...ack(), creditCents: d.creditCents, ...(d.replacement ? { replacementLeadId: d.replacement.leadId } : {}) };
    },
    { validator: ({ actor, reason }: ReturnInput) => refuse(checkReturnRequest(ready(), actor, reason, ctx!.returnPolicy, Date.now())) },
  );

  setHandler(leadViewedSignal, ({ actor }) => record(decideViewed(journal.state, actor)));

  setHandler(offerDeclinedSignal, ({ actor }) => {
    if (declineCounts(journal.state, actor)) declined.add(actor.endpointId!);
  });

  // --- the steps the decider asks for
  /** `hideContact`: the receiver is offered the lead and has not claimed it yet. */
  async function deliver(target: RouteTarget, hideContact = !!target.claimRequired): Promise<DeliveryOutcome> {
    const idempotencyKey = deliveryKey(workflowId, target.endpointId);
    try {
      const receipt = await delivery.deliverLead({
        tenantId,
        leadId,
        sourceId,
        lead: input.lead,
        endpointId: target.endpointId,
        idempotencyKey,
        ...(hideContact ? { contactHidden: true } : {}),
      });
      return { target, ok: true, receipt, idempotencyKey };
    } catch (err) {
      return { target, ok: false, reason: failureMessage(err) };
    }
  }

  const routeLead = (round: number, exclude: string[], preassignedEndpointId?: string, ignoreSchedules?: boolean, reviewed?: boolean) =>
    store.routeLead({
      tenantId,
      leadId,
      sourceId,
      serviceLine: input.lead.serviceLine,
      flags: validation!.flags,
      exclude,
      round,
      at: Date.now(),
      ...(validation!.geography ? { geography: validation!.geography } : {}),
      ...(preassignedEndpointId ? { preassignedEndpointId } : {}),
      ...(ignoreSchedules ? { ignoreSchedules: true } : {}),
      ...(validation!.signals ? { signals: validation!.signals } : {}),
      ...(reviewed ? { reviewed: true } : {}),
    });

  /** Routing rounds, deliveries, offers and claims, until the lead has an owner, is rejected, escalated, or a manager steps in. */
  async function distribute(first: Decision<RoutingStep>): Promise<'owned' | 'escalated' | 'rejected' | 'reassign'> {
    let step = await apply(first);
    for (;;) {
      switch (step.kind) {
        case 'route':
          step = await apply(
            decideRouted(lead(), run, await routeLead(step.round, step.exclude, step.preassignedEndpointId, step.ignoreSchedules, step.reviewed), Date.now()),
          );
          break;
        case 'review': {
          await journal.flush();
          await condition(() => reviewVerdict !== undefined || reassignRequest !== undefined);
          step = await apply(decideReviewEnded(lead(), run, reassignRequest ? 'reassign' : reviewVerdict!));
          reviewVerdict = undefined;
          break;
        }
        case 'hold': {
          const until = step.until;
          await journal.flush();
          await condition(() => reassignRequest !== undefined || releaseRequest !== undefined, Math.max(1, until - Date.now()));
          const how = reassignRequest ? 'reassign' : releaseRequest ? 'released' : 'turn';
          step = await apply(decideHoldEnded(lead(), run, how, releaseRequest?.actor));
          releaseRequest = undefined;
          break;
        }
        case 'pace': {
          const wait = step;
          await journal.flush();
          await condition(() => reassignRequest !== undefined, Math.max(1, wait.until - Date.now()));
          step = await apply(decidePaceEnded(lead(), run, wait, reassignRequest !== undefined));
          break;
        }
        case 'deliver':
          step = await apply(decideDelivered(lead(), run, await Promise.all(step.targets.map((t) => deliver(t)))));
          break;
        case 'offer': {
          const offer = step;
          const { deadlineAt } = await messaging.offerLead({
            tenantId,
            leadId,
            endpointIds: offer.endpointIds,
            round: offer.round,
            deadlineSec: offer.deadlineSec,
            at: Date.now(),
            ...(offer.pauseOutsideHours ? { pauseOutsideHours: true } : {}),
          });
          step = await apply(decideOffered(lead(), run, offer, deadlineAt));
          break;
        }
        case 'await_claim': {
          const wait = step;
          await journal.flush();
          declined.clear();
          await condition(
            () => !!lead().ownerEndpointId || reassignRequest !== undefined || wait.endpointIds.every((id) => declined.has(id)),
            Math.max(1, wait.deadlineAt - Date.now()),
          );
          step = await apply(decideOfferEnded(lead(), run, wait, reassignRequest !== undefined));
          break;
        }
        default:
          await journal.flush();
          return step.kind;
      }
    }
  }

  /** A manager hands the lead to an endpoint they name. */
  async function handReassign(req: ReassignInput): Promise<void> {
    const started = startHandReassign(run);
    run = started.run;
    const step = await apply(decideHandReassignRouted(lead(), run, req.toEndpointId, await routeLead(started.round, [], req.toEndpointId)));
    // A manager's hand assignment makes the receiver the owner at once: it gets the contact.
    if (step.kind === 'deliver') await apply(decideHandReassignDelivered(lead(), run, req.actor, req.note, await deliver(step.target, false)));
    await journal.flush();
  }

  /** Owned: wait for the return window to close. Without an owner: wait for a manager. Reassignments are carried out meanwhile. */
  async function untilWindowCloses(): Promise<void> {
    for (;;) {
      if (reassignRequest) {
        const req = reassignRequest;
        reassignRequest = undefined;
        await handReassign(req);
        continue;
      }
      const closesAt = returnWindowClosesAt(lead(), ctx!.returnPolicy);
      if (closesAt === undefined) await condition(() => reassignRequest !== undefined);
      else if (Date.now() >= closesAt) return;
      else await condition(() => reassignRequest !== undefined, closesAt - Date.now());
    }
  }

  /** Speed to lead: the consumer hears back while routing goes on. */
  function acknowledge(v: ValidationOutcome): void {
    const plan = planAcknowledgement(v, ctx!);
    if ('events' in plan) return record(plan.events);
    background(
      messaging.sendAutoResponse({ tenantId, leadId, sourceId, lead: input.lead, channels: plan.send }).then(async (r) => {
        record(decideAcknowledged(r));
        await journal.flush();
      }),
    );
  }

  // 1. Receive and 2. validate: one local activity, which validates only when the source takes leads
  const first = await store.receiveLead({
    tenantId,
    leadId,
    sourceId,
    receivedAt: input.receivedAt,
    lead: input.lead,
    ...(input.replacementOf ? { replacementOf: input.replacementOf } : {}),
  });
  ctx = first.context;
  const received = decideReceived(input, ctx);
  record(received.events);
  if (received.end) return result();
  if (!first.validation) throw ApplicationFailure.nonRetryable(`lead ${leadId} was received without a validation`, 'BrokenInvariant');
  validation = first.validation;
  const validated = decideValidated(validation);
  record(validated.events);
  if (validated.end) return result();

  // 3. Acknowledge
  acknowledge(validation);

  // 4. Route and deliver, offer and claim
  if ((await distribute(decideDistribution(lead(), run, input, ctx))) === 'rejected') return result();

  // 5. Work, and the return window
  await untilWindowCloses();

  // 6. Final billing
  record(decideWindowClosed(lead(), ctx));
  return result();
}
