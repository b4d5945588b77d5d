import type { Connection } from 'mongoose';
import { createSmtpMailer } from '../activities/delivery/smtp-mailer.ts';
import { createJsonSmsProvider } from '../activities/delivery/sms-provider.ts';
import { createTwilioSmsProvider } from '../activities/delivery/twilio-sms.ts';
import type { ActivityDeps } from '../activities/index.ts';
import { loadZipDataset } from '../domain/geo/load-zip-dataset.ts';
import type { Env } from './env.ts';
import { createPiiCodec, DEV_PII_KEY } from './pii.ts';
import { envSecrets } from './secrets.ts';

/** The worker's activity dependencies, from its environment: one place for the process and the tests. */
export async function activityDepsFromEnv(env: Env, mongo: Connection): Promise<ActivityDeps> {
  const deps: ActivityDeps = {
    mongo,
    pii: createPiiCodec(env.PII_KEY ?? DEV_PII_KEY),
    zips: await loadZipDataset(),
    secrets: envSecrets(),
    freshnessMs: env.FRESHNESS_MS,
  };
  if (env.SMTP_URL) {
    const u = new URL(env.SMTP_URL);
    deps.mailer = createSmtpMailer({
      host: u.hostname,
      port: Number(u.port || (u.protocol === 'smtps:' ? 465 : 587)),
      secure: u.protocol === 'smtps:',
      ...(u.username ? { auth: { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } } : {}),
      from: env.SMTP_FROM,
      messageIdDomain: env.SMTP_FROM.split('@')[1] ?? 'switchyard.local',
    });
  }
  if (env.TWILIO_ACCOUNT_SID) {
    deps.sms = createTwilioSmsProvider({
      accountSid: env.TWILIO_ACCOUNT_SID,
      authToken: env.SMS_AUTH_TOKEN!,
      apiUrl: env.TWILIO_API_URL,
      ...(env.TWILIO_MESSAGING_SERVICE_SID ? { messagingServiceSid: env.TWILIO_MESSAGING_SERVICE_SID } : { from: env.SMS_FROM }),
    });
  } else if (env.SMS_URL) deps.sms = createJsonSmsProvider({ url: env.SMS_URL, from: env.SMS_FROM, ...(env.SMS_TOKEN ? { token: env.SMS_TOKEN } : {}) });
  return deps;
}
