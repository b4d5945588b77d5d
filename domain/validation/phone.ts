import { parsePhoneNumberFromString, type CountryCode, type NumberType } from 'libphonenumber-js/max';
import { stepResult, type StepResult } from './step.ts';

export type LineType = 'mobile' | 'landline' | 'voip' | 'toll_free' | 'premium_rate' | 'other' | 'unknown';

export type PhoneData = {
  input?: string;
  e164?: string;
  country?: string;
  lineType: LineType;
  /** True where the number could be a mobile (so an SMS may reach it). */
  smsCapable: boolean;
  /** State or region of the number, when a provider knows it (area-code lookup, carrier data). */
  region?: string;
  /** Who decided: `offline` (libphonenumber metadata) or a provider's name. */
  verifiedBy: string;
};

export interface PhoneCheckOptions {
  defaultCountry?: CountryCode;
  /** Countries served; a number elsewhere fails. Empty or absent: any. */
  allowedCountries?: CountryCode[];
  required?: boolean;
}

export type PhoneStep = StepResult<'phone', PhoneData>;

/**
 * The offline check. In North America the metadata cannot tell mobiles from
 * landlines (FIXED_LINE_OR_MOBILE), so those come back `unknown` and
 * `smsCapable`; a carrier-lookup provider can do better.
 */
export function checkPhone(raw: string | undefined, opts: PhoneCheckOptions = {}): PhoneStep {
  const input = raw?.trim();
  if (!input) {
    const data: PhoneData = { lineType: 'unknown', smsCapable: false, verifiedBy: 'offline' };
    return opts.required === false
      ? stepResult('phone', 'pass', data)
      : stepResult('phone', 'fail', data, { code: 'missing', reason: 'No phone number was given' });
  }
  const parsed = parsePhoneNumberFromString(input, opts.defaultCountry ?? 'US');
  if (!parsed || !parsed.isValid()) {
    const why = parsed?.isPossible() ? 'is not a number in service in its numbering plan' : 'is not a possible phone number';
    return stepResult('phone', 'fail', { input, lineType: 'unknown', smsCapable: false, verifiedBy: 'offline' }, { code: 'invalid', reason: `phone ${why}` });
  }
  const lineType = lineTypeOf(parsed.getType());
  const data: PhoneData = {
    input,
    e164: parsed.number,
    lineType,
    smsCapable: lineType === 'mobile' || lineType === 'unknown',
    verifiedBy: 'offline',
  };
  if (parsed.country) data.country = parsed.country;
  if (opts.allowedCountries?.length && !(parsed.country && opts.allowedCountries.includes(parsed.country))) {
    return stepResult('phone', 'fail', data, {
      code: 'country_not_served',
      reason: `phone is ${parsed.country ? `a ${parsed.country} number` : 'a number of no known country'}, outside the countries served (${opts.allowedCountries.join(', ')})`,
    });
  }
  return phoneStepFor(data);
}

/** Pass/flag from what is known about a valid number; shared with provider-backed verifiers. */
export function phoneStepFor(data: PhoneData): PhoneStep {
  switch (data.lineType) {
    case 'voip':
      return stepResult('phone', 'flag', data, { code: 'voip', reason: 'phone is a VoIP number' });
    case 'toll_free':
      return stepResult('phone', 'flag', data, { code: 'toll_free', reason: 'phone is a toll-free number, unusual for a consumer' });
    case 'premium_rate':
      return stepResult('phone', 'flag', data, { code: 'premium_rate', reason: 'phone is a premium-rate number' });
    default:
      return stepResult('phone', 'pass', data);
  }
}

function lineTypeOf(type: NumberType): LineType {
  switch (type) {
    case 'MOBILE':
      return 'mobile';
    case 'FIXED_LINE':
      return 'landline';
    case 'VOIP':
      return 'voip';
    case 'TOLL_FREE':
      return 'toll_free';
    case 'PREMIUM_RATE':
      return 'premium_rate';
    case 'FIXED_LINE_OR_MOBILE':
    case undefined:
      return 'unknown';
    default:
      return 'other';
  }
}
