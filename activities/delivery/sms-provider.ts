import type { SmsMessage } from '../../domain/delivery/messages.ts';
import type { DeliveryOutcome } from '../../domain/delivery/outcome.ts';
import { IDEMPOTENCY_HEADER, USER_AGENT } from '../../domain/delivery/http-request.ts';
import { sendHttp } from './http-sender.ts';

/** A text-message gateway. Twilio-like providers implement this over their own API. */
export interface SmsProvider {
  readonly name: string;
  send(msg: SmsMessage): Promise<DeliveryOutcome>;
}

export interface JsonSmsProviderConfig {
  url: string;
  /** Sent as `Authorization: Bearer <token>`. */
  token?: string;
  /** Sender number or id. */
  from: string;
  timeoutMs?: number;
  /** Field of the provider's JSON response that holds its message id. */
  messageIdField?: string;
  fetch?: typeof fetch;
}

/**
 * A generic gateway that takes `{ from, to, body }` as JSON. The idempotency
 * key travels as a header so a provider that honours it never texts twice.
 */
export function createJsonSmsProvider(config: JsonSmsProviderConfig): SmsProvider {
  return {
    name: 'json-http',
    async send(msg) {
      const headers: Record<string, string> = {
        'Content-Type': 'application/json',
        'User-Agent': USER_AGENT,
        [IDEMPOTENCY_HEADER]: msg.idempotencyKey,
      };
      if (config.token) headers.Authorization = `Bearer ${config.token}`;
      return sendHttp(
        { method: 'POST', url: config.url, headers, body: JSON.stringify({ from: config.from, to: msg.to, body: msg.body }) },
        { timeoutMs: config.timeoutMs ?? 10_000, receiverRef: { jsonField: config.messageIdField ?? 'id' }, ...(config.fetch ? { fetch: config.fetch } : {}) },
      );
    },
  };
}
