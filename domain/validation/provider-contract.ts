// The one contract every HTTP verification provider speaks (README: Verification
// providers). The worker POSTs JSON with `Authorization: Bearer <secret>` and
// `Idempotency-Key: <leadId>:<check>`; a 2xx answer is checked against the
// schema of its check, anything else counts as the provider failing.
import { z } from 'zod';

export const VERIFICATION_CHECKS = ['phone', 'identity', 'risk'] as const;
export type VerificationCheck = (typeof VERIFICATION_CHECKS)[number];

export interface ProviderRequest {
  check: VerificationCheck;
  tenantId: string;
  leadId: string;
  /** E.164. */
  phone?: string;
  email?: string;
  firstName?: string;
  lastName?: string;
  address?: { street?: string; city?: string; state?: string; zip?: string };
  /** The consent record's IP, for risk. */
  ip?: string;
}

const Confidence = z.number().min(0).max(100);

export const PhoneAnswerSchema = z.object({
  lineType: z.enum(['mobile', 'landline', 'voip', 'toll_free', 'premium_rate', 'other', 'unknown']),
  carrier: z.string().max(200).optional(),
  /** False: the number is not in service. */
  active: z.boolean().optional(),
});
export const IdentityAnswerSchema = z.object({
  namePhoneConfidence: Confidence.optional(),
  nameAddressConfidence: Confidence.optional(),
  /** The address as the provider knows it; a ZIP that differs from the lead's corrects it. */
  verifiedAddress: z
    .object({ street: z.string().optional(), city: z.string().optional(), state: z.string().optional(), zip: z.string().optional() })
    .optional(),
});
export const RiskAnswerSchema = z.object({
  score: Confidence,
  /** Short codes or phrases the provider gives for its score (no personal data). */
  reasons: z.array(z.string().max(200)).max(20).optional(),
});

export type PhoneAnswer = z.output<typeof PhoneAnswerSchema>;
export type IdentityAnswer = z.output<typeof IdentityAnswerSchema>;
export type RiskAnswer = z.output<typeof RiskAnswerSchema>;

export const ANSWER_SCHEMAS = { phone: PhoneAnswerSchema, identity: IdentityAnswerSchema, risk: RiskAnswerSchema } as const;

/** The confidence routing reads: the weaker of the two matches the provider gave. */
export function identityConfidence(a: IdentityAnswer): number | undefined {
  const xs = [a.namePhoneConfidence, a.nameAddressConfidence].filter((x): x is number => x !== undefined);
  return xs.length > 0 ? Math.min(...xs) : undefined;
}
