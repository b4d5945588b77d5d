import { z } from 'zod';
import { IdSchema, NameSchema, ServiceLineSchema, TimeZoneSchema } from './common.ts';
import { VerificationSchema } from './verification.ts';

export const TenantSchema = z.strictObject({
  id: IdSchema,
  name: NameSchema,
  /** Used for endpoints whose schedule names no zone of its own. */
  timeZone: TimeZoneSchema.default('America/New_York'),
  serviceLines: z.array(ServiceLineSchema).default([]),
  /** Verification providers per check: the offline defaults unless an HTTP provider is named. */
  verification: VerificationSchema.default({ phone: { kind: 'offline' }, identity: { kind: 'offline' }, risk: { kind: 'offline' } }),
});
export type Tenant = z.output<typeof TenantSchema>;
