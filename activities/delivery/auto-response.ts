import type { AutoResponsePlan } from '../../domain/delivery/auto-response.ts';
import { messageIdFor } from '../../domain/delivery/message-id.ts';
import type { DeliveryOutcome } from '../../domain/delivery/outcome.ts';
import type { Mailer } from './smtp-mailer.ts';
import type { SmsProvider } from './sms-provider.ts';

export interface AutoResponseResult {
  sent: Array<'sms' | 'email'>;
  failed: Array<{ channel: 'sms' | 'email'; outcome: Extract<DeliveryOutcome, { ok: false }> }>;
  skipped: AutoResponsePlan['skipped'];
}

/**
 * Sends a planned acknowledgement through the same adapters as deliveries.
 * A failed acknowledgement is reported, not thrown: it must never hold up routing.
 */
export async function sendAutoResponse(plan: AutoResponsePlan, deps: { mailer?: Mailer; sms?: SmsProvider }): Promise<AutoResponseResult> {
  const result: AutoResponseResult = { sent: [], failed: [], skipped: [...plan.skipped] };
  for (const msg of plan.send) {
    let outcome: DeliveryOutcome;
    if (msg.channel === 'sms') {
      if (!deps.sms) {
        result.skipped.push({ channel: 'sms', reason: 'SMS is not configured on this worker' });
        continue;
      }
      outcome = await deps.sms.send({ to: msg.to, body: msg.body, idempotencyKey: msg.idempotencyKey });
    } else {
      if (!deps.mailer) {
        result.skipped.push({ channel: 'email', reason: 'email (SMTP) is not configured on this worker' });
        continue;
      }
      outcome = await deps.mailer.send({
        to: [msg.to],
        subject: msg.subject,
        text: msg.text,
        messageId: messageIdFor(msg.idempotencyKey, deps.mailer.messageIdDomain),
        headers: { 'X-Switchyard-Idempotency-Key': msg.idempotencyKey },
      });
    }
    if (outcome.ok) result.sent.push(msg.channel);
    else result.failed.push({ channel: msg.channel, outcome });
  }
  return result;
}
