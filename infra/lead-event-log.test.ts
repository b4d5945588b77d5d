import { describe, expect, it } from 'vitest';
import type { LeadEventBody } from '../domain/lifecycle/lead-events.ts';
import { eventStream } from '../domain/lifecycle/test-events.ts';
import { eventLogLine } from './lead-event-log.ts';

const PHONE = '+12148675309';
const EMAIL = 'jenny@example.com';

describe('eventLogLine', () => {
  const ev = eventStream('L1', 'acme');
  const bodies: LeadEventBody[] = [
    { type: 'received', data: { sourceId: 'web', serviceLine: 'plumbing', costCents: 2500, market: { zip: '75201', city: 'Dallas' } } },
    {
      type: 'validated',
      data: {
        outcome: 'rejected',
        flags: ['voip'],
        steps: [
          { step: 'phone', outcome: 'fail', reason: `Phone "${PHONE}" is not a possible number` },
          { step: 'email', outcome: 'flag', reason: `Email ${EMAIL} is a role address` },
        ],
      },
    },
    { type: 'rejected', data: { reason: 'invalid', detail: `Phone "${PHONE}" is not a possible number; Email ${EMAIL}` } },
    {
      type: 'routed',
      data: { configVersion: 3, outcome: 'assigned', endpointIds: ['dallas'], summary: 'went to dallas', tier: 'exclusive', algorithm: 'round_robin' },
    },
    {
      type: 'delivery_failed',
      data: { endpointId: 'dallas', reason: `Receiver refused the lead (HTTP 422): {"error":"phone ${PHONE} and ${EMAIL} rejected"}` },
    },
    { type: 'offered', data: { endpointIds: ['agent-a'], deadlineAt: Date.UTC(2026, 10, 23, 16), round: 1 } },
    { type: 'shared', data: { userId: `acme:${EMAIL}`, permission: 'view' } },
    { type: 'escalated', data: { kind: 'claim_lapses', reason: `no one claimed ${PHONE}` } },
    { type: 'return_refused', data: { reason: `customer ${EMAIL} says wrong`, code: 'reason_not_allowed' } },
  ];
  const lines = bodies.map((b) => eventLogLine(ev(b)));

  it('names the lead, tenant and event on every line', () => {
    for (const l of lines) expect(l.fields).toMatchObject({ leadId: 'L1', tenantId: 'acme' });
    expect(lines.map((l) => l.msg)).toEqual([
      'lead received',
      'lead validated',
      'lead rejected',
      'lead routed',
      'delivery failed, failing over',
      'lead offered',
      'lead shared',
      'lead escalated',
      'return refused',
    ]);
  });

  it('keeps codes and ids and never the text that quotes the contact', () => {
    const all = JSON.stringify(lines);
    expect(all).not.toContain('8675309');
    expect(all).not.toContain('jenny');
    expect(lines[1]!.fields).toMatchObject({ outcome: 'rejected', flags: ['voip'], failedSteps: ['phone'] });
    expect(lines[2]!.fields).toMatchObject({ reason: 'invalid' });
    expect(lines[3]!.fields).toMatchObject({ endpointIds: ['dallas'], tier: 'exclusive', algorithm: 'round_robin' });
    expect(lines[4]!.fields.reason).toContain('Receiver refused the lead (HTTP 422)');
  });
});
