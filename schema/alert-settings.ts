import { z } from 'zod';
import { TimeZoneSchema } from './common.ts';

/** What a person can be alerted about. `claimed` is "claimed by someone else"; `held` is a lead waiting past the managers' threshold. */
export const ALERT_KINDS = ['offered', 'lapsed', 'escalated', 'reassigned', 'shared', 'claimed', 'returned', 'held'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

export const ALERT_CHANNELS = ['in_app', 'email', 'sms'] as const;
export type AlertChannel = (typeof ALERT_CHANNELS)[number];

const ClockSchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time of day as HH:MM (24-hour)');

/**
 * A user's own alert settings: where they can be reached and what they want
 * to hear by which channel. Every part is optional: unset kinds take the
 * defaults (`domain/alerts/alert-defaults.ts`), an unset time zone the
 * tenant's.
 */
export const AlertSettingsSchema = z.strictObject({
  /** Mobile number for SMS, E.164 (+15125550100). */
  mobile: z
    .string()
    .trim()
    .regex(/^\+[1-9]\d{7,14}$/, 'must be a mobile number in E.164 form, like +15125550100')
    .optional(),
  timeZone: TimeZoneSchema.optional(),
  /** No SMS between these local times (the start may be later than the end: 21:00 to 08:00 spans the night). In-app and email still arrive. */
  quietHours: z.strictObject({ start: ClockSchema, end: ClockSchema }).nullable().optional(),
  /** Per kind, the channels wanted; an empty list turns the kind off. */
  channels: z.partialRecord(z.enum(ALERT_KINDS), z.array(z.enum(ALERT_CHANNELS)).max(3)).optional(),
});
export type AlertSettings = z.output<typeof AlertSettingsSchema>;
