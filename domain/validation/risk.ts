import type { ConsentData } from './consent.ts';
import type { EmailData } from './email.ts';
import type { PhoneData } from './phone.ts';
import { stepResult, type StepResult } from './step.ts';

export type RiskFactor = { code: string; points: number; explanation: string };
export type RiskData = { score: number; factors: RiskFactor[]; flagAt: number; failAt?: number };

export interface RiskInputs {
  phone?: PhoneData;
  email?: EmailData;
  consent?: ConsentData;
  /** Two-letter state of the lead's address (from the address step). */
  addressState?: string;
}

/** Points per factor; a tenant can weigh them differently. */
export const DEFAULT_RISK_WEIGHTS = {
  voip: 25,
  toll_free: 30,
  premium_rate: 40,
  line_unknown: 5,
  disposable_email: 30,
  role_email: 10,
  no_email: 5,
  phone_state_mismatch: 15,
  no_consent: 20,
  consent_unusable: 25,
  consent_no_ip: 5,
  consent_private_ip: 10,
  consent_no_page: 5,
} as const;
export type RiskWeights = Record<keyof typeof DEFAULT_RISK_WEIGHTS, number>;

export interface RiskOptions {
  weights?: Partial<RiskWeights>;
  flagAt?: number;
  /** Absent: a risky lead is flagged, never rejected, on score alone. */
  failAt?: number;
}

export type RiskStep = StepResult<'risk', RiskData>;

/** What a paid fraud-scoring service implements; the default is `scoreRisk`. */
export interface RiskScorer {
  score(inputs: RiskInputs): Promise<RiskData> | RiskData;
}

/** A score from 0 to 100 with every contributing factor and its points, so ops can see why. */
export function scoreRisk(inputs: RiskInputs, opts: RiskOptions = {}): RiskData {
  const w: RiskWeights = { ...DEFAULT_RISK_WEIGHTS, ...opts.weights };
  const factors: RiskFactor[] = [];
  const add = (code: keyof RiskWeights, explanation: string) => {
    if (w[code] > 0) factors.push({ code, points: w[code], explanation });
  };
  const { phone, email, consent } = inputs;

  if (phone?.e164) {
    if (phone.lineType === 'voip') add('voip', 'phone is a VoIP line');
    else if (phone.lineType === 'toll_free') add('toll_free', 'phone is a toll-free number');
    else if (phone.lineType === 'premium_rate') add('premium_rate', 'phone is a premium-rate number');
    else if (phone.lineType === 'unknown' && phone.verifiedBy !== 'offline') add('line_unknown', 'line type could not be determined');
    if (phone.region && inputs.addressState && phone.region.toUpperCase() !== inputs.addressState.toUpperCase()) {
      add('phone_state_mismatch', `phone is from ${phone.region} but the address is in ${inputs.addressState}`);
    }
  }
  if (email?.present) {
    if (email.disposable) add('disposable_email', 'email is at a throwaway-address domain');
    else if (email.role) add('role_email', 'email is a role address, not a person');
  } else if (email) add('no_email', 'no email address');

  if (consent) {
    if (!consent.present) add('no_consent', 'no consent record');
    else if (!consent.usable) add('consent_unusable', `consent cannot be relied on (${consent.problems.join('; ')})`);
    else {
      if (consent.ipPublic === undefined) add('consent_no_ip', 'consent has no IP address');
      else if (!consent.ipPublic) add('consent_private_ip', 'consent IP is not a public address');
      if (consent.warnings.includes('no page URL recorded')) add('consent_no_page', 'consent has no page URL');
    }
  }
  const score = Math.min(
    100,
    factors.reduce((sum, f) => sum + f.points, 0),
  );
  const data: RiskData = { score, factors, flagAt: opts.flagAt ?? 40 };
  if (opts.failAt !== undefined) data.failAt = opts.failAt;
  return data;
}

export function riskStep(data: RiskData): RiskStep {
  const top = [...data.factors]
    .sort((a, b) => b.points - a.points)
    .map((f) => `${f.explanation} (+${f.points})`)
    .join(', ');
  if (data.failAt !== undefined && data.score >= data.failAt) {
    return stepResult('risk', 'fail', data, {
      code: 'high_risk',
      reason: `Risk score ${data.score} is at or above the rejection threshold ${data.failAt}: ${top}`,
    });
  }
  if (data.score >= data.flagAt) return stepResult('risk', 'flag', data, { code: 'elevated_risk', reason: `Risk score ${data.score}: ${top}` });
  return stepResult('risk', 'pass', data);
}

/** Picks the risk inputs out of the results of the earlier steps. */
export function riskInputsFromSteps(steps: ReadonlyArray<StepResult>, addressState?: string): RiskInputs {
  const dataOf = <T>(name: string) => steps.find((s) => s.step === name)?.data as T | undefined;
  const inputs: RiskInputs = {};
  const phone = dataOf<PhoneData>('phone');
  const email = dataOf<EmailData>('email');
  const consent = dataOf<ConsentData>('consent');
  if (phone) inputs.phone = phone;
  if (email) inputs.email = email;
  if (consent) inputs.consent = consent;
  if (addressState) inputs.addressState = addressState;
  return inputs;
}
