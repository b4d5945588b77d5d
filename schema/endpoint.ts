import { z } from 'zod';
import { CentsSchema, CountSchema, DateSchema, IdSchema, NameSchema, ServiceLineSchema, StateCodeSchema, TimeZoneSchema } from './common.ts';
import { DeliveryMethodSchema } from './delivery-method.ts';
import { PaceSchema } from './routing-plan.ts';
import { NestedTerritorySchema } from './territory.ts';

export const ENDPOINT_KINDS = ['location', 'team', 'agent', 'call_center', 'partner', 'buyer'] as const;
export type EndpointKind = (typeof ENDPOINT_KINDS)[number];

export { DeliveryMethodSchema, type DeliveryMethod } from './delivery-method.ts';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** "08:00-17:30" local time; a range ending at or before its start runs past midnight. */
export const HoursRangeSchema = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d-(([01]\d|2[0-3]):[0-5]\d|24:00)$/, { error: (iss) => `${JSON.stringify(iss.input)} is not an hours range ("08:00-17:30")` });

export const ScheduleSchema = z.strictObject({
  timeZone: TimeZoneSchema,
  /** Days left out are closed. */
  hours: z.partialRecord(z.enum(WEEKDAYS), z.array(HoursRangeSchema)).default({}),
  holidays: z.array(DateSchema).default([]),
  /** Leads may still be delivered while closed (they wait for the morning). */
  acceptAfterHours: z.boolean().default(false),
});
export type Schedule = z.output<typeof ScheduleSchema>;

export const CapsSchema = z.strictObject({
  hourly: CountSchema.optional(),
  daily: CountSchema.optional(),
  weekly: CountSchema.optional(),
  monthly: CountSchema.optional(),
  /** Leads delivered but not yet claimed, at once. */
  openUnclaimed: CountSchema.optional(),
});
export type Caps = z.output<typeof CapsSchema>;

export const OrderSchema = z
  .strictObject({
    id: IdSchema,
    committed: CountSchema,
    /** Sold before this configuration took over; live sales are counted beside it. */
    sold: CountSchema.default(0),
    priceCents: CentsSchema.optional(),
  })
  .refine((o) => o.sold <= o.committed, { error: 'sold must not exceed committed' });
export type Order = z.output<typeof OrderSchema>;

export const EndpointSchema = z.strictObject({
  id: IdSchema,
  name: NameSchema,
  kind: z.enum(ENDPOINT_KINDS),
  deliveryMethods: z.array(DeliveryMethodSchema).default([]),
  /** Empty means every service line. */
  serviceLines: z.array(ServiceLineSchema).default([]),
  /** Empty means no licensing restriction. */
  licensedStates: z.array(StateCodeSchema).default([]),
  schedule: ScheduleSchema.optional(),
  caps: CapsSchema.default({}),
  weight: z.number().min(0).default(1),
  /** 1 is served first. */
  priority: z.number().int().min(0).default(100),
  bidCents: CentsSchema.default(0),
  orders: z.array(OrderSchema).default([]),
  /** A hand-set performance score, 0–100: overrides the score measured from the endpoint's own results. */
  performanceScore: z.number().min(0).max(100).optional(),
  paused: z.boolean().default(false),
  /** Deliveries metered to at most perHour an hour, spread evenly; leads beyond wait their turn, in order. */
  pace: PaceSchema.optional(),
  /** The team an agent works in; its leads count against the team's caps. */
  teamId: IdSchema.optional(),
  /** The location an agent or team works for; its leads count against the location's caps. */
  locationId: IdSchema.optional(),
  /** What this endpoint belongs to beyond team and location (a location's partner network): caps count everything below them. */
  parentId: IdSchema.optional(),
  tags: z.array(z.string().min(1).max(64)).default([]),
  /** Grants written with their holder; the import moves them to the top level. */
  territories: z.array(NestedTerritorySchema).default([]),
});
export type Endpoint = z.output<typeof EndpointSchema>;
