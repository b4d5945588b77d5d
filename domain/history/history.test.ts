import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { temporal } from '@temporalio/proto';
import { describe, expect, it } from 'vitest';
import { HISTORY_FIXTURES } from '../../testing/histories.ts';
import { eventStream } from '../lifecycle/test-events.ts';
import { leadEventEntry, type Names } from './lead-event-text.ts';
import { mergeTimelines, type TimelineEntry } from './timeline.ts';
import { encryptionCodec } from '../../infra/payload-codec.ts';
import { DEV_PII_KEY } from '../../infra/pii.ts';
import { decodeHistoryPayloads, decodePayload, pendingActivityEntry, workflowTimeline, type HistoryEventLike } from './workflow-timeline.ts';

const fixture = (name: string) => {
  const file = join(HISTORY_FIXTURES, `${name}.history.bin`);
  return temporal.api.history.v1.History.decode(readFileSync(file)).events ?? [];
};
/** A recorded history with its payloads decoded by the deployment's codec, as `leadHistory` reads it. */
const decodedFixture = async (name: string) => {
  const events = fixture(name);
  await decodeHistoryPayloads(events, [encryptionCodec(DEV_PII_KEY)]);
  return events;
};
const names: Names = {
  endpoint: (id) => ({ flaky: 'Flaky Franchise', callcenter: 'Texas Call Center' })[id] ?? id,
  source: (id) => (id === 'web' ? 'Web form' : id),
};
const kinds = (t: TimelineEntry[]) => t.map((e) => e.kind);
const utf8 = (s: string) => new TextEncoder().encode(s);
const json = (v: unknown) => ({ payloads: [{ metadata: { encoding: utf8('json/plain') }, data: utf8(JSON.stringify(v)) }] });
const ts = (ms: number) => ({ seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 });

describe('workflow history as an ops timeline', () => {
  it("accepts the SDK's own history event type", () => {
    const sdk: temporal.api.history.v1.IHistoryEvent[] = [];
    const asRead: readonly HistoryEventLike[] = sdk;
    expect(asRead).toEqual([]);
  });

  it('shows a delivery retried to its limit with the receiver’s message and its backoff, the failover, the return-window timer and the end', async () => {
    const t = workflowTimeline(await decodedFixture('retries-a-failing-receiver-with-backoff-then-fails-over-to-t-8'), names);
    const failures = t.filter((e) => e.kind === 'local_activity_failed');
    expect(failures.map((e) => e.data?.attempt)).toEqual([1, 2, 3, 4, 5]);
    expect(failures.at(-1)?.text).toBe(
      'deliverLead (local) failed on attempt 5: Flaky Franchise by http_post: Receiver is temporarily unable to take the lead (HTTP 503): {"error":"failing on purpose with 503"}',
    );
    // The backoff between attempts waits on durable timers: 1 s, 2 s, 4 s, 8 s.
    expect(t.filter((e) => e.kind === 'timer_started').map((e) => /fires in (\S+),/.exec(e.text)?.[1])).toEqual(['1s', '2s', '4s', '8s', '7d']);
    // The consumer's acknowledgement runs beside routing: where it lands in the history is not the lifecycle's.
    const lifecycle = t.filter((e) => e.data?.activity !== 'sendAutoResponse');
    expect(kinds(lifecycle)).toEqual([
      'workflow_started',
      'local_activity_completed', // receiveLead (the source's context and validation)
      'local_activity_completed', // routeLead
      // attempts 1 to 4, each followed by its backoff timer
      ...Array.from({ length: 4 }, () => ['local_activity_failed', 'timer_started', 'timer_fired']).flat(),
      'local_activity_failed', // attempt 5: the retries are spent
      'local_activity_completed', // routeLead, round 2
      'local_activity_completed', // deliverLead to the call center
      'timer_started', // the return window
      'timer_fired',
      'workflow_completed',
    ]);
    expect(t.at(-1)?.text).toBe('Lead workflow completed: lead closed, billing final');
  });

  it('never shows the lead’s personal data, which the workflow input and activity inputs carry', async () => {
    for (const name of ['retries-a-failing-receiver-with-backoff-then-fails-over-to-t-8', 'the-owner-works-and-shares-the-lead-a-view-only-colleague-ca-12']) {
      const events = await decodedFixture(name);
      // The workflow input does hold the consumer's contact details (encrypted at rest)...
      const [clear] = await encryptionCodec(DEV_PII_KEY).decode([events[0]!.workflowExecutionStartedEventAttributes!.input!.payloads![0]!]);
      expect(JSON.stringify(decodePayload(clear))).toMatch(/Lovelace/);
      // ...and none of it reaches the timeline.
      const text = JSON.stringify(workflowTimeline(events));
      expect(text).not.toMatch(/Lovelace|@example\.com|\+1214|Main St|203\.0\.113/);
    }
  });

  it('shows updates with who asked for what, cancelled claim timers, and signals', async () => {
    const t = workflowTimeline(await decodedFixture('the-owner-works-and-shares-the-lead-a-view-only-colleague-ca-12'));
    const accepted = t.filter((e) => e.kind === 'update_accepted');
    expect(accepted.map((e) => e.text)).toEqual([
      'Update updateLeadStatus accepted from agent-c-user (status: contacted, note: left a voicemail)',
      'Update shareLead accepted from agent-c-user (userId: viewer-user, permission: view)',
      'Update shareLead accepted from agent-c-user (userId: helper-user, permission: act)',
      'Update updateLeadStatus accepted from helper-user (status: appointment)',
    ]);
    expect(accepted[0]).toMatchObject({ actor: 'agent-c-user', actorRole: 'agent' });
    expect(t.filter((e) => e.kind === 'update_completed')).toHaveLength(4);
    expect(t.find((e) => e.kind === 'timer_canceled')?.text).toBe('Timer 1 cancelled: what it waited for happened first');

    const viewed = workflowTimeline(await decodedFixture('claim-before-the-deadline-only-the-offered-agent-or-a-manage-5')).find((e) => e.kind === 'signal');
    expect(viewed).toMatchObject({ text: 'Signal leadViewed from agent-a-user', actor: 'agent-a-user', data: { signal: 'leadViewed' } });
  });

  it('reads encrypted histories once their payloads are decoded with the deployment’s codec, and nothing of them before', async () => {
    const events = fixture('the-owner-works-and-shares-the-lead-a-view-only-colleague-ca-12');
    const before = workflowTimeline(events).filter((e) => e.kind === 'update_accepted');
    expect(before.map((e) => e.text)).toEqual([
      'Update updateLeadStatus accepted',
      'Update shareLead accepted',
      'Update shareLead accepted',
      'Update updateLeadStatus accepted',
    ]);
    await decodeHistoryPayloads(events, [encryptionCodec(DEV_PII_KEY)]);
    // The workflow input (the lead, with its contact details) is encrypted and stays so: the timeline never decodes it.
    const input = events[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
    expect(new TextDecoder().decode(input?.metadata?.encoding ?? undefined)).toBe('binary/encrypted');
    const t = workflowTimeline(events);
    expect(t.filter((e) => e.kind === 'update_accepted').map((e) => e.text)).toEqual([
      'Update updateLeadStatus accepted from agent-c-user (status: contacted, note: left a voicemail)',
      'Update shareLead accepted from agent-c-user (userId: viewer-user, permission: view)',
      'Update shareLead accepted from agent-c-user (userId: helper-user, permission: act)',
      'Update updateLeadStatus accepted from helper-user (status: appointment)',
    ]);
    // Delivery is a local activity in this version of the workflow.
    expect(t.find((e) => e.data?.activity === 'deliverLead')).toMatchObject({ kind: 'local_activity_completed', text: 'deliverLead (local) completed' });
    expect(JSON.stringify(t)).not.toMatch(/Lovelace|@example\.com|\+1214|Main St|203\.0\.113/);
  });

  it('shows a refused update, a failed workflow task, a retried local activity and an activity that has not finished', () => {
    const start = Date.UTC(2026, 2, 2, 15);
    const events: HistoryEventLike[] = [
      { eventId: 1, eventTime: ts(start), workflowExecutionStartedEventAttributes: { taskQueue: { name: 'switchyard' } } },
      {
        eventId: 2,
        eventTime: ts(start + 10),
        workflowTaskFailedEventAttributes: {
          cause: 'WORKFLOW_TASK_FAILED_CAUSE_NON_DETERMINISTIC_ERROR',
          failure: { message: '[TMPRL1100] Nondeterminism error' },
        },
      },
      {
        eventId: 3,
        eventTime: ts(start + 20),
        markerRecordedEventAttributes: { markerName: 'core_local_activity', details: { data: json({ activity_type: 'recordEvents', attempt: 3 }) } },
      },
      {
        eventId: 4,
        eventTime: ts(start + 30),
        markerRecordedEventAttributes: { markerName: 'core_local_activity', details: { data: json({ activity_type: 'recordEvents', attempt: 1 }) } },
      },
      {
        eventId: 5,
        eventTime: ts(start + 40),
        workflowExecutionUpdateAcceptedEventAttributes: {
          acceptedRequest: {
            meta: { updateId: 'u1' },
            input: { name: 'returnLead', args: json({ actor: { userId: 't1:buyer@x', role: 'buyer' }, reason: 'wrong_number' }) },
          },
        },
      },
      {
        eventId: 6,
        eventTime: ts(start + 50),
        workflowExecutionUpdateCompletedEventAttributes: {
          meta: { updateId: 'u1' },
          outcome: {
            failure: {
              message: 'Accepting this return would take the source’s return rate to 20.0%, above its 15.0% limit.',
              applicationFailureInfo: { type: 'return_rate_exceeded' },
            },
          },
        },
      },
      {
        eventId: 7,
        eventTime: ts(start + 60),
        activityTaskScheduledEventAttributes: { activityType: { name: 'deliverLead' }, input: json({ endpointId: 'flaky', lead: { phone: '+12145550134' } }) },
      },
    ];
    const t = workflowTimeline(events, names);
    expect(t.map((e) => `${e.kind}: ${e.text}`)).toEqual([
      'workflow_started: Lead workflow started on task queue switchyard',
      'workflow_task_failed: Workflow task failed (non deterministic error): [TMPRL1100] Nondeterminism error; Temporal retries it',
      'local_activity_completed: recordEvents (local) completed on attempt 3',
      'update_accepted: Update returnLead accepted from t1:buyer@x (reason: wrong_number)',
      'update_rejected: Update returnLead refused: Accepting this return would take the source’s return rate to 20.0%, above its 15.0% limit. (return_rate_exceeded)',
      'activity_scheduled: deliverLead for Flaky Franchise (flaky) scheduled; no outcome yet',
    ]);
    expect(t[4]).toMatchObject({ actor: 't1:buyer@x', data: { code: 'return_rate_exceeded' } });
    expect(JSON.stringify(t)).not.toContain('555');

    const pending = pendingActivityEntry(
      {
        activityType: { name: 'deliverLead' },
        attempt: 3,
        lastFailure: { message: 'Receiver answered 503' },
        nextAttemptScheduleTime: ts(start + 4000),
        lastAttemptCompleteTime: ts(start + 2000),
      },
      start + 3000,
    );
    expect(pending).toMatchObject({
      at: start + 2000,
      kind: 'activity_pending',
      text: `deliverLead not finished; attempt 2 failed: Receiver answered 503; attempt 3 at ${new Date(start + 4000).toISOString()}`,
    });
  });
});

describe('lead events as sentences', () => {
  const ev = eventStream('L1', 't1', Date.UTC(2026, 2, 2, 15));
  const events = [
    ev({ type: 'received', data: { sourceId: 'web', serviceLine: 'plumbing', costCents: 2500 } }),
    ev({
      type: 'validated',
      data: {
        outcome: 'accepted',
        steps: [
          { step: 'phone', outcome: 'flag', reason: 'VoIP line' },
          { step: 'email', outcome: 'pass' },
        ],
        flags: ['voip'],
        signals: { lineType: 'voip', riskScore: 40 },
      },
    }),
    ev({
      type: 'routed',
      data: {
        configVersion: 3,
        outcome: 'assigned',
        endpointIds: ['callcenter'],
        tier: 'fallback',
        algorithm: 'round_robin',
        summary: 'no franchise holds 75201',
      },
    }),
    ev({ type: 'delivered', data: { endpointId: 'callcenter', method: 'http_post', idempotencyKey: 'i', priceCents: 4000 } }),
    ev({ type: 'return_accepted', data: { reason: 'wrong_number', creditCents: 2500 } }),
    ev({ type: 'billing_final', data: { billedCents: 0 } }),
  ];

  it('tells ops everything, with names, money and the routing summary', () => {
    expect(events.map((e) => leadEventEntry(e, names, 'full').text)).toEqual([
      'Received from Web form (web) for plumbing; cost $25.00',
      'Validation accepted: 1 of 2 checks passed; phone flagged (VoIP line); line type voip, risk score 40',
      'Routed (assigned) to Texas Call Center (callcenter) by tier "fallback" (round robin), configuration version 3: no franchise holds 75201',
      'Delivered to Texas Call Center (callcenter) by HTTP POST; price $40.00',
      'Return accepted (wrong number); source credited $25.00',
      'Return window closed; billing final at $0.00',
    ]);
  });

  it('tells agents what happened without routing details or money', () => {
    const out = events.map((e) => leadEventEntry(e, names, 'events'));
    expect(out.map((e) => e.text)).toEqual([
      'Received from Web form (web) for plumbing',
      'Validation accepted: 1 of 2 checks passed; phone flagged (VoIP line)',
      'Routed to Texas Call Center (callcenter)',
      'Delivered to Texas Call Center (callcenter) by HTTP POST',
      'Return accepted (wrong number)',
      'Return window closed; billing final',
    ]);
    expect(JSON.stringify(out)).not.toMatch(/Cents|summary|tier|configVersion|fallback|riskScore|risk score/);
  });

  it('merges lead, routing and workflow entries by time, lead events first at the same instant', () => {
    const at = 1000;
    const merged = mergeTimelines(
      [
        { at: 5, origin: 'workflow', kind: 'w', text: 'w1' },
        { at, origin: 'workflow', kind: 'w', text: 'w2' },
      ],
      [
        { at, origin: 'lead', kind: 'l', text: 'l1' },
        { at: 2000, origin: 'lead', kind: 'l', text: 'l2' },
      ],
      [{ at, origin: 'routing', kind: 'r', text: 'r1' }],
    );
    expect(merged.map((e) => e.text)).toEqual(['w1', 'l1', 'r1', 'w2', 'l2']);
  });
});
