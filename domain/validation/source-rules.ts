import type { z } from 'zod';
import type { SourceValidationSchema } from '../../schema/source.ts';
import type { ConsentCheckOptions } from './consent.ts';
import type { EmailCheckOptions } from './email.ts';
import type { PhoneCheckOptions, PhoneData, PhoneStep } from './phone.ts';
import type { RiskOptions } from './risk.ts';
import { stepResult } from './step.ts';

export type SourceValidation = z.output<typeof SourceValidationSchema>;

export interface ChainOptions {
  phone: PhoneCheckOptions;
  email: Pick<EmailCheckOptions, 'required' | 'disposable'>;
  consent: Omit<ConsentCheckOptions, 'now'>;
  risk: RiskOptions;
  checkSuppression: boolean;
  allowedLineTypes: ReadonlyArray<'mobile' | 'landline' | 'voip'>;
}

/** What a source contract's validation settings mean for each step of the chain. */
export function chainOptionsFor(v: SourceValidation): ChainOptions {
  return {
    phone: { required: v.requirePhone },
    email: { required: v.requireEmail, disposable: v.rejectDisposableEmail ? 'fail' : 'flag' },
    consent: { required: v.requireConsent },
    // "Rejected above maxRiskScore": a score of max + 1 fails.
    risk: { failAt: v.maxRiskScore + 1 },
    checkSuppression: v.checkDnc,
    allowedLineTypes: v.allowedLineTypes,
  };
}

/** A valid number of a line type the source does not buy fails the phone step. */
export function applyLineTypeRule(step: PhoneStep, allowed: ReadonlyArray<'mobile' | 'landline' | 'voip'>): PhoneStep {
  const t = step.data.lineType;
  if (step.outcome === 'fail' || !step.data.e164) return step;
  if ((t === 'mobile' || t === 'landline' || t === 'voip') && !allowed.includes(t)) {
    return stepResult<'phone', PhoneData>('phone', 'fail', step.data, {
      code: 'line_type_not_accepted',
      reason: `phone is a ${t} line; this source accepts ${allowed.join(', ')} lines only`,
    });
  }
  return step;
}
