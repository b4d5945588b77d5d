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

export const TierSchema = z
  .strictObject({
    name: NameSchema,
    selector: TierSelectorSchema,
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
