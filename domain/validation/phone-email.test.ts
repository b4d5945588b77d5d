import { describe, expect, it } from 'vitest';
import { checkEmail } from './email.ts';
import { checkPhone, phoneStepFor } from './phone.ts';

describe('phone check', () => {
  it('normalises a US number to E.164; the offline metadata cannot tell mobile from landline there', () => {
    const r = checkPhone('(214) 555-0134');
    expect(r).toEqual({
      step: 'phone',
      outcome: 'pass',
      data: { input: '(214) 555-0134', e164: '+12145550134', country: 'US', lineType: 'unknown', smsCapable: true, verifiedBy: 'offline' },
    });
  });

  it('tells line types where the numbering plan does', () => {
    expect(checkPhone('+44 7911 123456').data).toMatchObject({ lineType: 'mobile', smsCapable: true });
    expect(checkPhone('+44 20 7183 8750').data).toMatchObject({ e164: '+442071838750', country: 'GB', lineType: 'landline', smsCapable: false });
    expect(checkPhone('+1 800 555 1212')).toMatchObject({ outcome: 'flag', code: 'toll_free', data: { lineType: 'toll_free' } });
    expect(checkPhone('+44 56 1234 5678')).toMatchObject({ outcome: 'flag', code: 'voip' });
  });

  it('fails an invalid or missing number with a reason', () => {
    expect(checkPhone('123')).toMatchObject({ outcome: 'fail', code: 'invalid', reason: 'phone is not a possible phone number' });
    expect(checkPhone('+1 123 456 7890')).toMatchObject({ outcome: 'fail', code: 'invalid' });
    expect(checkPhone('  ')).toMatchObject({ outcome: 'fail', code: 'missing' });
    expect(checkPhone(undefined, { required: false }).outcome).toBe('pass');
  });

  it('fails a number outside the countries served', () => {
    expect(checkPhone('+44 7911 123456', { allowedCountries: ['US', 'CA'] })).toMatchObject({ outcome: 'fail', code: 'country_not_served' });
    expect(checkPhone('+1 416 555 0199', { allowedCountries: ['US', 'CA'] }).outcome).toBe('pass');
  });

  it('a provider’s carrier data goes through the same pass/flag rules', () => {
    expect(phoneStepFor({ e164: '+12145550134', lineType: 'voip', smsCapable: true, verifiedBy: 'lookup' })).toMatchObject({ outcome: 'flag', code: 'voip' });
  });
});

describe('email check', () => {
  const isDisposableDomain = (d: string) => d === 'mailinator.com';

  it('passes and normalises a plain address', () => {
    expect(checkEmail(' Ada@Example.com ', { isDisposableDomain })).toEqual({
      step: 'email',
      outcome: 'pass',
      data: {
        present: true,
        input: 'Ada@Example.com',
        normalized: 'ada@example.com',
        domain: 'example.com',
        disposable: false,
        role: false,
        verifiedBy: 'offline',
      },
    });
  });

  it('fails bad syntax', () => {
    for (const bad of ['ada', 'ada@', '@example.com', 'ada@@example.com', 'ada@example', 'a da@example.com']) {
      expect(checkEmail(bad, { isDisposableDomain })).toMatchObject({ outcome: 'fail', code: 'invalid' });
    }
  });

  it('flags disposable domains, including their subdomains, or fails them when configured', () => {
    expect(checkEmail('x@mailinator.com', { isDisposableDomain })).toMatchObject({ outcome: 'flag', code: 'disposable' });
    expect(checkEmail('x@eu.mailinator.com', { isDisposableDomain })).toMatchObject({ outcome: 'flag', code: 'disposable' });
    expect(checkEmail('x@mailinator.com', { isDisposableDomain, disposable: 'fail' }).outcome).toBe('fail');
  });

  it('flags role addresses', () => {
    expect(checkEmail('info@acme.com', { isDisposableDomain })).toMatchObject({ outcome: 'flag', code: 'role_address' });
    expect(checkEmail('sales+web@acme.com', { isDisposableDomain })).toMatchObject({ outcome: 'flag', code: 'role_address' });
  });

  it('is optional unless required', () => {
    expect(checkEmail(undefined, { isDisposableDomain })).toMatchObject({ outcome: 'pass', data: { present: false } });
    expect(checkEmail('', { isDisposableDomain, required: true })).toMatchObject({ outcome: 'fail', code: 'missing' });
  });
});

describe('reasons name the field and the rule, never the value', () => {
  it('no phone or email reason quotes the number or address it judged', async () => {
    const { applyLineTypeRule } = await import('./source-rules.ts');
    const phones = ['123', '555-12', '+1 900 555 0100', '+1 800 555 0100', '+44 20 7946 0958', '(214) 555-0134', '+1 500 555 0006'];
    const reasons: Array<{ value: string; reason?: string | undefined }> = [];
    for (const p of phones) {
      const step = checkPhone(p, { allowedCountries: ['US'] });
      reasons.push({ value: p, reason: step.reason });
      reasons.push({ value: p, reason: applyLineTypeRule({ ...step, data: { ...step.data, lineType: 'voip' } }, ['mobile']).reason });
      reasons.push({ value: p, reason: phoneStepFor({ ...step.data, e164: step.data.e164 ?? '+15005550006', lineType: 'voip' }).reason });
    }
    for (const e of ['not-an-email', 'Sales@Example.COM', 'someone@mailinator.com']) {
      reasons.push({ value: e, reason: checkEmail(e, { isDisposableDomain: (d) => d === 'mailinator.com' }).reason });
    }
    const digits = (s: string) => s.replace(/\D/g, '');
    for (const { value, reason } of reasons) {
      if (!reason) continue;
      expect(reason.toLowerCase()).not.toContain(value.toLowerCase());
      if (digits(value).length >= 7) expect(digits(reason)).not.toContain(digits(value).slice(-7));
      expect(reason).toMatch(/^(phone|email) /);
    }
    expect(reasons.filter((r) => r.reason).length).toBeGreaterThan(10);
  });
});
