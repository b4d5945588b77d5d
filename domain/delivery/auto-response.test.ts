import { describe, expect, it } from 'vitest';
import { planAutoResponse, type AutoResponseInput } from './auto-response.ts';

const base: AutoResponseInput = {
  leadId: 'L1',
  consentChannels: ['sms', 'email'],
  templates: {
    sms: 'Hi {{firstName}}, thanks! {{company}} will call you shortly.',
    email: { subject: 'Thanks, {{firstName}}', body: 'Hello {{firstName}} {{lastName}},\nwe got your request.' },
  },
  phoneE164: '+12145550134',
  lineType: 'unknown',
  email: 'ada@example.com',
  vars: { firstName: 'Ada', company: 'Acme Roofing' },
};

describe('speed-to-lead auto-response plan', () => {
  it('sends both with consent for both; missing fields render empty', () => {
    expect(planAutoResponse(base)).toEqual({
      send: [
        { channel: 'sms', to: '+12145550134', body: 'Hi Ada, thanks! Acme Roofing will call you shortly.', idempotencyKey: 'L1:auto:sms' },
        { channel: 'email', to: 'ada@example.com', subject: 'Thanks, Ada', text: 'Hello Ada ,\nwe got your request.', idempotencyKey: 'L1:auto:email' },
      ],
      skipped: [],
    });
  });

  it('sends only what the consent covers', () => {
    const plan = planAutoResponse({ ...base, consentChannels: ['email', 'phone'] });
    expect(plan.send.map((m) => m.channel)).toEqual(['email']);
    expect(plan.skipped).toEqual([{ channel: 'sms', reason: 'the consent record does not cover text messages' }]);
    expect(planAutoResponse({ ...base, consentChannels: [] }).send).toEqual([]);
  });

  it('does not text a landline, and skips channels with no template or address', () => {
    expect(planAutoResponse({ ...base, lineType: 'landline' }).skipped).toEqual([{ channel: 'sms', reason: 'a landline number cannot receive text messages' }]);
    const plan = planAutoResponse({ ...base, templates: {}, email: undefined });
    expect(plan.send).toEqual([]);
    expect(plan.skipped.map((s) => s.reason)).toEqual(['no SMS template', 'no email template']);
    expect(planAutoResponse({ ...base, email: undefined }).skipped).toEqual([{ channel: 'email', reason: 'no email address' }]);
  });
});
