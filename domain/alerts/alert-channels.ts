import { ALERT_KINDS, type AlertChannel, type AlertKind, type AlertSettings } from '../../schema/alert-settings.ts';
import { offsetMinutes } from '../allocation/zone-clock.ts';
import { DEFAULT_CHANNELS, DEFAULT_QUIET_HOURS } from './alert-defaults.ts';

export type SkipReason = 'quiet_hours' | 'no_mobile' | 'no_email';

export interface ChannelPlan {
  send: AlertChannel[];
  skipped: Array<{ channel: AlertChannel; reason: SkipReason }>;
}

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Whether `at` falls in the quiet hours, read in `zone`; a window whose start is after its end spans midnight. */
export function inQuietHours(quiet: { start: string; end: string }, zone: string, at: number): boolean {
  const local = (((Math.floor(at / 60_000) + offsetMinutes(zone, at)) % 1440) + 1440) % 1440;
  const start = minutesOf(quiet.start);
  const end = minutesOf(quiet.end);
  if (start === end) return false;
  return start < end ? local >= start && local < end : local >= start || local < end;
}

/** The channels a person wants for a kind: their choice, else the default. */
export const wantedChannels = (alerts: AlertSettings | undefined, kind: AlertKind): readonly AlertChannel[] =>
  alerts?.channels?.[kind] ?? DEFAULT_CHANNELS[kind];

/** A person's quiet hours: theirs, none when they turned them off (null), else the default. */
export const quietHoursOf = (alerts: AlertSettings | undefined) => (alerts?.quietHours === undefined ? DEFAULT_QUIET_HOURS : alerts.quietHours);

/** Settings as they apply, every default filled in: what a person sees on their settings screen. */
export function effectiveAlertSettings(alerts: AlertSettings | undefined) {
  return {
    mobile: alerts?.mobile ?? null,
    timeZone: alerts?.timeZone ?? null,
    quietHours: quietHoursOf(alerts),
    channels: ALERT_KINDS.map((kind) => ({ kind, channels: [...wantedChannels(alerts, kind)], isDefault: alerts?.channels?.[kind] === undefined })),
  };
}

/**
 * The channels one person is alerted on for one kind at one moment: their
 * choice (or the default), less what they cannot be reached by, and no SMS
 * inside their quiet hours (the alert still goes in-app and by email).
 */
export function planChannels(person: { email?: string; alerts?: AlertSettings }, kind: AlertKind, at: number, tenantTimeZone: string): ChannelPlan {
  const wanted = wantedChannels(person.alerts, kind);
  const plan: ChannelPlan = { send: [], skipped: [] };
  for (const channel of new Set(wanted)) {
    if (channel === 'email' && !person.email) plan.skipped.push({ channel, reason: 'no_email' });
    else if (channel === 'sms' && !person.alerts?.mobile) plan.skipped.push({ channel, reason: 'no_mobile' });
    else if (channel === 'sms') {
      const quiet = quietHoursOf(person.alerts);
      if (quiet && inQuietHours(quiet, person.alerts?.timeZone ?? tenantTimeZone, at)) plan.skipped.push({ channel, reason: 'quiet_hours' });
      else plan.send.push(channel);
    } else plan.send.push(channel);
  }
  return plan;
}
