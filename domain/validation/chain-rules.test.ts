import { describe, expect, it } from 'vitest';
import { channelsFromText, checkConsent, isPublicIp } from './consent.ts';
import { decideDuplicate, type PriorLead } from './duplicates.ts';
import { checkEmail } from './email.ts';
import { checkPhone } from './phone.ts';
import { riskInputsFromSteps, riskStep, scoreRisk } from './risk.ts';
import { suppressionStep } from './suppression.ts';
import { summariseValidation } from './summarise.ts';

const now = Date.parse('2026-03-01T12:00:00Z');
const H = 3_600_000;
const consent = {
  text: 'I agree to receive calls and text messages from Acme at the number provided.',
  timestamp: '2026-03-01T11:59:00Z',
  ip: '203.0.114.7',
  pageUrl: 'https://acme.example/quote',
};

describe('duplicate decision', () => {
  const prior = (leadId: string, ago: number, keys: PriorLead['keys'], accepted = true): PriorLead => ({ leadId, receivedAt: now - ago, keys, accepted });

  it('matches an accepted earlier lead on phone or email within the window', () => {
    const r = decideDuplicate({
      leadId: 'L9',
      receivedAt: now,
      keys: { phone: 'hP', email: 'hE' },
      windowMs: 24 * H,
      priors: [prior('L2', 2 * H, { email: 'hE' }), prior('L1', 5 * H, { phone: 'hP' })],
    });
    expect(r).toMatchObject({ outcome: 'fail', code: 'duplicate', data: { duplicateOf: 'L1', matchedOn: ['phone'] } });
    expect(r.reason).toBe("Same phone as lead L1, received within the source's 24-hour duplicate window");
  });

  it('ignores leads outside the window, rejected ones, itself, and later ones', () => {
    const r = decideDuplicate({
      leadId: 'L9',
      receivedAt: now,
      keys: { phone: 'hP' },
      windowMs: 24 * H,
      priors: [prior('L1', 25 * H, { phone: 'hP' }), prior('L2', H, { phone: 'hP' }, false), prior('L9', 0, { phone: 'hP' }), prior('L3', -H, { phone: 'hP' })],
    });
    expect(r).toMatchObject({ outcome: 'pass', data: { priorsChecked: 4 } });
  });

  it('orders same-millisecond arrivals by id so exactly one of two concurrent leads is the duplicate', () => {
    const a = decideDuplicate({ leadId: 'A', receivedAt: now, keys: { phone: 'hP' }, windowMs: H, priors: [prior('B', 0, { phone: 'hP' })] });
    const b = decideDuplicate({ leadId: 'B', receivedAt: now, keys: { phone: 'hP' }, windowMs: H, priors: [prior('A', 0, { phone: 'hP' })] });
    expect([a.outcome, b.outcome].sort()).toEqual(['fail', 'pass']);
  });

  it('honours the match rule and an off switch', () => {
    const priors = [prior('L1', H, { phone: 'hP', email: 'other' })];
    expect(
      decideDuplicate({ leadId: 'L9', receivedAt: now, keys: { phone: 'hP', email: 'hE' }, windowMs: 2 * H, priors, match: 'phone_and_email' }).outcome,
    ).toBe('pass');
    expect(decideDuplicate({ leadId: 'L9', receivedAt: now, keys: { phone: 'hP' }, windowMs: 0, priors }).outcome).toBe('pass');
  });
});

describe('suppression step', () => {
  it('passes with no hits and fails naming every list hit', () => {
    expect(suppressionStep([], ['phone'])).toMatchObject({ outcome: 'pass' });
    const r = suppressionStep(
      [
        { list: 'federal', scope: 'global', matchedOn: 'phone' },
        { list: 'state', state: 'TX', scope: 'global', matchedOn: 'phone' },
      ],
      ['phone'],
    );
    expect(r).toMatchObject({ outcome: 'fail', code: 'dnc', reason: 'Phone is on the federal Do Not Call list; Phone is on the TX Do Not Call list' });
    expect(suppressionStep([{ list: 'internal', scope: 'tenant', matchedOn: 'email' }], ['email'])).toMatchObject({
      code: 'internal_suppression',
      reason: 'Email is on the internal suppression list',
    });
  });
});

describe('consent check', () => {
  it('passes a fresh, complete record and reads channels from the text', () => {
    const r = checkConsent(consent, { now });
    expect(r).toMatchObject({
      outcome: 'pass',
      data: {
        present: true,
        usable: true,
        channels: ['sms', 'phone'],
        channelsFrom: 'text',
        allowsSms: true,
        allowsEmail: false,
        ipPublic: true,
        problems: [],
        warnings: [],
      },
    });
  });

  it('explicit channels win over the text', () => {
    expect(checkConsent({ ...consent, channels: ['email'] }, { now }).data).toMatchObject({
      channels: ['email'],
      channelsFrom: 'record',
      allowsSms: false,
      allowsEmail: true,
    });
  });

  it('missing, future, stale, or with a bad IP: no automatic contact, flagged (or failed when required)', () => {
    expect(checkConsent(undefined, { now })).toMatchObject({ outcome: 'flag', code: 'missing', data: { present: false, allowsSms: false } });
    expect(checkConsent(undefined, { now, required: true }).outcome).toBe('fail');
    expect(checkConsent({ ...consent, timestamp: '2026-03-01T13:00:00Z' }, { now })).toMatchObject({
      outcome: 'flag',
      data: { usable: false, allowsSms: false, problems: [expect.stringContaining('in the future')] },
    });
    expect(checkConsent({ ...consent, timestamp: '2025-10-01T00:00:00Z' }, { now, maxAgeDays: 30 }).data.problems).toEqual([
      'consent is 151 days old; at most 30 allowed',
    ]);
    expect(checkConsent({ ...consent, timestamp: '2025-10-01T00:00:00Z' }, { now, maxAgeDays: 365 }).outcome).toBe('pass');
    expect(checkConsent({ ...consent, ip: '999.1.1.1' }, { now }).data.problems).toEqual(['consent IP "999.1.1.1" is not an IP address']);
  });

  it('names malformed fields', () => {
    const r = checkConsent({ text: '', timestamp: 'yesterday', pageUrl: 'javascript:alert(1)' }, { now });
    expect(r).toMatchObject({ outcome: 'flag', code: 'malformed' });
    expect(r.data.problems.map((p) => p.split(':')[0])).toEqual(['text', 'timestamp', 'pageUrl']);
  });

  it('notes weak spots without voiding the record', () => {
    const r = checkConsent({ text: consent.text, timestamp: consent.timestamp, ip: '10.1.2.3' }, { now });
    expect(r).toMatchObject({ outcome: 'pass', data: { ipPublic: false, warnings: ['consent IP 10.1.2.3 is not a public address', 'no page URL recorded'] } });
    expect(isPublicIp('2606:4700::1111')).toBe(true);
    expect(isPublicIp('fe80::1')).toBe(false);
    expect(channelsFromText('You may e-mail me.')).toEqual(['email']);
  });
});

describe('risk score', () => {
  it('is 0 for a clean lead and lists every factor otherwise', () => {
    const clean = [checkPhone('+12145550134'), checkEmail('ada@example.com', { isDisposableDomain: () => false }), checkConsent(consent, { now })];
    expect(scoreRisk(riskInputsFromSteps(clean, 'TX'))).toEqual({ score: 0, factors: [], flagAt: 40 });

    const risky = scoreRisk({
      phone: { e164: '+12145550134', lineType: 'voip', smsCapable: true, region: 'CA', verifiedBy: 'lookup' },
      email: { present: true, normalized: 'x@mailinator.com', domain: 'mailinator.com', disposable: true, role: false, verifiedBy: 'offline' },
      consent: checkConsent(undefined, { now }).data,
      addressState: 'TX',
    });
    expect(risky.factors.map((f) => f.code)).toEqual(['voip', 'phone_state_mismatch', 'disposable_email', 'no_consent']);
    expect(risky.score).toBe(90);
    expect(risky.factors[1]?.explanation).toBe('phone is from CA but the address is in TX');
  });

  it('caps at 100, takes custom weights, and flags or fails by threshold', () => {
    const inputs = {
      phone: { e164: '+18005551212', lineType: 'premium_rate' as const, smsCapable: false, verifiedBy: 'offline' },
      consent: checkConsent(undefined, { now }).data,
      email: checkEmail('x@t.com', { isDisposableDomain: () => true }).data,
    };
    expect(scoreRisk(inputs).score).toBe(90);
    expect(scoreRisk(inputs, { weights: { premium_rate: 80 } }).score).toBe(100);
    expect(riskStep(scoreRisk(inputs))).toMatchObject({
      outcome: 'flag',
      code: 'elevated_risk',
      reason: expect.stringMatching(/^Risk score 90: phone is a premium-rate number \(\+40\)/),
    });
    expect(riskStep(scoreRisk(inputs, { failAt: 80 }))).toMatchObject({ outcome: 'fail', code: 'high_risk' });
    expect(riskStep(scoreRisk({})).outcome).toBe('pass');
  });
});

describe('summariseValidation', () => {
  it('accepts when nothing fails and lists the flags', () => {
    const steps = [checkPhone('+18005551212'), checkEmail('info@acme.com', { isDisposableDomain: () => false }), checkConsent(undefined, { now })];
    expect(summariseValidation(steps)).toEqual({ outcome: 'accepted', failures: [], flags: ['phone:toll_free', 'email:role_address', 'consent:missing'] });
  });

  it('rejects with the most fundamental reason first and keeps every failure', () => {
    const dnc = suppressionStep([{ list: 'federal', scope: 'global', matchedOn: 'phone' }], ['phone']);
    const dup = decideDuplicate({
      leadId: 'L9',
      receivedAt: now,
      keys: { phone: 'h' },
      windowMs: H,
      priors: [{ leadId: 'L1', receivedAt: now - 1, keys: { phone: 'h' }, accepted: true }],
    });
    const s = summariseValidation([dnc, dup, checkPhone('+12145550134')]);
    expect(s).toMatchObject({ outcome: 'rejected', rejectReason: 'duplicate', rejectDetail: expect.stringContaining('lead L1') });
    expect(s.failures.map((f) => f.reason)).toEqual(['duplicate', 'dnc']);
    expect(summariseValidation([dnc, checkPhone('12')])).toMatchObject({ rejectReason: 'invalid', rejectDetail: 'phone is not a possible phone number' });
  });
});
