import type { LeadAddress, LeadInput } from '../../domain/intake/lead-input.ts';
import type { PhoneVerifier } from '../../domain/validation/providers.ts';
import type { ProviderRequest, VerificationCheck } from '../../domain/validation/provider-contract.ts';
import type { RiskOptions, RiskScorer } from '../../domain/validation/risk.ts';
import type { StepResult } from '../../domain/validation/step.ts';
import { identityStep, providerRisk, providerUnavailableStep, verifiedPhoneStep, type IdentityData } from '../../domain/validation/verification-steps.ts';
import { scoreRisk } from '../../domain/validation/risk.ts';
import type { SecretLookup } from '../../infra/secrets.ts';
import type { HttpProvider, Verification } from '../../schema/verification.ts';
import { httpProvider, type HttpProviderClient } from './http-provider.ts';

export interface VerificationDeps {
  secrets: SecretLookup;
  fetch?: typeof fetch;
  now?: () => number;
}

export interface IdentityOutcome {
  step: StepResult<'identity', IdentityData> | StepResult<'verification'>;
  /** The provider's address when its ZIP differs from the lead's: the caller re-resolves the market with it. */
  correctedAddress?: LeadAddress;
  confidence?: number;
}

const zip5 = (zip: string | undefined) => /^(\d{5})/.exec(zip?.trim() ?? '')?.[1];

/**
 * The tenant's configured verification providers for one worker. One client
 * per distinct provider configuration lives as long as the worker, because
 * each client's circuit breaker is the memory of its recent failures.
 */
export function createVerification(deps: VerificationDeps) {
  const clients = new Map<string, HttpProviderClient>();

  function clientFor(p: HttpProvider): { client: HttpProviderClient } | { missing: string } {
    const secret = p.secretRef ? deps.secrets(p.secretRef) : undefined;
    if (p.secretRef && !secret) return { missing: `its secret "${p.secretRef}" is not set on this worker` };
    const key = JSON.stringify(p);
    let c = clients.get(key);
    if (!c) {
      c = httpProvider(p, { secret, ...(deps.fetch ? { fetch: deps.fetch } : {}), ...(deps.now ? { now: deps.now } : {}) });
      clients.set(key, c);
    }
    return { client: c };
  }

  /** Everything one lead's validation needs from its tenant's providers. */
  function forLead(cfg: Verification, req: { tenantId: string; leadId: string; lead: LeadInput; phoneE164?: string }) {
    // The identity step and the steps a provider's silence adds; the validator appends them before its verdict.
    const steps: StepResult[] = [];
    const base: Omit<ProviderRequest, 'check'> = {
      tenantId: req.tenantId,
      leadId: req.leadId,
      ...(req.phoneE164 ? { phone: req.phoneE164 } : {}),
      ...(req.lead.email ? { email: req.lead.email } : {}),
      ...(req.lead.firstName ? { firstName: req.lead.firstName } : {}),
      ...(req.lead.lastName ? { lastName: req.lead.lastName } : {}),
      ...(req.lead.address ? { address: req.lead.address } : {}),
      ...(req.lead.consent?.ip ? { ip: req.lead.consent.ip } : {}),
    };

    async function call<C extends VerificationCheck>(check: C, p: HttpProvider) {
      const c = clientFor(p);
      if ('missing' in c) return { ok: false as const, reason: `${p.name}: ${c.missing}` };
      return c.client.call(check, base);
    }

    return {
      /** Identity first: a corrected ZIP must be known before the market is resolved. */
      async identity(): Promise<IdentityOutcome | undefined> {
        const p = cfg.identity;
        if (p.kind !== 'http') return undefined;
        const r = await call('identity', p);
        if (!r.ok) {
          const step = providerUnavailableStep('identity', r.reason);
          steps.push(step);
          return { step };
        }
        const verified = r.answer.verifiedAddress;
        const moved = !!zip5(verified?.zip) && zip5(verified?.zip) !== zip5(req.lead.address?.zip);
        const step = identityStep(r.answer, p.name, moved);
        steps.push(step);
        const out: IdentityOutcome = { step };
        if (step.data.confidence !== undefined) out.confidence = step.data.confidence;
        if (moved && verified) out.correctedAddress = { ...req.lead.address, ...verified };
        return out;
      },

      /** The provider's line data over the offline check, which still parses and normalises the number. */
      phone(offline: PhoneVerifier): PhoneVerifier {
        const p = cfg.phone;
        if (p.kind !== 'http') return offline;
        return {
          name: p.name,
          async verify(raw) {
            const step = await offline.verify(raw);
            if (step.outcome === 'fail' || !step.data.e164) return step;
            const r = await call('phone', p);
            if (r.ok) return verifiedPhoneStep(step, r.answer, p.name);
            steps.push(providerUnavailableStep('phone', r.reason));
            return step;
          },
        };
      },

      /** The provider's score in place of the offline one; the offline score when it does not answer. */
      risk(opts: RiskOptions | undefined): RiskScorer | undefined {
        const p = cfg.risk;
        if (p.kind !== 'http') return undefined;
        return {
          async score(inputs) {
            const r = await call('risk', p);
            if (r.ok) return providerRisk(r.answer, p.name, opts);
            steps.push(providerUnavailableStep('risk', r.reason));
            return scoreRisk(inputs, opts);
          },
        };
      },

      /** What the providers added to the chain, in the order they answered. */
      steps: (): ReadonlyArray<StepResult> => steps,
    };
  }

  return { forLead };
}

export type VerificationClients = ReturnType<typeof createVerification>;
