import { ApplicationFailure } from '@temporalio/common';
import type { Connection } from 'mongoose';
import { isDuplicateKey } from '../../db/duplicate-key.ts';
import { userModel } from '../../db/models/user.ts';
import { MANAGERS_INBOX, notificationStore } from '../../db/notification-store.ts';
import { ALERT_MAX_ATTEMPTS } from '../../domain/alerts/alert-defaults.ts';
import { planChannels } from '../../domain/alerts/alert-channels.ts';
import { alertText } from '../../domain/alerts/alert-text.ts';
import { signClaimLink } from '../../domain/alerts/claim-link.ts';
import { recipientsOf, type Person, type Placement } from '../../domain/alerts/recipients.ts';
import { messageIdFor } from '../../domain/delivery/message-id.ts';
import type { DeliveryOutcome } from '../../domain/delivery/outcome.ts';
import type { AlertReport, AlertLine } from '../../domain/lifecycle/lead-events.ts';
import type { LinkConfig } from '../../infra/links.ts';
import type { AlertChannel } from '../../schema/alert-settings.ts';
import type { TenantConfigs } from '../../services/tenant-config.ts';
import type { AlertRequest } from '../lead-ports.ts';
import type { SmsProvider } from '../delivery/sms-provider.ts';
import type { Mailer } from '../delivery/smtp-mailer.ts';

export interface AlerterDeps {
  mongo: Connection;
  configs: TenantConfigs;
  mailer?: Mailer;
  sms?: SmsProvider;
  links?: LinkConfig;
  /** The activity's attempt (1-based): the last one reports what failed instead of retrying. */
  attempt?: () => number;
  now?: () => number;
}

/**
 * Alerts people: in the app, by email and by SMS, as each person chose. Every
 * (lead, person, kind, notice, channel) is sent at most once: a marker is
 * written after each send, and the send itself carries an idempotency key
 * (the email's Message-ID, the SMS provider's key header) for the gap
 * between the two. A temporary failure retries the activity, which skips
 * what already went out; the last attempt reports it as failed.
 */
export function createAlerter(deps: AlerterDeps) {
  const notes = notificationStore(deps.mongo);
  const markers = deps.mongo.collection<{ _id: string; at: number }>('alert_markers');
  const Users = userModel(deps.mongo);
  const now = deps.now ?? Date.now;

  async function people(tenantId: string): Promise<Person[]> {
    const docs = await Users.find({ tenantId }).lean();
    return docs.map((d) => ({
      userId: d._id,
      name: d.name,
      role: d.role,
      email: d.email,
      ...(d.endpointId ? { endpointId: d.endpointId } : {}),
      ...(d.alerts ? { alerts: d.alerts } : {}),
      ...(d.disabled ? { disabled: true } : {}),
    }));
  }

  return {
    async notify(req: AlertRequest): Promise<AlertReport> {
      const { tenantId, leadId, kind, facts, key } = req;
      const config = await deps.configs.latest(tenantId);
      const doc = config?.document;
      const tenantZone = doc?.tenant.timeZone ?? 'UTC';
      const placements = new Map<string, Placement>(
        (doc?.endpoints ?? []).map((e) => [e.id, { teamId: e.teamId, locationId: e.locationId, parentId: e.parentId }]),
      );
      const everyone = await people(tenantId);
      const names = new Map<string, string>([
        ...(doc?.endpoints ?? []).map((e) => [e.id, e.name] as const),
        ...everyone.map((p) => [p.userId, p.name] as const),
      ]);
      const nameOf = (id: string) => names.get(id) ?? id;
      const at = now();

      // The endpoint's own inbox (offers are listed from it) and the managers' shared one.
      const shared = alertText(kind, facts, { lead: req.lead, nameOf, timeZone: tenantZone });
      const inboxes = [...(kind === 'offered' ? [] : req.endpointIds), ...(req.managers ? [MANAGERS_INBOX] : [])];
      if (inboxes.length > 0) await notes.send(tenantId, inboxes, { leadId, kind, message: shared.line, at }, `${kind}:${key}`);

      const report: AlertReport = { kind, sent: [], failed: [], skipped: [] };
      const retryLater: string[] = [];
      for (const person of recipientsOf(req, everyone, placements)) {
        const zone = person.alerts?.timeZone ?? tenantZone;
        const link =
          kind === 'offered' && deps.links && facts.round !== undefined && facts.deadlineAt !== undefined
            ? `${deps.links.baseUrl}/claim/${signClaimLink(deps.links.secret, { tenantId, leadId, round: facts.round, userId: person.userId, expiresAt: facts.deadlineAt })}`
            : undefined;
        const text = alertText(kind, facts, { lead: req.lead, nameOf, timeZone: zone, ...(link ? { link } : {}) });
        const plan = planChannels(person, kind, at, tenantZone);
        const line = (channel: AlertChannel): AlertLine => ({ userId: person.userId, name: person.name, channel });
        for (const s of plan.skipped) report.skipped.push({ ...line(s.channel), reason: s.reason });
        for (const channel of plan.send) {
          const idempotencyKey = `${tenantId}:${leadId}:${person.userId}:${kind}:${key}:${channel}`;
          if (await markers.findOne({ _id: idempotencyKey })) {
            report.sent.push(line(channel));
            continue;
          }
          let out: DeliveryOutcome | 'not_configured';
          if (channel === 'in_app') {
            await notes.send(
              tenantId,
              [`user:${person.userId}`],
              {
                leadId,
                kind,
                message: text.line,
                at,
                ...(facts.deadlineAt !== undefined ? { deadlineAt: facts.deadlineAt } : {}),
                ...(facts.round !== undefined ? { round: facts.round } : {}),
                ...(link ? { link } : {}),
              },
              `${kind}:${key}`,
            );
            out = { ok: true, status: 200 };
          } else if (channel === 'email') {
            out = deps.mailer
              ? await deps.mailer.send({
                  to: [person.email!],
                  subject: text.subject,
                  text: text.text,
                  messageId: messageIdFor(idempotencyKey, deps.mailer.messageIdDomain),
                  headers: { 'X-Switchyard-Idempotency-Key': idempotencyKey },
                })
              : 'not_configured';
          } else {
            out = deps.sms ? await deps.sms.send({ to: person.alerts!.mobile!, body: text.sms, idempotencyKey }) : 'not_configured';
          }
          if (out === 'not_configured') report.skipped.push({ ...line(channel), reason: 'not_configured' });
          else if (out.ok) {
            await markers.insertOne({ _id: idempotencyKey, at }).catch((err: unknown) => {
              if (!isDuplicateKey(err)) throw err;
            });
            report.sent.push(line(channel));
          } else if (out.retryable && (deps.attempt?.() ?? ALERT_MAX_ATTEMPTS) < ALERT_MAX_ATTEMPTS)
            retryLater.push(`${channel} to ${person.name}: ${out.reason}`);
          else report.failed.push({ ...line(channel), reason: out.reason });
        }
      }
      if (retryLater.length > 0) throw ApplicationFailure.retryable(`alert not sent yet: ${retryLater.join('; ')}`, 'AlertRetry');
      return report;
    },
  };
}

export type Alerter = ReturnType<typeof createAlerter>;
