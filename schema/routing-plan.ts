import { z } from 'zod';
import { DurationSecSchema, IdSchema, NameSchema, ServiceLineSchema } from './common.ts';
import { TERRITORY_KINDS } from './territory.ts';

export const ALGORITHMS = ['round_robin', 'weighted', 'percentage', 'priority', 'performance', 'highest_bid', 'order_priority', 'broadcast'] as const;
export type Algorithm = (typeof ALGORITHMS)[number];

export const TierSelectorSchema = z
  .strictObject({
    /** Holders of the lead's area with these grant kinds. */
    territoryKinds: z.array(z.enum(TERRITORY_KINDS)).optional(),
    teamIds: z.array(IdSchema).optional(),
    tags: z.array(z.string().min(1)).optional(),
    endpointIds: z.array(IdSchema).optional(),
    rotationId: IdSchema.optional(),
  })
  .refine((s) => Object.values(s).some((v) => v !== undefined), { error: 'selects nothing: give territoryKinds, teamIds, tags, endpointIds or rotationId' });
export type TierSelector = z.output<typeof TierSelectorSchema>;

/** What happens when every endpoint that could take the lead is closed now. */
export const WHEN_CLOSED = ['hold', 'after_hours', 'reject'] as const;
export type WhenClosed = (typeof WHEN_CLOSED)[number];

/** At most `perHour` leads an hour, spread evenly: a spike is metered to local capacity instead of flooding it. */
export const PaceSchema = z.strictObject({ perHour: z.number().int().min(1, 'must be at least 1').max(3600, 'must be at most 3600') });
export type Pace = z.output<typeof PaceSchema>;

export const LINE_TYPES = ['mobile', 'landline', 'voip', 'toll_free', 'premium_rate', 'other', 'unknown'] as const;

/**
 * A test on what validation found about the lead; every criterion given must
 * hold. `flags` are the chain's step flags as `step:code` (e.g.
 * `email:role_address`, `risk:elevated_risk`); identity confidence comes from
 * an identity provider (absent offline, and then `identityBelow` never holds).
 */
export const ValidationConditionSchema = z
  .strictObject({
    flags: z.array(z.string().min(1)).min(1).optional(),
    lineTypes: z.array(z.enum(LINE_TYPES)).min(1).optional(),
    riskAtLeast: z.number().min(0).max(100).optional(),
    identityBelow: z.number().min(0).max(100).optional(),
  })
  .refine((c) => Object.values(c).some((v) => v !== undefined), { error: 'tests nothing: give flags, lineTypes, riskAtLeast or identityBelow' });
export type ValidationCondition = z.output<typeof ValidationConditionSchema>;

export const TierSchema = z
  .strictObject({
    name: NameSchema,
    /** Who the tier offers the lead to; a review tier has none. */
    selector: TierSelectorSchema.optional(),
    /** The tier is walked only for leads whose validation matches. */
    onlyIf: ValidationConditionSchema.optional(),
    /** The tier is passed over for leads whose validation matches. */
    skipIf: ValidationConditionSchema.optional(),
    /** A review tier: a lead that reaches it waits in the review queue for ops to approve (it routes on, past review tiers) or reject it. */
    review: z.boolean().default(false),
    algorithm: z.enum(ALGORITHMS).default('round_robin'),
    broadcastCount: z.number().int().min(1).optional(),
    /** endpoint id → share in percent */
    percentages: z.record(IdSchema, z.number().min(0).max(100)).optional(),
    claimDeadlineSec: DurationSecSchema.optional(),
    /**
     * When every candidate of this tier that could take the lead is closed:
     * `next` walks on to the next tier (the default), `hold` waits for this
     * tier to open, `after_hours` goes to the plan's after-hours tiers,
     * `reject` rejects the lead as closed.
     */
    whenClosed: z.enum(['next', ...WHEN_CLOSED]).default('next'),
    /** An on-call tier: walked only when the plan (or a tier) sends a closed lead to after-hours coverage. */
    afterHours: z.boolean().default(false),
    pace: PaceSchema.optional(),
  })
  .superRefine((t, ctx) => {
    if (t.algorithm === 'percentage') {
      const total = Object.values(t.percentages ?? {}).reduce((a, b) => a + b, 0);
      if (!t.percentages || Math.abs(total - 100) > 0.01)
        ctx.addIssue({ code: 'custom', path: ['percentages'], message: `must add up to 100 (they add up to ${total})` });
    }
    if (t.algorithm === 'broadcast' && t.broadcastCount === undefined)
      ctx.addIssue({ code: 'custom', path: ['broadcastCount'], message: 'is required for broadcast' });
    if (!t.review && !t.selector) ctx.addIssue({ code: 'custom', path: ['selector'], message: 'is required (only a review tier has none)' });
    if (t.review && t.selector)
      ctx.addIssue({ code: 'custom', path: ['selector'], message: 'a review tier sends leads to the review queue, not to endpoints: leave selector out' });
  });
export type Tier = z.output<typeof TierSchema>;

export const RoutingPlanSchema = z
  .strictObject({
    id: IdSchema,
    name: NameSchema.optional(),
    sourceId: IdSchema.optional(),
    serviceLine: ServiceLineSchema.optional(),
    isDefault: z.boolean().default(false),
    tiers: z.array(TierSchema).min(1, 'needs at least one tier'),
    /** When no tier finds an open endpoint but some would take the lead once open: hold it (the default), try the after-hours tiers, or reject it. */
    whenClosed: z.enum(WHEN_CLOSED).default('hold'),
  })
  .superRefine((p, ctx) => {
    const usesAfterHours = p.whenClosed === 'after_hours' || p.tiers.some((t) => t.whenClosed === 'after_hours');
    if (usesAfterHours && !p.tiers.some((t) => t.afterHours))
      ctx.addIssue({ code: 'custom', path: ['whenClosed'], message: 'sends closed leads to after-hours coverage, but no tier has afterHours: true' });
    if (p.tiers.every((t) => t.afterHours)) ctx.addIssue({ code: 'custom', path: ['tiers'], message: 'needs at least one tier that is not afterHours' });
  });
export type RoutingPlan = z.output<typeof RoutingPlanSchema>;
