import { buildHttpRequest } from '../../domain/delivery/http-request.ts';
import { buildLeadEmail, buildLeadSms } from '../../domain/delivery/messages.ts';
import type { DeliveryMethod } from '../../schema/delivery-method.ts';
import type { DeliveryOutcome } from '../../domain/delivery/outcome.ts';
import type { TemplateVars } from '../../domain/delivery/template.ts';
import { sendHttp } from './http-sender.ts';
import type { Mailer } from './smtp-mailer.ts';
import type { SmsProvider } from './sms-provider.ts';

export interface DelivererDeps {
  mailer?: Mailer;
  sms?: SmsProvider;
  fetch?: typeof fetch;
  now?: () => number;
}

export interface DeliveryAttempt {
  method: DeliveryMethod;
  vars: TemplateVars;
  /** Stable per lead × endpoint (e.g. `${leadId}:${endpointId}`), never per attempt. */
  idempotencyKey: string;
}

/** One attempt by one of an endpoint's delivery methods, as a typed outcome. */
export function createDeliverer(deps: DelivererDeps) {
  const now = deps.now ?? Date.now;
  return {
    async deliver({ method, vars, idempotencyKey }: DeliveryAttempt): Promise<DeliveryOutcome> {
      switch (method.type) {
        case 'http_post':
        case 'http_get':
        case 'webhook': {
          const spec = buildHttpRequest(method, vars, { idempotencyKey, nowMs: now() });
          return sendHttp(spec, {
            timeoutMs: method.timeoutMs,
            ...(method.receiverRef ? { receiverRef: method.receiverRef } : {}),
            ...(deps.fetch ? { fetch: deps.fetch } : {}),
            now,
          });
        }
        case 'email': {
          if (!deps.mailer) return notConfigured('email (SMTP)');
          return deps.mailer.send(buildLeadEmail(method, vars, { idempotencyKey, messageIdDomain: deps.mailer.messageIdDomain }));
        }
        case 'sms': {
          if (!deps.sms) return notConfigured('SMS');
          let last: DeliveryOutcome | undefined;
          // In order, stopping at the first failure: the retry resends only the
          // numbers not yet texted, because each has its own idempotency key.
          for (const msg of buildLeadSms(method, vars, idempotencyKey)) {
            last = await deps.sms.send(msg);
            if (!last.ok) return last;
          }
          return last ?? { ok: false, retryable: false, reason: 'SMS method has no recipients' };
        }
      }
    },
  };
}

export type Deliverer = ReturnType<typeof createDeliverer>;

/** A missing channel is a deployment problem; retrying the same worker will not grow one. */
function notConfigured(what: string): DeliveryOutcome {
  return { ok: false, retryable: false, reason: `${what} delivery is not configured on this worker` };
}
