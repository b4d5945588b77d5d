import { z } from 'zod';
import { IdSchema, NameSchema, ServiceLineSchema, TimeZoneSchema } from './common.ts';

export const TenantSchema = z.strictObject({
  id: IdSchema,
  name: NameSchema,
  /** Used for endpoints whose schedule names no zone of its own. */
  timeZone: TimeZoneSchema.default('America/New_York'),
  serviceLines: z.array(ServiceLineSchema).default([]),
});
export type Tenant = z.output<typeof TenantSchema>;
