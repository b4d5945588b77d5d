// The lead workflow on the real Temporal dev server: simultaneous claims on a
// broadcast offer, and the history ops read.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leadCommands, type LeadCommands } from '../services/lead-commands.ts';
import { recordHistory } from '../testing/histories.ts';
import { startHttpReceiver, type HttpReceiver } from '../testing/http-receiver.ts';
import { startLeadHarness, type LeadHarness } from '../testing/lead-harness.ts';
import { leadTestNetwork, testLead } from '../testing/lead-network.ts';

describe('lead workflow on the dev server', () => {
  let receiver: HttpReceiver;
  let h: LeadHarness;
  let cmd: LeadCommands;
  beforeAll(async () => {
    receiver = await startHttpReceiver();
    h = await startLeadHarness({ kind: 'dev-server', config: leadTestNetwork({ ok: receiver.url, flaky: receiver.url, refusing: receiver.url }, Date.now()) });
    cmd = leadCommands({ temporal: h.client, mongo: h.mongo });
  });
  afterAll(async () => {
    await h?.close();
    await receiver?.close();
  });

  it('two agents claim the same broadcast lead at the same moment: exactly one wins, the other hears "already claimed"', async () => {
    for (let round = 0; round < 5; round++) {
      const r = await h.submit('broadcast', testLead());
      if (!r.ok) throw new Error(JSON.stringify(r.errors));
      const offered = await h.waitFor(r.leadId, (x) => x.status === 'offered');
      expect([...offered.offeredTo].sort()).toEqual(['agent-a', 'agent-b', 'agent-c']);
      const [x, y] = await Promise.all([
        cmd.claim(h.actor('agent', { endpointId: 'agent-a', userId: 'a-user' }), r.leadId),
        cmd.claim(h.actor('agent', { endpointId: 'agent-b', userId: 'b-user' }), r.leadId),
      ]);
      const wins = [x, y].filter((c) => c.ok);
      const losses = [x, y].filter((c) => !c.ok);
      expect(wins).toHaveLength(1);
      expect(losses).toEqual([{ ok: false, error: { code: 'already_claimed', message: 'This lead has already been claimed.' } }]);
      const winner = wins[0]!.ok ? wins[0]!.value.ownerEndpointId : undefined;
      expect(await h.state(r.leadId)).toMatchObject({ status: 'assigned', ownerEndpointId: winner, offeredTo: [] });
      if (round === 0) await recordHistory(h.handle(r.leadId), 'broadcast-claim');
    }
  });

  it('ops can fetch a lead’s full workflow history from the server', async () => {
    const r = await h.submit('web', testLead());
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    await h.waitFor(r.leadId, (x) => x.status === 'assigned');
    const history = await h.handle(r.leadId).fetchHistory();
    const kinds = (history.events ?? []).map((e) => Object.keys(e).find((k) => k.endsWith('EventAttributes')));
    expect(kinds[0]).toBe('workflowExecutionStartedEventAttributes');
    const activities = (history.events ?? []).flatMap((e) =>
      e.activityTaskScheduledEventAttributes?.activityType?.name ? [e.activityTaskScheduledEventAttributes.activityType.name] : [],
    );
    // The acknowledgement is a task of its own; the path to delivery runs in local activities.
    expect(activities).toEqual(['sendAutoResponse']);
    const markers = (history.events ?? []).flatMap((e) => (e.markerRecordedEventAttributes?.markerName ? [e.markerRecordedEventAttributes.markerName] : []));
    expect(markers).not.toContain('core_patch'); // one workflow version: nothing is patched before 1.0.0
    // receiving (the source's context and validation, one activity), routing, delivery, and the flush once the lead is delivered
    expect(markers.filter((m) => m === 'core_local_activity').length).toBeGreaterThanOrEqual(4);
    await recordHistory(h.handle(r.leadId), 'delivered-and-waiting');
  });
});
