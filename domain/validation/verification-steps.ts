// What a verification provider's answer (or its silence) makes of the chain's
// steps. Pure: the activity calls the provider and hands the outcome here.
// Reasons name the field, the rule and the provider, never a value.
import { identityConfidence, type IdentityAnswer, type PhoneAnswer, type RiskAnswer, type VerificationCheck } from './provider-contract.ts';
import { phoneStepFor, type PhoneStep } from './phone.ts';
import type { RiskData, RiskOptions } from './risk.ts';
import { stepResult, type StepResult } from './step.ts';

/** Below this identity confidence the lead is flagged (a routing tier may act on the number itself). */
export const LOW_IDENTITY_CONFIDENCE = 50;

/** A provider that did not answer: the lead goes on, checked offline, and is flagged so it never passes silently. */
export function providerUnavailableStep(check: VerificationCheck, reason: string): StepResult<'verification', { check: VerificationCheck }> {
  return stepResult(
    'verification',
    'flag',
    { check },
    { code: `${check}_unavailable`, reason: `${check} verification unavailable (${reason}); checked offline instead` },
  );
}

/** The provider's line type, carrier and service status over the offline check; a number not in service fails. */
export function verifiedPhoneStep(offline: PhoneStep, answer: PhoneAnswer, provider: string): PhoneStep {
  if (offline.outcome === 'fail' || !offline.data.e164) return offline;
  const data = {
    ...offline.data,
    lineType: answer.lineType,
    smsCapable: answer.lineType === 'mobile',
    verifiedBy: provider,
    ...(answer.carrier ? { carrier: answer.carrier } : {}),
  };
  if (answer.active === false) return stepResult('phone', 'fail', data, { code: 'not_in_service', reason: `phone is not in service (${provider})` });
  return phoneStepFor(data);
}

export type IdentityData = { namePhoneConfidence?: number; nameAddressConfidence?: number; confidence?: number; zipCorrected: boolean; verifiedBy: string };

/** The identity match: flagged below LOW_IDENTITY_CONFIDENCE; `zipCorrected` when the provider's address moved the lead. */
export function identityStep(answer: IdentityAnswer, provider: string, zipCorrected: boolean): StepResult<'identity', IdentityData> {
  const confidence = identityConfidence(answer);
  const data: IdentityData = {
    ...(answer.namePhoneConfidence !== undefined ? { namePhoneConfidence: answer.namePhoneConfidence } : {}),
    ...(answer.nameAddressConfidence !== undefined ? { nameAddressConfidence: answer.nameAddressConfidence } : {}),
    ...(confidence !== undefined ? { confidence } : {}),
    zipCorrected,
    verifiedBy: provider,
  };
  if (confidence !== undefined && confidence < LOW_IDENTITY_CONFIDENCE)
    return stepResult('identity', 'flag', data, {
      code: 'low_confidence',
      reason: `identity: the name matches the phone and address with confidence ${confidence} (${provider})`,
    });
  if (zipCorrected)
    return stepResult('identity', 'flag', data, {
      code: 'zip_corrected',
      reason: `address: ${provider} verified the address under another ZIP; the lead is placed there`,
    });
  return stepResult('identity', 'pass', data);
}

/** A provider's fraud score in place of the offline one, judged by the same thresholds. */
export function providerRisk(answer: RiskAnswer, provider: string, opts: RiskOptions = {}): RiskData {
  const factors = (answer.reasons?.length ? answer.reasons : ['no reasons given']).map((r) => ({
    code: 'provider',
    points: 0,
    explanation: `${provider}: ${r}`,
  }));
  return { score: answer.score, factors, flagAt: opts.flagAt ?? 40, ...(opts.failAt !== undefined ? { failAt: opts.failAt } : {}) };
}
