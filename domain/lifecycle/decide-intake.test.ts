import { describe, expect, it } from 'vitest';
import { decideAcknowledged, decideReceived, decideValidated, planAcknowledgement } from './decide-intake.ts';
import { accepted, bodies, context, input } from './given.ts';

describe('lifecycle: receive', () => {
  it('when a lead arrives, then "received" records its source, service line, cost and posted market, attributed to the source', () => {
    const d = decideReceived({ ...input, preassignedEndpointId: 'dallas', replacementOf: 'L0' }, context);
    expect(d.end).toBe(false);
    expect(d.events).toEqual([
      {
        body: {
          type: 'received',
          data: {
            sourceId: 'web',
            serviceLine: 'plumbing',
            costCents: 2500,
            externalId: 'ext-1',
            preassignedEndpointId: 'dallas',
            market: { state: 'TX', zip: '75201', city: 'Dallas' },
            replacementOf: 'L0',
          },
        },
        actor: { userId: 'source:web', role: 'vendor' },
      },
    ]);
  });

  it('when its source was removed or paused since intake, then the lead is rejected as invalid and ends', () => {
    const d = decideReceived(input, { ...context, problem: 'source Web is paused' });
    expect(d.end).toBe(true);
    expect(bodies(d.events).map((e) => e.type)).toEqual(['received', 'rejected']);
    expect(d.events[1]!.body).toEqual({ type: 'rejected', data: { reason: 'invalid', detail: 'source Web is paused' } });
  });

  it('records no street of the lead, only its market', () => {
    expect(JSON.stringify(decideReceived(input, context).events)).not.toContain('Main St');
  });
});

describe('lifecycle: validate', () => {
  it('when validation accepts, then "validated" records each step without its data and the verified market, and the lead goes on', () => {
    const d = decideValidated({ ...accepted, steps: [{ step: 'phone', outcome: 'pass', data: { e164: '+12145550100' } }] });
    expect(d.end).toBe(false);
    expect(bodies(d.events)).toEqual([
      {
        type: 'validated',
        data: {
          outcome: 'accepted',
          steps: [{ step: 'phone', outcome: 'pass' }],
          flags: ['zip_resolved'],
          market: { zip: '75201', state: 'TX', city: 'Dallas', countyFips: '48113', timeZone: 'America/Chicago' },
        },
      },
    ]);
    expect(JSON.stringify(d.events)).not.toContain('2145550100');
  });

  it('when validation rejects, then the lead is rejected with the chain’s reason and ends', () => {
    const d = decideValidated({ ...accepted, outcome: 'rejected', rejectReason: 'dnc', rejectDetail: 'phone is on the internal suppression list' });
    expect(d.end).toBe(true);
    expect(d.events[1]!.body).toEqual({ type: 'rejected', data: { reason: 'dnc', detail: 'phone is on the internal suppression list' } });
  });

  it('when validation rejects without naming why, then it is "invalid: failed validation"', () => {
    expect(decideValidated({ ...accepted, outcome: 'rejected' }).events[1]!.body).toEqual({
      type: 'rejected',
      data: { reason: 'invalid', detail: 'failed validation' },
    });
  });
});

describe('lifecycle: acknowledge the consumer', () => {
  it('sends on each consented channel the source has a template for', () => {
    expect(planAcknowledgement(accepted, { ...context, autoResponse: { sms: 'hi', email: { subject: 's', body: 'b' } } })).toEqual({ send: ['sms', 'email'] });
    expect(planAcknowledgement(accepted, context)).toEqual({ send: ['sms'] });
  });

  it('without consent for an available channel, records at once that nothing was sent', () => {
    const plan = planAcknowledgement({ ...accepted, consentChannels: ['phone'] }, context);
    expect(plan).toEqual({ send: [], events: [{ body: { type: 'auto_responded', data: { channels: [], skipped: 'no consent for an available channel' } } }] });
  });

  it('records what the acknowledgement sent and skipped', () => {
    expect(bodies(decideAcknowledged({ sent: ['sms'], skipped: 'email: no address' }))).toEqual([
      { type: 'auto_responded', data: { channels: ['sms'], skipped: 'email: no address' } },
    ]);
  });
});
