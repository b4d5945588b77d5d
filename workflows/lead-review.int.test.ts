// Validation that steers routing, on the real worker under the time-skipping
// server: a review tier catches risky leads; ops approve one (it routes on)
// and reject another (against its source, unbilled); a clean lead passes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leadStore } from '../db/lead-store.ts';
import { leadHistoryService } from '../services/lead-history.ts';
import { leadCommands, type LeadCommands } from '../services/lead-commands.ts';
import { recordHistory } from '../testing/histories.ts';
import { startHttpReceiver, type HttpReceiver } from '../testing/http-receiver.ts';
import { startLeadHarness, type LeadHarness } from '../testing/lead-harness.ts';
import { testLead, testSource } from '../testing/lead-network.ts';

describe('the review queue', () => {
  let receiver: HttpReceiver;
  let h: LeadHarness;
  let cmd: LeadCommands;
  beforeAll(async () => {
    receiver = await startHttpReceiver();
    h = await startLeadHarness({
      kind: 'time-skipping',
      config: {
        tenant: { id: 'screen', name: 'Screening Co', timeZone: 'America/Chicago', serviceLines: ['plumbing'] },
        sources: [testSource('web')],
        endpoints: [
          {
            id: 'dallas',
            name: 'Dallas',
            kind: 'location',
            deliveryMethods: [{ type: 'http_post', url: `${receiver.url}/dallas`, fields: { zip: '{{zip}}' } }],
            territories: [{ kind: 'exclusive', zips: ['75201'] }],
          },
        ],
        routingPlans: [
          {
            id: 'screened',
            isDefault: true,
            tiers: [
              { name: 'fraud check', review: true, onlyIf: { riskAtLeast: 30 } },
              { name: 'franchise', selector: { territoryKinds: ['exclusive'] } },
            ],
          },
        ],
      },
    });
    cmd = leadCommands({ temporal: h.client, mongo: h.mongo });
  });
  afterAll(async () => {
    await h?.close();
    await receiver?.close();
  });
  const post = async (extra: Record<string, unknown> = {}) => {
    const r = await h.submit('web', testLead(extra));
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    return r.leadId;
  };

  it('a risky lead waits in review; approved, it routes on past the review tier; rejected, it is rejected unbilled; a clean lead never stops there', async () => {
    // Offline risk points: no consent record (20) and a role address (10).
    const noConsent = { consentText: undefined, consentTimestamp: undefined, consentIp: undefined, consentPageUrl: undefined };
    const risky = await post({ email: 'sales@risky.example', ...noConsent });
    const held = await h.waitFor(risky, (s) => s.status === 'review');
    expect(held.reviewReason).toMatch(/^Sent to review by tier "fraud check": risk score \d+ ≥ 30$/);
    expect(receiver.requests.filter((r) => r.path === '/dallas')).toHaveLength(0);
    // Agents may not review; ops may.
    expect(await cmd.approve(h.actor('agent', { endpointId: 'dallas' }), risky)).toMatchObject({ ok: false, error: { code: 'not_permitted' } });
    expect(await cmd.approve(h.actor('ops'), risky, 'called the consumer back')).toMatchObject({ ok: true });
    expect(await h.waitFor(risky, (s) => s.status === 'assigned')).toMatchObject({ ownerEndpointId: 'dallas', billing: 'billable' });
    expect(await cmd.approve(h.actor('ops'), risky)).toMatchObject({ ok: false, error: { code: 'not_in_review' } });
    const history = await leadHistoryService({ temporal: h.client, mongo: h.mongo }).get(h.tenantId, risky, 'full');
    const texts = history!.entries.map((e) => e.text);
    expect(texts).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Sent to review by tier "fraud check": risk score \d+ ≥ 30; it waits for ops to approve or reject it$/),
        'Approved in review (called the consumer back); it routes on',
      ]),
    );

    const other = await post({ email: 'info@other.example', ...noConsent });
    await h.waitFor(other, (s) => s.status === 'review');
    expect(await cmd.rejectInReview(h.actor('ops'), other, 'risk', 'stolen identity')).toMatchObject({ ok: true });
    expect(await h.result(other)).toMatchObject({ status: 'rejected', billing: 'not_billed' });
    expect((await leadStore(h.mongo).events(other)).at(-1)).toMatchObject({
      type: 'rejected',
      data: { reason: 'risk', detail: expect.stringMatching(/^rejected in review by .*: stolen identity$/) },
      actor: { role: 'ops' },
    });

    const clean = await post();
    expect(await h.waitFor(clean, (s) => s.status === 'assigned')).toMatchObject({ ownerEndpointId: 'dallas' });
    expect((await leadStore(h.mongo).events(clean)).some((e) => e.type === 'review_requested')).toBe(false);
    await recordHistory(h.handle(risky), 'review-approved');
    await recordHistory(h.handle(other), 'review-rejected');
  });
});
