import type { AlertChannel, AlertKind } from '../../schema/alert-settings.ts';

/**
 * What a person hears by which channel when they have said nothing: an offer
 * is on a clock, so it goes everywhere; what a manager must act on goes by
 * email too; the rest stays in the app.
 */
export const DEFAULT_CHANNELS: Readonly<Record<AlertKind, readonly AlertChannel[]>> = {
  offered: ['in_app', 'email', 'sms'],
  lapsed: ['in_app', 'email'],
  escalated: ['in_app', 'email'],
  reassigned: ['in_app', 'email'],
  shared: ['in_app', 'email'],
  claimed: ['in_app'],
  returned: ['in_app', 'email'],
  held: ['in_app', 'email'],
};

/** No SMS at night unless the person says otherwise. */
export const DEFAULT_QUIET_HOURS = { start: '21:00', end: '08:00' } as const;

/** Managers hear of a held lead when it will wait longer than this. */
export const HELD_ALERT_AFTER_MS = 60 * 60_000;

/** Attempts of one alert activity; the last one records what still failed instead of retrying. */
export const ALERT_MAX_ATTEMPTS = 5;
