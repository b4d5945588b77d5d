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

export const TierSchema = z
  .strictObject({
    name: NameSchema,
    selector: TierSelectorSchema,
    algorithm: z.enum(ALGORITHMS).default('round_robin'),
    broadcastCount: z.number().int().min(1).optional(),
    /** endpoint id → share in percent */
    percentages: z.record(IdSchema, z.number().min(0).max(100)).optional(),
    claimDeadlineSec: DurationSecSchema.optional(),
  })
  .superRefine((t, ctx) => {
    if (t.algorithm === 'percentage') {
      const total = Object.values(t.percentages ?? {}).reduce((a, b) => a + b, 0);
      if (!t.percentages || Math.abs(total - 100) > 0.01) ctx.addIssue({ code: 'custom', path: ['percentages'], message: `must add up to 100 (they add up to ${total})` });
    }
    if (t.algorithm === 'broadcast' && t.broadcastCount === undefined) ctx.addIssue({ code: 'custom', path: ['broadcastCount'], message: 'is required for broadcast' });
  });
export type Tier = z.output<typeof TierSchema>;

export const RoutingPlanSchema = z.strictObject({
  id: IdSchema,
  name: NameSchema.optional(),
  sourceId: IdSchema.optional(),
  serviceLine: ServiceLineSchema.optional(),
  isDefault: z.boolean().default(false),
  tiers: z.array(TierSchema).min(1, 'needs at least one tier'),
});
export type RoutingPlan = z.output<typeof RoutingPlanSchema>;
