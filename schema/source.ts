import { z } from 'zod';
import { CANONICAL_FIELDS } from '../domain/intake/lead-payload.ts';
import { CentsSchema, DurationSecSchema, IdSchema, NameSchema, ServiceLineSchema } from './common.ts';

export const CostBasisSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('per_lead'), amountCents: CentsSchema }),
  z.strictObject({ kind: z.literal('per_accepted_lead'), amountCents: CentsSchema }),
  z.strictObject({ kind: z.literal('flat'), amountCents: CentsSchema, period: z.enum(['week', 'month', 'quarter', 'year']).default('month') }),
]);
export type CostBasis = z.output<typeof CostBasisSchema>;

const CanonicalFieldSchema = z.enum(CANONICAL_FIELDS, {
  error: (iss) => `${JSON.stringify(iss.input)} is not a lead field (one of ${CANONICAL_FIELDS.join(', ')})`,
});

export const SourceValidationSchema = z.strictObject({
  requirePhone: z.boolean().default(true),
  requireEmail: z.boolean().default(false),
  rejectDisposableEmail: z.boolean().default(true),
  allowedLineTypes: z.array(z.enum(['mobile', 'landline', 'voip'])).default(['mobile', 'landline', 'voip']),
  checkDnc: z.boolean().default(true),
  requireConsent: z.boolean().default(true),
  /** Leads scoring above this (0..100) are rejected as risky. */
  maxRiskScore: z.number().min(0).max(100).default(80),
});

export const SourceSchema = z.strictObject({
  id: IdSchema,
  name: NameSchema,
  status: z.enum(['active', 'paused', 'retired']).default('active'),
  costBasis: CostBasisSchema,
  /** incoming field name → canonical lead field */
  fieldMapping: z.record(z.string().min(1), CanonicalFieldSchema).default({}),
  requiredFields: z.array(CanonicalFieldSchema).default(['phone', 'zip']),
  defaultServiceLine: ServiceLineSchema.optional(),
  validation: SourceValidationSchema.default(SourceValidationSchema.parse({})),
  duplicateWindowSec: DurationSecSchema.default(30 * 86_400),
  returnWindowSec: DurationSecSchema.default(7 * 86_400),
  allowedReturnReasons: z
    .array(z.string().regex(/^[a-z0-9_]{1,64}$/, 'must be a reason id (lower-case letters, digits, _)'))
    .default(['duplicate', 'wrong_number', 'out_of_area', 'non_responsive']),
  /** Largest share of delivered leads that may be returned, 0..1. */
  maxReturnRate: z.number().min(0, 'must be between 0 and 1').max(1, 'must be between 0 and 1').default(0.15),
  /**
   * Speed-to-lead acknowledgement sent to the consumer the moment the lead is
   * accepted, on each channel its consent record covers. Templates use the
   * lead's variables ({{firstName}}, {{serviceLine}}, ...).
   */
  autoResponse: z
    .strictObject({
      sms: z.string().min(1).max(640).optional(),
      email: z.strictObject({ subject: z.string().min(1).max(200), body: z.string().min(1).max(10_000) }).optional(),
    })
    .default({}),
  /** Rotation switched off: leads park in the manager queue for hand assignment. */
  manualDistribution: z.boolean().default(false),
  /** The key itself is issued and hashed elsewhere; configuration files never carry it in clear. */
  apiKeyHash: z.string().optional(),
});
export type Source = z.output<typeof SourceSchema>;
