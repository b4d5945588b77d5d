import { describe, expect, it } from 'vitest';
import { checkPhone } from './phone.ts';
import { identityConfidence, IdentityAnswerSchema, PhoneAnswerSchema, RiskAnswerSchema } from './provider-contract.ts';
import { riskStep } from './risk.ts';
import { summariseValidation } from './summarise.ts';
import { identityStep, providerRisk, providerUnavailableStep, verifiedPhoneStep } from './verification-steps.ts';

describe('verification provider answers', () => {
  const offline = checkPhone('(214) 555-0134');

  it("puts the provider's line type and carrier over the offline check and judges it by the same rules", () => {
    const mobile = verifiedPhoneStep(offline, { lineType: 'mobile', carrier: 'Acme Wireless', active: true }, 'numlookup');
    expect(mobile).toMatchObject({
      outcome: 'pass',
      data: { e164: '+12145550134', lineType: 'mobile', smsCapable: true, verifiedBy: 'numlookup', carrier: 'Acme Wireless' },
    });
    expect(verifiedPhoneStep(offline, { lineType: 'voip' }, 'numlookup')).toMatchObject({ outcome: 'flag', code: 'voip', data: { smsCapable: false } });
  });

  it('fails a number the provider says is not in service, naming the provider and not the number', () => {
    const dead = verifiedPhoneStep(offline, { lineType: 'landline', active: false }, 'numlookup');
    expect(dead).toMatchObject({ outcome: 'fail', code: 'not_in_service', reason: 'phone is not in service (numlookup)' });
    expect(dead.reason).not.toContain('555');
    expect(summariseValidation([dead])).toMatchObject({ outcome: 'rejected', rejectReason: 'invalid' });
  });

  it('leaves a number the offline check failed as it was: the provider cannot revive it', () => {
    const bad = checkPhone('123');
    expect(verifiedPhoneStep(bad, { lineType: 'mobile' }, 'numlookup')).toBe(bad);
  });

  it('takes the weaker of the two identity matches, flags it below 50, and says when the ZIP was corrected', () => {
    expect(identityConfidence({ namePhoneConfidence: 90, nameAddressConfidence: 35 })).toBe(35);
    expect(identityConfidence({})).toBeUndefined();
    expect(identityStep({ namePhoneConfidence: 90, nameAddressConfidence: 80 }, 'idcheck', false)).toMatchObject({
      outcome: 'pass',
      data: { confidence: 80, zipCorrected: false },
    });
    expect(identityStep({ namePhoneConfidence: 90, nameAddressConfidence: 35 }, 'idcheck', false)).toMatchObject({
      outcome: 'flag',
      code: 'low_confidence',
      reason: 'identity: the name matches the phone and address with confidence 35 (idcheck)',
    });
    const moved = identityStep({ namePhoneConfidence: 90, verifiedAddress: { zip: '75034' } }, 'idcheck', true);
    expect(moved).toMatchObject({ outcome: 'flag', code: 'zip_corrected', data: { zipCorrected: true } });
    expect(moved.reason).not.toContain('75034');
    expect(summariseValidation([moved]).flags).toEqual(['identity:zip_corrected']);
  });

  it('a provider that does not answer flags the lead by check, never rejects it', () => {
    const s = providerUnavailableStep('risk', 'fraudscore gave HTTP 503');
    expect(s).toMatchObject({
      step: 'verification',
      outcome: 'flag',
      code: 'risk_unavailable',
      reason: 'risk verification unavailable (fraudscore gave HTTP 503); checked offline instead',
    });
    expect(summariseValidation([s])).toMatchObject({ outcome: 'accepted', flags: ['verification:risk_unavailable'] });
  });

  it("judges a provider's fraud score by the source's thresholds and keeps its reasons as factors", () => {
    const data = providerRisk({ score: 85, reasons: ['proxy_ip', 'velocity'] }, 'fraudscore', { flagAt: 40, failAt: 80 });
    expect(data.factors.map((f) => f.explanation)).toEqual(['fraudscore: proxy_ip', 'fraudscore: velocity']);
    expect(riskStep(data)).toMatchObject({ outcome: 'fail' });
    expect(riskStep(providerRisk({ score: 50 }, 'fraudscore', { flagAt: 40, failAt: 80 }))).toMatchObject({ outcome: 'flag' });
    expect(riskStep(providerRisk({ score: 10 }, 'fraudscore'))).toMatchObject({ outcome: 'pass' });
  });

  it('holds answers to the contract', () => {
    expect(PhoneAnswerSchema.safeParse({ lineType: 'pager' }).success).toBe(false);
    expect(RiskAnswerSchema.safeParse({ score: 140 }).success).toBe(false);
    expect(IdentityAnswerSchema.safeParse({ namePhoneConfidence: -1 }).success).toBe(false);
    expect(IdentityAnswerSchema.parse({ nameAddressConfidence: 70, extra: 'ignored' })).toEqual({ nameAddressConfidence: 70 });
  });
});
