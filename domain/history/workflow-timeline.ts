import type { Names } from './lead-event-text.ts';
import { idNames } from './lead-event-text.ts';
import type { TimelineEntry } from './timeline.ts';

// Structural views of the Temporal history protos: just the fields read here,
// so this module stays pure and needs no Temporal package at run time. The
// SDK's `temporal.api.history.v1.IHistoryEvent` fits them (checked in the test).
type Longish = number | string | { toNumber(): number } | null | undefined;
interface Ts {
  seconds?: Longish;
  nanos?: number | null;
}
interface Payload {
  metadata?: { [k: string]: Uint8Array } | null;
  data?: Uint8Array | null;
}
interface Payloads {
  payloads?: Payload[] | null;
}
export interface FailureLike {
  message?: string | null;
  cause?: FailureLike | null;
  applicationFailureInfo?: { type?: string | null; nonRetryable?: boolean | null } | null;
  timeoutFailureInfo?: { timeoutType?: number | string | null } | null;
}
interface Named {
  name?: string | null;
}

export interface HistoryEventLike {
  eventId?: Longish;
  eventTime?: Ts | null;
  workflowExecutionStartedEventAttributes?: { attempt?: number | null; taskQueue?: Named | null; workflowType?: Named | null } | null;
  workflowExecutionCompletedEventAttributes?: { result?: Payloads | null } | null;
  workflowExecutionFailedEventAttributes?: { failure?: FailureLike | null } | null;
  workflowExecutionTimedOutEventAttributes?: object | null;
  workflowExecutionTerminatedEventAttributes?: { reason?: string | null; identity?: string | null } | null;
  workflowExecutionCanceledEventAttributes?: object | null;
  workflowExecutionContinuedAsNewEventAttributes?: object | null;
  workflowTaskStartedEventAttributes?: object | null;
  workflowTaskCompletedEventAttributes?: object | null;
  workflowTaskFailedEventAttributes?: { cause?: number | string | null; failure?: FailureLike | null } | null;
  workflowTaskTimedOutEventAttributes?: object | null;
  activityTaskScheduledEventAttributes?: { activityId?: string | null; activityType?: Named | null; input?: Payloads | null } | null;
  activityTaskStartedEventAttributes?: { scheduledEventId?: Longish; attempt?: number | null; lastFailure?: FailureLike | null } | null;
  activityTaskCompletedEventAttributes?: { scheduledEventId?: Longish; startedEventId?: Longish } | null;
  activityTaskFailedEventAttributes?: {
    scheduledEventId?: Longish;
    startedEventId?: Longish;
    failure?: FailureLike | null;
    retryState?: number | string | null;
  } | null;
  activityTaskTimedOutEventAttributes?: {
    scheduledEventId?: Longish;
    startedEventId?: Longish;
    failure?: FailureLike | null;
    retryState?: number | string | null;
  } | null;
  activityTaskCanceledEventAttributes?: { scheduledEventId?: Longish } | null;
  markerRecordedEventAttributes?: { markerName?: string | null; details?: { [k: string]: Payloads } | null; failure?: FailureLike | null } | null;
  timerStartedEventAttributes?: { timerId?: string | null; startToFireTimeout?: Ts | null } | null;
  timerFiredEventAttributes?: { timerId?: string | null } | null;
  timerCanceledEventAttributes?: { timerId?: string | null } | null;
  workflowExecutionSignaledEventAttributes?: { signalName?: string | null; input?: Payloads | null } | null;
  workflowExecutionUpdateAcceptedEventAttributes?: {
    acceptedRequest?: { meta?: { updateId?: string | null } | null; input?: { name?: string | null; args?: Payloads | null } | null } | null;
  } | null;
  workflowExecutionUpdateCompletedEventAttributes?: {
    meta?: { updateId?: string | null } | null;
    outcome?: { success?: Payloads | null; failure?: FailureLike | null } | null;
  } | null;
  startChildWorkflowExecutionInitiatedEventAttributes?: { workflowId?: string | null } | null;
  childWorkflowExecutionFailedEventAttributes?: { workflowExecution?: { workflowId?: string | null } | null; failure?: FailureLike | null } | null;
}

const num = (v: Longish): number => (v == null ? 0 : typeof v === 'object' ? v.toNumber() : Number(v));
const timeOf = (t: Ts | null | undefined): number => (t ? num(t.seconds) * 1000 + Math.floor((t.nanos ?? 0) / 1e6) : 0);

const RETRY_STATE: Record<number, string> = {
  1: 'in progress',
  2: 'a non-retryable failure',
  3: 'its timeout',
  4: 'maximum attempts reached',
  5: 'no retry policy',
  6: 'an internal server error',
  7: 'cancel requested',
};
const TIMEOUT_TYPE: Record<number, string> = { 1: 'start-to-close', 2: 'schedule-to-start', 3: 'schedule-to-close', 4: 'heartbeat' };
/** A proto enum as words: numbers through the table, names without their prefix. */
const enumText = (table: Record<number, string>, v: number | string | null | undefined, prefix = '') => {
  if (v == null) return undefined;
  if (typeof v === 'number') return table[v];
  return v.replace(prefix, '').toLowerCase().replace(/_/g, ' ');
};

/** What decodes payloads (the deployment's payload codecs, e.g. its encryption). */
export interface PayloadDecoder {
  decode(payloads: Payload[]): Promise<Payload[]>;
}

/**
 * Decodes, in place, the payloads the timeline reads (activity inputs,
 * signal inputs, update arguments, local activity marker data, the run's
 * result) with the deployment's codecs, last codec first, as the SDK does.
 * A payload that does not decode is left as it is: the timeline then shows
 * the event without its details.
 */
export async function decodeHistoryPayloads(events: readonly HistoryEventLike[], codecs: readonly PayloadDecoder[]): Promise<void> {
  if (codecs.length === 0) return;
  const decode = async (p: Payloads | null | undefined) => {
    if (!p?.payloads?.length) return;
    try {
      let out = p.payloads;
      for (const codec of [...codecs].reverse()) out = await codec.decode(out);
      p.payloads = out;
    } catch {
      // left encoded
    }
  };
  for (const e of events) {
    await decode(e.activityTaskScheduledEventAttributes?.input);
    await decode(e.workflowExecutionSignaledEventAttributes?.input);
    await decode(e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.args);
    await decode(e.workflowExecutionCompletedEventAttributes?.result);
    await decode(e.markerRecordedEventAttributes?.details?.data);
  }
}

/** JSON payloads only (the SDK's default); anything else stays unread. */
export function decodePayload(p: Payload | undefined): unknown {
  const encoding = p?.metadata?.encoding ? new TextDecoder().decode(p.metadata.encoding) : undefined;
  if (encoding !== 'json/plain' || !p?.data) return undefined;
  try {
    return JSON.parse(new TextDecoder().decode(p.data)) as unknown;
  } catch {
    return undefined;
  }
}
const first = (p: Payloads | null | undefined) => decodePayload(p?.payloads?.[0] ?? undefined) as Record<string, unknown> | undefined;

/** A failure's message with its causes: "outer: inner". */
export function failureText(f: FailureLike | null | undefined): string {
  const parts: string[] = [];
  for (let c = f; c; c = c.cause) if (c.message && !parts.includes(c.message)) parts.push(c.message);
  return parts.join(': ') || 'no message';
}
const failureType = (f: FailureLike | null | undefined): string | undefined => {
  for (let c = f; c; c = c.cause) if (c.applicationFailureInfo?.type) return c.applicationFailureInfo.type;
  return undefined;
};

function duration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  const s = Math.round(ms / 1000);
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return [d && `${d}d`, h && `${h}h`, m && `${m}m`, sec && `${sec}s`].filter(Boolean).join(' ') || '0s';
}

// Arguments of the lead workflow's updates and signals that are safe to show:
// who acted and what they asked for. Lead data (contact details) is never read.
const SAFE_ARGS = ['status', 'note', 'userId', 'permission', 'toEndpointId', 'onBehalfOf', 'reason', 'evidence', 'replace'] as const;
function requestOf(args: Record<string, unknown> | undefined): { actor?: string; actorRole?: string; args: Record<string, unknown> } {
  const actor = args?.actor as { userId?: unknown; role?: unknown } | undefined;
  const picked: Record<string, unknown> = {};
  for (const k of SAFE_ARGS) if (args && args[k] !== undefined) picked[k] = args[k];
  return {
    ...(typeof actor?.userId === 'string' ? { actor: actor.userId } : {}),
    ...(typeof actor?.role === 'string' ? { actorRole: actor.role } : {}),
    args: picked,
  };
}
const argText = (args: Record<string, unknown>) =>
  Object.keys(args).length
    ? ` (${Object.entries(args)
        .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
        .join(', ')})`
    : '';

/** Activity inputs: only the endpoint(s) and round they concern. */
function activityTarget(input: Record<string, unknown> | undefined, names: Names): { text: string; data: Record<string, unknown> } {
  const data: Record<string, unknown> = {};
  const ids: string[] = [];
  if (typeof input?.endpointId === 'string') ids.push(input.endpointId);
  if (Array.isArray(input?.endpointIds)) ids.push(...input.endpointIds.filter((x): x is string => typeof x === 'string'));
  if (ids.length) data.endpointIds = ids;
  if (typeof input?.round === 'number') data.round = input.round;
  if (typeof input?.kind === 'string') data.kind = input.kind;
  const text = ids.length ? ` for ${ids.map((id) => (names.endpoint(id) === id ? id : `${names.endpoint(id)} (${id})`)).join(', ')}` : '';
  return { text, data };
}

// Local activities that run on every step: shown only when they needed a retry or failed.
const ROUTINE_LOCAL = new Set(['recordEvents']);

/**
 * The lead workflow's Temporal history as timeline entries: activity
 * attempts and failures with their messages, local activities, timers
 * started, fired and cancelled, updates accepted, completed or refused,
 * signals, workflow task failures, child workflows and the run's end.
 * Workflow task bookkeeping and routine store writes are left out.
 */
export function workflowTimeline(events: readonly HistoryEventLike[], names: Names = idNames): TimelineEntry[] {
  const out: TimelineEntry[] = [];
  const activities = new Map<
    number,
    {
      type: string;
      target: { text: string; data: Record<string, unknown> };
      at: number;
      attempt: number;
      lastFailure?: string;
      done: boolean;
      placeholder: TimelineEntry;
    }
  >();
  const timers = new Map<string, { at: number; fireAt: number }>();
  const updates = new Map<string, { name: string; actor?: string; actorRole?: string }>();
  const push = (at: number, kind: string, text: string, extra: Partial<TimelineEntry> = {}) => out.push({ at, origin: 'workflow', kind, text, ...extra });

  // Events a workflow task's commands produce (activities scheduled, timers,
  // markers, updates answered, the run's end) are stamped when the task
  // completed; the code that issued them ran, and emitted its lead events, at
  // the task's start. They take that time, so the timeline reads in order.
  let taskStartedAt = 0;
  let commandsAt: number | undefined;
  for (const e of events) {
    const stamped = timeOf(e.eventTime);
    if (e.workflowTaskStartedEventAttributes) taskStartedAt = stamped;
    const command = !!(
      e.activityTaskScheduledEventAttributes ||
      e.timerStartedEventAttributes ||
      e.timerCanceledEventAttributes ||
      e.markerRecordedEventAttributes ||
      e.workflowExecutionUpdateAcceptedEventAttributes ||
      e.workflowExecutionUpdateCompletedEventAttributes ||
      e.startChildWorkflowExecutionInitiatedEventAttributes ||
      e.workflowExecutionCompletedEventAttributes ||
      e.workflowExecutionFailedEventAttributes ||
      e.workflowExecutionContinuedAsNewEventAttributes
    );
    if (e.workflowTaskCompletedEventAttributes) commandsAt = taskStartedAt || stamped;
    else if (!command) commandsAt = undefined;
    const at = command && commandsAt !== undefined ? Math.min(commandsAt, stamped) : stamped;
    const id = num(e.eventId);
    if (e.workflowExecutionStartedEventAttributes) {
      const a = e.workflowExecutionStartedEventAttributes;
      push(
        at,
        'workflow_started',
        `Lead workflow started on task queue ${a.taskQueue?.name ?? '?'}${(a.attempt ?? 1) > 1 ? ` (run attempt ${a.attempt})` : ''}`,
        { data: { eventId: id } },
      );
    } else if (e.activityTaskScheduledEventAttributes) {
      const a = e.activityTaskScheduledEventAttributes;
      const type = a.activityType?.name ?? 'activity';
      const target = activityTarget(first(a.input), names);
      // Shown only if the activity never finishes in this history (still running or retrying).
      const placeholder: TimelineEntry = {
        at,
        origin: 'workflow',
        kind: 'activity_scheduled',
        text: `${type}${target.text} scheduled; no outcome yet`,
        data: { activity: type, ...target.data },
      };
      out.push(placeholder);
      activities.set(id, { type, target, at, attempt: 1, done: false, placeholder });
    } else if (e.activityTaskStartedEventAttributes) {
      const a = e.activityTaskStartedEventAttributes;
      const act = activities.get(num(a.scheduledEventId));
      if (act) {
        act.attempt = a.attempt ?? 1;
        if (a.lastFailure) act.lastFailure = failureText(a.lastFailure);
      }
    } else if (e.activityTaskCompletedEventAttributes) {
      const act = activities.get(num(e.activityTaskCompletedEventAttributes.scheduledEventId));
      if (act) {
        act.done = true;
        const retried = act.attempt > 1 ? ` on attempt ${act.attempt}${act.lastFailure ? ` (the attempt before failed: ${act.lastFailure})` : ''}` : '';
        push(at, 'activity_completed', `${act.type}${act.target.text} completed${retried} after ${duration(at - act.at)}`, {
          data: { activity: act.type, attempt: act.attempt, ...act.target.data, ...(act.lastFailure ? { previousFailure: act.lastFailure } : {}) },
        });
      }
    } else if (e.activityTaskFailedEventAttributes || e.activityTaskTimedOutEventAttributes) {
      const a = (e.activityTaskFailedEventAttributes ?? e.activityTaskTimedOutEventAttributes)!;
      const timedOut = !e.activityTaskFailedEventAttributes;
      const act = activities.get(num(a.scheduledEventId));
      const type = act?.type ?? 'activity';
      if (act) act.done = true;
      const why = enumText(RETRY_STATE, a.retryState, 'RETRY_STATE_');
      const timeout = timedOut
        ? enumText(TIMEOUT_TYPE, a.failure?.timeoutFailureInfo?.timeoutType ?? a.failure?.cause?.timeoutFailureInfo?.timeoutType, 'TIMEOUT_TYPE_')
        : undefined;
      const message = failureText(a.failure);
      const attempt = act?.attempt ?? 1;
      push(
        at,
        timedOut ? 'activity_timed_out' : 'activity_failed',
        `${type}${act?.target.text ?? ''} ${timedOut ? `timed out${timeout ? ` (${timeout})` : ''}` : 'failed'} on attempt ${attempt}: ${message}${why ? `; no further retry: ${why}` : ''}`,
        {
          data: {
            activity: type,
            attempt,
            message,
            ...(act?.target.data ?? {}),
            ...(failureType(a.failure) ? { failureType: failureType(a.failure) } : {}),
            ...(why ? { retryState: why } : {}),
          },
        },
      );
    } else if (e.activityTaskCanceledEventAttributes) {
      const act = activities.get(num(e.activityTaskCanceledEventAttributes.scheduledEventId));
      if (act) act.done = true;
      push(at, 'activity_canceled', `${act?.type ?? 'activity'}${act?.target.text ?? ''} cancelled`);
    } else if (e.markerRecordedEventAttributes) {
      const m = e.markerRecordedEventAttributes;
      if (m.markerName !== 'core_local_activity') continue;
      const meta = first(m.details?.data) as { activity_type?: string; attempt?: number; complete_time?: { seconds?: number; nanos?: number } } | undefined;
      const type = meta?.activity_type ?? 'local activity';
      const attempt = meta?.attempt ?? 1;
      // A local activity ran inside the task: its own completion time says when.
      const done = meta?.complete_time ? timeOf(meta.complete_time) : 0;
      const laAt = done > 0 && done <= stamped ? done : at;
      if (m.failure) {
        push(laAt, 'local_activity_failed', `${type} (local) failed on attempt ${attempt}: ${failureText(m.failure)}`, {
          data: { activity: type, attempt, message: failureText(m.failure) },
        });
      } else if (!ROUTINE_LOCAL.has(type) || attempt > 1) {
        push(laAt, 'local_activity_completed', `${type} (local) completed${attempt > 1 ? ` on attempt ${attempt}` : ''}`, {
          data: { activity: type, attempt },
        });
      }
    } else if (e.timerStartedEventAttributes) {
      const t = e.timerStartedEventAttributes;
      const ms = timeOf(t.startToFireTimeout);
      timers.set(t.timerId ?? '', { at, fireAt: at + ms });
      push(at, 'timer_started', `Timer ${t.timerId} started: fires in ${duration(ms)}, at ${new Date(at + ms).toISOString()}`, {
        data: { timerId: t.timerId, fireAt: at + ms },
      });
    } else if (e.timerFiredEventAttributes) {
      const t = e.timerFiredEventAttributes;
      const started = timers.get(t.timerId ?? '');
      push(at, 'timer_fired', `Timer ${t.timerId} fired${started ? ` (started ${duration(at - started.at)} earlier)` : ''}`, { data: { timerId: t.timerId } });
    } else if (e.timerCanceledEventAttributes) {
      const t = e.timerCanceledEventAttributes;
      push(at, 'timer_canceled', `Timer ${t.timerId} cancelled: what it waited for happened first`, { data: { timerId: t.timerId } });
    } else if (e.workflowExecutionSignaledEventAttributes) {
      const s = e.workflowExecutionSignaledEventAttributes;
      const req = requestOf(first(s.input));
      push(at, 'signal', `Signal ${s.signalName}${req.actor ? ` from ${req.actor}` : ''}${argText(req.args)}`, {
        ...(req.actor ? { actor: req.actor } : {}),
        ...(req.actorRole ? { actorRole: req.actorRole } : {}),
        data: { signal: s.signalName, ...req.args },
      });
    } else if (e.workflowExecutionUpdateAcceptedEventAttributes) {
      const r = e.workflowExecutionUpdateAcceptedEventAttributes.acceptedRequest;
      const name = r?.input?.name ?? 'update';
      const req = requestOf(first(r?.input?.args));
      updates.set(r?.meta?.updateId ?? '', { name, ...(req.actor ? { actor: req.actor } : {}), ...(req.actorRole ? { actorRole: req.actorRole } : {}) });
      push(at, 'update_accepted', `Update ${name} accepted${req.actor ? ` from ${req.actor}` : ''}${argText(req.args)}`, {
        ...(req.actor ? { actor: req.actor } : {}),
        ...(req.actorRole ? { actorRole: req.actorRole } : {}),
        data: { update: name, ...req.args },
      });
    } else if (e.workflowExecutionUpdateCompletedEventAttributes) {
      const c = e.workflowExecutionUpdateCompletedEventAttributes;
      const u = updates.get(c.meta?.updateId ?? '');
      const who = { ...(u?.actor ? { actor: u.actor } : {}), ...(u?.actorRole ? { actorRole: u.actorRole } : {}) };
      if (c.outcome?.failure) {
        const code = failureType(c.outcome.failure);
        push(at, 'update_rejected', `Update ${u?.name ?? 'update'} refused: ${failureText(c.outcome.failure)}${code ? ` (${code})` : ''}`, {
          ...who,
          data: { update: u?.name, ...(code ? { code } : {}), message: failureText(c.outcome.failure) },
        });
      } else {
        push(at, 'update_completed', `Update ${u?.name ?? 'update'} completed`, { ...who, data: { update: u?.name } });
      }
    } else if (e.workflowTaskFailedEventAttributes) {
      const f = e.workflowTaskFailedEventAttributes;
      // Numeric causes are left to the failure message, which names the problem.
      const cause = enumText({}, f.cause, 'WORKFLOW_TASK_FAILED_CAUSE_');
      push(at, 'workflow_task_failed', `Workflow task failed${cause ? ` (${cause})` : ''}: ${failureText(f.failure)}; Temporal retries it`, {
        data: { message: failureText(f.failure) },
      });
    } else if (e.workflowTaskTimedOutEventAttributes) {
      push(at, 'workflow_task_timed_out', 'Workflow task timed out (the worker did not answer in time); Temporal retries it');
    } else if (e.startChildWorkflowExecutionInitiatedEventAttributes) {
      push(at, 'child_started', `Child workflow ${e.startChildWorkflowExecutionInitiatedEventAttributes.workflowId} started (a replacement lead)`, {
        data: { workflowId: e.startChildWorkflowExecutionInitiatedEventAttributes.workflowId },
      });
    } else if (e.childWorkflowExecutionFailedEventAttributes) {
      push(
        at,
        'child_failed',
        `Child workflow ${e.childWorkflowExecutionFailedEventAttributes.workflowExecution?.workflowId} failed: ${failureText(e.childWorkflowExecutionFailedEventAttributes.failure)}`,
      );
    } else if (e.workflowExecutionCompletedEventAttributes) {
      const r = first(e.workflowExecutionCompletedEventAttributes.result);
      const status = typeof r?.status === 'string' ? r.status : undefined;
      const billing = typeof r?.billing === 'string' ? r.billing : undefined;
      push(at, 'workflow_completed', `Lead workflow completed${status ? `: lead ${status}` : ''}${billing ? `, billing ${billing}` : ''}`, {
        data: { ...(status ? { status } : {}), ...(billing ? { billing } : {}) },
      });
    } else if (e.workflowExecutionFailedEventAttributes) {
      push(at, 'workflow_failed', `Lead workflow failed: ${failureText(e.workflowExecutionFailedEventAttributes.failure)}`);
    } else if (e.workflowExecutionTimedOutEventAttributes) {
      push(at, 'workflow_timed_out', 'Lead workflow timed out');
    } else if (e.workflowExecutionTerminatedEventAttributes) {
      const t = e.workflowExecutionTerminatedEventAttributes;
      push(at, 'workflow_terminated', `Lead workflow terminated${t.identity ? ` by ${t.identity}` : ''}${t.reason ? `: ${t.reason}` : ''}`);
    } else if (e.workflowExecutionCanceledEventAttributes) {
      push(at, 'workflow_canceled', 'Lead workflow cancelled');
    } else if (e.workflowExecutionContinuedAsNewEventAttributes) {
      push(at, 'workflow_continued', 'Lead workflow continued as a new run');
    }
  }
  // History order is kept: event times can run backwards under time skipping.
  const finished = new Set([...activities.values()].filter((a) => a.done).map((a) => a.placeholder));
  return out.filter((e) => !finished.has(e));
}

/** A pending activity as `describe()` reports it: retries in progress are not in the history until they end. */
export interface PendingActivityLike {
  activityType?: Named | null;
  attempt?: number | null;
  lastFailure?: FailureLike | null;
  lastStartedTime?: Ts | null;
  scheduledTime?: Ts | null;
  nextAttemptScheduleTime?: Ts | null;
  lastAttemptCompleteTime?: Ts | null;
}

export function pendingActivityEntry(p: PendingActivityLike, now: number): TimelineEntry {
  const type = p.activityType?.name ?? 'activity';
  const attempt = p.attempt ?? 1;
  const next = timeOf(p.nextAttemptScheduleTime);
  const at = timeOf(p.lastAttemptCompleteTime) || timeOf(p.lastStartedTime) || timeOf(p.scheduledTime) || now;
  // `attempt` is the attempt running or due next; the last failure is the one before it.
  const failed = p.lastFailure ? `; attempt ${Math.max(1, attempt - 1)} failed: ${failureText(p.lastFailure)}` : '';
  return {
    at,
    origin: 'workflow',
    kind: 'activity_pending',
    text: `${type} not finished${failed}; ${next ? `attempt ${attempt} at ${new Date(next).toISOString()}` : `attempt ${attempt} running`}`,
    data: { activity: type, attempt, ...(p.lastFailure ? { lastFailure: failureText(p.lastFailure) } : {}), ...(next ? { nextAttemptAt: next } : {}) },
  };
}
