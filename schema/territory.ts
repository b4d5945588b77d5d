import { z } from 'zod';
import { CountyFipsSchema, IdSchema, ServiceLineSchema, StateCodeSchema, ZipSchema } from './common.ts';

export const TERRITORY_KINDS = ['exclusive', 'shared', 'secondary', 'fallback'] as const;
export type TerritoryKind = (typeof TERRITORY_KINDS)[number];

/** "75201-75299" or {from, to}: inclusive, both ends 5-digit ZIPs. */
export const ZipRangeSchema = z
  .union([
    z.strictObject({ from: ZipSchema, to: ZipSchema }),
    z.string().transform((s, ctx) => {
      const m = /^\s*(\d{5})\s*-\s*(\d{5})\s*$/.exec(s);
      if (!m) {
        ctx.addIssue({ code: 'custom', message: `${JSON.stringify(s)} is not a ZIP range ("75201-75299")` });
        return z.NEVER;
      }
      return { from: m[1]!, to: m[2]! };
    }),
  ])
  .refine((r) => r.from <= r.to, { error: (iss) => `ZIP range ${JSON.stringify(iss.input)} runs backwards` })
  .refine((r) => Number(r.to) - Number(r.from) < 10_000, {
    error: (iss) => `ZIP range ${JSON.stringify(iss.input)} spans more than 10,000 ZIPs: use counties or states`,
  });
export type ZipRange = z.output<typeof ZipRangeSchema>;

export const RadiusSchema = z.strictObject({
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
  miles: z.number().positive('must be more than 0').max(500, 'must be at most 500 miles'),
});
export type Radius = z.output<typeof RadiusSchema>;

const geography = {
  zips: z.array(ZipSchema).default([]),
  zipRanges: z.array(ZipRangeSchema).default([]),
  counties: z.array(CountyFipsSchema).default([]),
  states: z.array(StateCodeSchema).default([]),
  radius: RadiusSchema.optional(),
  /** Empty means every service line. */
  serviceLines: z.array(ServiceLineSchema).default([]),
  note: z.string().max(500).optional(),
};

const hasArea = (g: { zips: string[]; zipRanges: unknown[]; counties: string[]; states: string[]; radius?: unknown }) =>
  g.zips.length + g.zipRanges.length + g.counties.length + g.states.length > 0 || g.radius !== undefined;
const areaMessage = 'names no area: give zips, zipRanges, counties, states or radius';

/** A grant written inside its endpoint: the endpoint is implied. */
export const NestedTerritorySchema = z
  .discriminatedUnion('kind', [
    z.strictObject({ id: IdSchema.optional(), kind: z.enum(['exclusive', 'shared', 'fallback']), ...geography }),
    z.strictObject({
      id: IdSchema.optional(),
      kind: z.literal('secondary'),
      /** Multiplies the holder's bid and price: overflow rights are sold cheaper. */
      priceFactor: z.number().gt(0, 'must be more than 0').max(1, 'must be at most 1').default(1),
      ...geography,
    }),
    z.strictObject({ id: IdSchema.optional(), kind: z.literal('carve_out'), ...geography }),
  ])
  .refine(hasArea, { error: areaMessage });
export type NestedTerritory = z.output<typeof NestedTerritorySchema>;

/** A grant or carve-out at the top level of a configuration document. */
export const TerritorySchema = z
  .discriminatedUnion('kind', [
    z.strictObject({ id: IdSchema, endpointId: IdSchema, kind: z.enum(['exclusive', 'shared', 'fallback']), ...geography }),
    z.strictObject({ id: IdSchema, endpointId: IdSchema, kind: z.literal('secondary'), priceFactor: z.number().gt(0).max(1).default(1), ...geography }),
    // Without an endpoint a carve-out removes the area from every endpoint's wider grants.
    z.strictObject({ id: IdSchema, endpointId: IdSchema.optional(), kind: z.literal('carve_out'), ...geography }),
  ])
  .refine(hasArea, { error: areaMessage });
export type Territory = z.output<typeof TerritorySchema>;
export type TerritoryGrant = Exclude<Territory, { kind: 'carve_out' }>;
export type CarveOut = Extract<Territory, { kind: 'carve_out' }>;
