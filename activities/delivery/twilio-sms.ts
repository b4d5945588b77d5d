import type { SmsMessage } from '../../domain/delivery/messages.ts';
import { IDEMPOTENCY_HEADER, USER_AGENT } from '../../domain/delivery/http-request.ts';
import { sendHttp } from './http-sender.ts';
import type { SmsProvider } from './sms-provider.ts';

export interface TwilioSmsConfig {
  accountSid: string;
  authToken: string;
  /** The sending number (E.164), unless a messaging service picks it. */
  from?: string;
  /** A Messaging Service (MG…): Twilio picks the sender from its pool. */
  messagingServiceSid?: string;
  /** https://api.twilio.com, or a local receiver speaking the same API in tests. */
  apiUrl?: string;
  /** Twilio posts delivery receipts here (queued, sent, delivered, undelivered). */
  statusCallback?: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/**
 * What a refusal may say of Twilio's error answer: its code and a link to
 * Twilio's page for it, never the message, which quotes the number texted
 * (21211 "The 'To' number +1512… is not a valid phone number").
 */
export function twilioFailureDetail(body: string): string {
  try {
    const e = JSON.parse(body) as { code?: unknown; status?: unknown };
    if (typeof e.code === 'number') return `Twilio error ${e.code} (https://www.twilio.com/docs/errors/${e.code})`;
  } catch {
    // Not Twilio's JSON (a proxy's page): say nothing of it.
  }
  return 'no Twilio error code in the answer';
}

/**
 * Twilio's Messages API: a form POST to
 * /2010-04-01/Accounts/{AccountSid}/Messages.json with Basic auth (the account
 * SID and auth token), answered 201 with the message's `sid`, which becomes
 * the attempt's receiver reference. Twilio's status codes classify as every
 * receiver's do: 429 and 5xx are retried, other 4xx (a number that cannot
 * take SMS, a recipient who texted STOP) are final. Twilio takes no
 * idempotency key on this API; the key still travels as a header (a gateway
 * in front may honour it) and the alert's own marker keeps a retry from
 * texting twice once Twilio has accepted the message.
 */
export function createTwilioSmsProvider(config: TwilioSmsConfig): SmsProvider {
  if (!config.from && !config.messagingServiceSid) throw new Error('Twilio SMS needs a sending number (from) or a messaging service SID');
  const base = (config.apiUrl ?? 'https://api.twilio.com').replace(/\/+$/, '');
  const url = `${base}/2010-04-01/Accounts/${encodeURIComponent(config.accountSid)}/Messages.json`;
  const authorization = `Basic ${Buffer.from(`${config.accountSid}:${config.authToken}`).toString('base64')}`;
  return {
    name: 'twilio',
    async send(msg: SmsMessage) {
      const form = new URLSearchParams({ To: msg.to, Body: msg.body });
      if (config.messagingServiceSid) form.set('MessagingServiceSid', config.messagingServiceSid);
      else form.set('From', config.from!);
      if (config.statusCallback) form.set('StatusCallback', config.statusCallback);
      return sendHttp(
        {
          method: 'POST',
          url,
          headers: {
            'Content-Type': 'application/x-www-form-urlencoded',
            Accept: 'application/json',
            Authorization: authorization,
            'User-Agent': USER_AGENT,
            [IDEMPOTENCY_HEADER]: msg.idempotencyKey,
          },
          body: form.toString(),
        },
        {
          timeoutMs: config.timeoutMs ?? 10_000,
          receiverRef: { jsonField: 'sid' },
          failureDetail: twilioFailureDetail,
          ...(config.fetch ? { fetch: config.fetch } : {}),
        },
      );
    },
  };
}
