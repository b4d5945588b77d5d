import type { ValidationRequest } from '../lead-ports.ts';
import { checkConsent, type ConsentCheckOptions, type ContactChannel } from '../../domain/validation/consent.ts';
import { decideDuplicate, type DuplicateKeys, type DuplicateMatch } from '../../domain/validation/duplicates.ts';
import type { DuplicateLookup, EmailVerifier, PhoneVerifier, RiskScorer, SuppressionProvider } from '../../domain/validation/providers.ts';
import { riskInputsFromSteps, riskStep, scoreRisk, type RiskOptions } from '../../domain/validation/risk.ts';
import type { StepResult } from '../../domain/validation/step.ts';
import { suppressionStep } from '../../domain/validation/suppression.ts';
import { summariseValidation, type ValidationSummary } from '../../domain/validation/summarise.ts';

export interface LeadValidatorDeps {
  phone: PhoneVerifier;
  email: EmailVerifier;
  suppression: SuppressionProvider;
  /** Absent: the duplicate step is left to the caller. */
  duplicates?: DuplicateLookup;
  /** Keyed hash for duplicate keys (the PII codec's `hash`), so plain values are never compared or stored. */
  hash: (value: string) => string;
  risk?: { scorer?: RiskScorer; options?: RiskOptions };
  consent?: Omit<ConsentCheckOptions, 'now'>;
  duplicateMatch?: DuplicateMatch;
  /** Steps the configured providers add (identity, a provider that did not answer), read once the checks have run. */
  verificationSteps?: () => ReadonlyArray<StepResult>;
}

/** What the workflow asks validation about (the activity's request), with what the activity adds. */
export interface LeadValidationInput extends ValidationRequest {
  /** The address step's result (owned by the geo module), included in risk and summary. */
  addressStep?: StepResult;
  /** The lead's resolved state: picks the state DNC list and the area-code comparison. */
  state?: string;
  now: number;
}

export interface LeadValidation {
  steps: StepResult[];
  summary: ValidationSummary;
  phoneE164?: string;
  emailNormalized?: string;
  duplicateKeys: DuplicateKeys;
  consentChannels: ContactChannel[];
}

/** Runs the chain: independent checks side by side, then risk over their data, then the verdict. */
export function createLeadValidator(deps: LeadValidatorDeps) {
  return {
    async validate(input: LeadValidationInput): Promise<LeadValidation> {
      const state = input.state ?? input.lead.address?.state?.toUpperCase();
      const [phone, email] = await Promise.all([deps.phone.verify(input.lead.phone), deps.email.verify(input.lead.email)]);
      const consent = checkConsent(input.lead.consent, { ...deps.consent, now: input.now });
      const phoneE164 = phone.data.e164;
      const emailNormalized = email.data.normalized;
      const duplicateKeys: DuplicateKeys = {};
      if (phoneE164) duplicateKeys.phone = deps.hash(phoneE164);
      if (emailNormalized) duplicateKeys.email = deps.hash(emailNormalized);

      const checkDuplicates = !!deps.duplicates && input.duplicateWindowMs > 0 && !!(duplicateKeys.phone || duplicateKeys.email);
      if (checkDuplicates)
        await deps.duplicates!.register?.({
          tenantId: input.tenantId,
          sourceId: input.sourceId,
          leadId: input.leadId,
          receivedAt: input.receivedAt,
          keys: duplicateKeys,
        });
      const [hits, priors] = await Promise.all([
        deps.suppression.check({
          tenantId: input.tenantId,
          ...(phoneE164 ? { phoneE164 } : {}),
          ...(emailNormalized ? { email: emailNormalized } : {}),
          ...(state ? { state } : {}),
        }),
        checkDuplicates
          ? deps.duplicates!.findPriors({
              tenantId: input.tenantId,
              sourceId: input.sourceId,
              leadId: input.leadId,
              keys: duplicateKeys,
              since: input.receivedAt - input.duplicateWindowMs,
              until: input.receivedAt,
            })
          : Promise.resolve(undefined),
      ]);
      const checked = [...(phoneE164 ? ['phone' as const] : []), ...(emailNormalized ? ['email' as const] : [])];
      const steps: StepResult[] = [phone, email];
      if (input.addressStep) steps.push(input.addressStep);
      steps.push(consent);
      if (priors) {
        const others = input.replacementOf
          ? priors.filter((p) => p.leadId !== input.replacementOf && !p.leadId.startsWith(`${input.replacementOf}-r`))
          : priors;
        steps.push(
          decideDuplicate({
            leadId: input.leadId,
            receivedAt: input.receivedAt,
            keys: duplicateKeys,
            windowMs: input.duplicateWindowMs,
            priors: others,
            ...(deps.duplicateMatch ? { match: deps.duplicateMatch } : {}),
          }),
        );
      }
      steps.push(suppressionStep(hits, checked));
      const riskInputs = riskInputsFromSteps(steps, state);
      const riskData = deps.risk?.scorer ? await deps.risk.scorer.score(riskInputs) : scoreRisk(riskInputs, deps.risk?.options);
      steps.push(riskStep(riskData));
      if (deps.verificationSteps) steps.push(...deps.verificationSteps());

      const out: LeadValidation = { steps, summary: summariseValidation(steps), duplicateKeys, consentChannels: consent.data.channels };
      if (phoneE164) out.phoneE164 = phoneE164;
      if (emailNormalized) out.emailNormalized = emailNormalized;
      return out;
    },
  };
}

export type LeadValidator = ReturnType<typeof createLeadValidator>;
