import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { Connection } from 'mongoose';
import { decisionStore } from '../db/decision-store.ts';
import { leadContactStore } from '../db/lead-contact-store.ts';
import { leadStore } from '../db/lead-store.ts';
import { projectReportFacts } from '../db/report-store.ts';
import { notificationStore } from '../db/notification-store.ts';
import { ALERT_MAX_ATTEMPTS } from '../domain/alerts/alert-defaults.ts';
import type { LinkConfig } from '../infra/links.ts';
import { createAlerter } from './alerts/send-alerts.ts';
import { suppressionStore } from '../db/suppression-store.ts';
import type { Target } from '../domain/allocation/types.ts';
import { isDuplicateKey } from '../db/duplicate-key.ts';
import type { Holdings } from '../db/reservation-store.ts';
import { openStateAt } from '../domain/allocation/schedule.ts';
import { planAutoResponse } from '../domain/delivery/auto-response.ts';
import { leadTemplateVars, withContactHidden } from '../domain/delivery/lead-vars.ts';
import { addressStep } from '../domain/geo/address-step.ts';
import { resolveGeography } from '../domain/geo/resolve-geography.ts';
import type { ZipDataset } from '../domain/geo/zip-dataset.ts';
import { claimDeadlineAt } from '../domain/lifecycle/claim-deadline.ts';
import { checkPhone } from '../domain/validation/phone.ts';
import { applyLineTypeRule, chainOptionsFor } from '../domain/validation/source-rules.ts';
import { eventLogLine } from '../infra/lead-event-log.ts';
import { activityLogFields } from '../infra/log-fields.ts';
import type { Logger } from '../infra/logger.ts';
import type { WorkerMetrics } from '../infra/metrics.ts';
import type { PiiCodec } from '../infra/pii.ts';
import type { SecretLookup } from '../infra/secrets.ts';
import type { DeliveryMethod } from '../schema/delivery-method.ts';
import type { Endpoint } from '../schema/endpoint.ts';
import type { Source } from '../schema/source.ts';
import { createAllocator, type Allocator } from '../services/allocator.ts';
import { tenantConfigs, type TenantConfigs } from '../services/tenant-config.ts';
import { sendAutoResponse } from './delivery/auto-response.ts';
import { createDeliverer } from './delivery/deliver.ts';
import { toApplicationFailure } from './delivery/failure.ts';
import type { Mailer } from './delivery/smtp-mailer.ts';
import type { SmsProvider } from './delivery/sms-provider.ts';
import type { LeadContext, RouteOutcome, RouteTarget, ValidationOutcome } from '../domain/lifecycle/step-results.ts';
import type { LeadActivities } from './lead-ports.ts';
import { isDisposableDomain, offlineEmailVerifier, offlinePhoneVerifier, storeSuppressionProvider } from './validation/offline-providers.ts';
import { createVerification } from './validation/configured-verification.ts';
import { createLeadValidator } from './validation/validate-lead.ts';

export interface LeadActivityDeps {
  mongo: Connection;
  pii: PiiCodec;
  zips: ZipDataset;
  secrets: SecretLookup;
  configs?: TenantConfigs;
  /** How long the latest configuration version looked up is trusted (FRESHNESS_MS); 0 (the default here) looks on every use. */
  freshnessMs?: number;
  allocator?: Allocator;
  mailer?: Mailer;
  sms?: SmsProvider;
  fetch?: typeof fetch;
  /** Claim links in offer alerts: where they point and the secret that signs them. */
  links?: LinkConfig;
  /** Lead lifecycle lines (one per event, ids and codes only). */
  log?: Logger;
  /** Lifecycle counters (from the recorded events), allocation and delivery timings. */
  metrics?: WorkerMetrics;
}

/** Times each allocation round trip into the histogram. */
function timedAllocator(allocator: Allocator, metrics: WorkerMetrics | undefined): Allocator {
  if (!metrics) return allocator;
  return {
    ...allocator,
    async allocate(req) {
      const end = metrics.allocation.startTimer();
      try {
        const r = await allocator.allocate(req);
        end({ outcome: r.ok ? r.decision.outcome : 'error' });
        return r;
      } catch (err) {
        end({ outcome: 'error' });
        throw err;
      }
    },
  };
}

/** Counts and times every delivery attempt by method and outcome. */
function countedDeliverer(deliverer: ReturnType<typeof createDeliverer>, metrics: WorkerMetrics | undefined): ReturnType<typeof createDeliverer> {
  if (!metrics) return deliverer;
  return {
    async deliver(attempt) {
      const method = attempt.method.type;
      const end = metrics.deliveryDuration.startTimer({ method });
      const out = await deliverer.deliver(attempt);
      end();
      metrics.deliveryAttempts.inc({ method, outcome: out.ok ? 'ok' : out.retryable ? 'retryable' : 'failed' });
      if (!out.ok) metrics.deliveryFailures.inc({ method, retryable: String(out.retryable) });
      return out;
    },
  };
}

const inActivity = () => {
  try {
    return !!Context.current();
  } catch {
    return false; // called directly (a test or a script), not by a worker
  }
};

/** A broken invariant or a configuration that cannot serve this lead: retrying will not help. */
const fatal = (type: string, message: string) => ApplicationFailure.nonRetryable(message, type);

/**
 * The lead workflow's I/O. Every activity is safe to retry: writes are
 * inserts under deterministic keys (events, contacts, decisions,
 * notifications, delivery markers), reservations are per routing round, and
 * deliveries carry an idempotency key stable per lead × endpoint.
 */
export function createLeadActivities(deps: LeadActivityDeps): LeadActivities {
  const configs = deps.configs ?? tenantConfigs(deps.mongo, { versionTtlMs: deps.freshnessMs ?? 0 });
  const allocator = timedAllocator(deps.allocator ?? createAllocator({ mongo: deps.mongo, configs }), deps.metrics);
  // Report facts follow the events as they are stored (rollups fold lazily, at the next report query).
  const leads = leadStore(deps.mongo, { afterAppend: (ids, events) => projectReportFacts(deps.mongo, ids, { events }) });
  const contacts = leadContactStore(deps.mongo, deps.pii);
  const decisions = decisionStore(deps.mongo);
  const notes = notificationStore(deps.mongo);
  const suppression = storeSuppressionProvider(suppressionStore(deps.mongo));
  const deliverer = countedDeliverer(
    createDeliverer({ ...(deps.mailer ? { mailer: deps.mailer } : {}), ...(deps.sms ? { sms: deps.sms } : {}), ...(deps.fetch ? { fetch: deps.fetch } : {}) }),
    deps.metrics,
  );
  const verification = createVerification({ secrets: deps.secrets, ...(deps.fetch ? { fetch: deps.fetch } : {}) });
  const alerter = createAlerter({
    mongo: deps.mongo,
    configs,
    ...(deps.mailer ? { mailer: deps.mailer } : {}),
    ...(deps.sms ? { sms: deps.sms } : {}),
    ...(deps.links ? { links: deps.links } : {}),
    attempt: () => (inActivity() ? Context.current().info.attempt : ALERT_MAX_ATTEMPTS),
  });
  const doneMarkers = deps.mongo.collection<{ _id: string; at: number }>('delivery_markers');

  async function configOf(tenantId: string) {
    const c = await configs.latest(tenantId);
    if (!c) throw fatal('NoConfiguration', `tenant ${tenantId} has no configuration`);
    return c;
  }
  const sourceOf = async (tenantId: string, sourceId: string): Promise<Source | undefined> =>
    (await configOf(tenantId)).document.sources.find((s) => s.id === sourceId);

  function withSecret(m: DeliveryMethod): DeliveryMethod {
    if (!('secretRef' in m) || !m.secretRef || ('secret' in m && m.secret)) return m;
    const secret = deps.secrets(m.secretRef);
    if (!secret) throw fatal('SecretMissing', `signing secret "${m.secretRef}" is not set on this worker`);
    return { ...m, secret };
  }

  function toRouteTarget(t: Target, leadId: string, round: number, held: Holdings): RouteTarget {
    const h = held.get(t.endpointId);
    return {
      endpointId: t.endpointId,
      name: t.name,
      claimRequired: t.claimRequired,
      ...(h ? { reservation: { leadId, round, endpointId: t.endpointId, untilOwned: h.untilOwned } } : {}),
      ...(t.claimDeadlineSec !== undefined ? { claimDeadlineSec: t.claimDeadlineSec } : {}),
      ...(t.maxLapses !== undefined ? { maxLapses: t.maxLapses } : {}),
      ...(t.pauseDeadlineOutsideHours ? { pauseDeadlineOutsideHours: true } : {}),
      ...(t.priceCents > 0 ? { priceCents: t.priceCents } : {}),
    };
  }

  const activities: LeadActivities = {
    async recordEvents(events) {
      await leads.append(events);
      // Counted and logged once stored: a retried flush brings the same event ids (counted once per process).
      deps.metrics?.observeEvents(events);
      if (deps.log) {
        const log = deps.log.child(inActivity() ? activityLogFields(Context.current().info) : {});
        for (const e of events) {
          const l = eventLogLine(e);
          log[l.level](l.fields, l.msg);
        }
      }
    },

    async loadLeadContext({ tenantId, sourceId }): Promise<LeadContext> {
      const source = await sourceOf(tenantId, sourceId);
      const base = {
        sourceName: source?.name ?? sourceId,
        returnPolicy: { allowedReasons: [], windowMs: 0, maxReturnRate: 0 },
        duplicateWindowMs: 0,
        autoResponse: {},
        manualDistribution: false,
        costCents: 0,
      };
      if (!source) return { ...base, problem: `source ${sourceId} is no longer configured` };
      if (source.status !== 'active') return { ...base, problem: `source ${source.name} is ${source.status}` };
      return {
        sourceName: source.name,
        // A flat fee is billed per period, not per lead.
        costCents: source.costBasis.kind === 'flat' ? 0 : source.costBasis.amountCents,
        returnPolicy: { allowedReasons: source.allowedReturnReasons, windowMs: source.returnWindowSec * 1000, maxReturnRate: source.maxReturnRate },
        duplicateWindowMs: source.duplicateWindowSec * 1000,
        autoResponse: source.autoResponse,
        manualDistribution: source.manualDistribution,
      };
    },

    async receiveLead(input) {
      const context = await activities.loadLeadContext({ tenantId: input.tenantId, sourceId: input.sourceId });
      if (context.problem) return { context };
      return { context, validation: await activities.validateLead({ ...input, duplicateWindowMs: context.duplicateWindowMs }) };
    },

    async validateLead(input): Promise<ValidationOutcome> {
      const config = await configOf(input.tenantId);
      const source = config.document.sources.find((s) => s.id === input.sourceId);
      if (!source) throw fatal('UnknownSource', `source ${input.sourceId} is not configured`);
      const opts = chainOptionsFor(source.validation);
      const e164 = checkPhone(input.lead.phone).data.e164;
      const providers = verification.forLead(config.document.tenant.verification, {
        tenantId: input.tenantId,
        leadId: input.leadId,
        lead: input.lead,
        ...(e164 ? { phoneE164: e164 } : {}),
      });
      // Identity before the market: a ZIP the provider corrects moves the lead to the territory it is really in.
      const identity = await providers.identity();
      const corrected = identity?.correctedAddress ? resolveGeography(deps.zips, identity.correctedAddress) : undefined;
      const geo = corrected?.ok ? corrected : resolveGeography(deps.zips, input.lead.address ?? {});
      const address = addressStep(geo);
      const phone = providers.phone(offlinePhoneVerifier(opts.phone));
      const scorer = providers.risk(opts.risk);
      const validator = createLeadValidator({
        phone: { name: phone.name, verify: async (raw) => applyLineTypeRule(await phone.verify(raw), opts.allowedLineTypes) },
        email: offlineEmailVerifier({ ...opts.email, isDisposableDomain }),
        suppression: opts.checkSuppression ? suppression : { check: async () => [] },
        duplicates: contacts.duplicates,
        hash: deps.pii.hash,
        risk: { options: opts.risk, ...(scorer ? { scorer } : {}) },
        consent: opts.consent,
        verificationSteps: providers.steps,
      });
      const v = await validator.validate({ ...input, now: input.receivedAt, addressStep: address, ...(geo.ok ? { state: geo.value.state } : {}) });
      await contacts.save({
        tenantId: input.tenantId,
        sourceId: input.sourceId,
        leadId: input.leadId,
        receivedAt: input.receivedAt,
        lead: input.lead,
        ...(v.phoneE164 ? { phoneE164: v.phoneE164 } : {}),
        accepted: v.summary.outcome === 'accepted',
      });
      // Step data stays out of the workflow history: it holds the consumer's phone and email.
      const out: ValidationOutcome = {
        outcome: v.summary.outcome,
        steps: v.steps.map(({ step, outcome, reason }) => ({ step, outcome, ...(reason ? { reason } : {}) })),
        flags: v.summary.flags,
        consentChannels: v.consentChannels,
      };
      // The numbers routing may act on; no value of the consumer's.
      const lineType = v.steps.find((s) => s.step === 'phone')?.data as { lineType?: string } | undefined;
      const risk = v.steps.find((s) => s.step === 'risk')?.data as { score?: number } | undefined;
      const signals = {
        ...(lineType?.lineType ? { lineType: lineType.lineType } : {}),
        ...(risk?.score !== undefined ? { riskScore: risk.score } : {}),
        ...(identity?.confidence !== undefined ? { identityConfidence: identity.confidence } : {}),
      };
      if (Object.keys(signals).length > 0) out.signals = signals;
      if (v.summary.rejectReason) out.rejectReason = v.summary.rejectReason;
      if (v.summary.rejectDetail) out.rejectDetail = v.summary.rejectDetail;
      if (geo.ok) out.geography = geo.value;
      return out;
    },

    async sendAutoResponse({ tenantId, leadId, sourceId, lead, channels }) {
      const source = await sourceOf(tenantId, sourceId);
      if (!source) return { sent: [], skipped: 'the source is no longer configured' };
      const phone = checkPhone(lead.phone);
      const plan = planAutoResponse({
        leadId,
        consentChannels: channels,
        templates: source.autoResponse,
        ...(phone.data.e164 ? { phoneE164: phone.data.e164, lineType: phone.data.lineType } : {}),
        ...(lead.email ? { email: lead.email } : {}),
        vars: leadTemplateVars({ leadId, lead, ...(phone.data.e164 ? { phoneE164: phone.data.e164 } : {}), extra: { sourceName: source.name } }),
      });
      const r = await sendAutoResponse(plan, { ...(deps.mailer ? { mailer: deps.mailer } : {}), ...(deps.sms ? { sms: deps.sms } : {}) });
      const retryable = r.failed.find((f) => f.outcome.retryable);
      if (retryable && r.sent.length === 0) throw toApplicationFailure(retryable.outcome, `auto-response by ${retryable.channel}`);
      const skipped = [...r.skipped.map((s) => `${s.channel}: ${s.reason}`), ...r.failed.map((f) => `${f.channel} failed: ${f.outcome.reason}`)];
      return { sent: r.sent, ...(skipped.length ? { skipped: skipped.join('; ') } : {}) };
    },

    async routeLead(req): Promise<RouteOutcome> {
      if (!req.geography) throw fatal('NoGeography', `lead ${req.leadId} reached routing without a verified market`);
      const result = await allocator.allocate({
        tenantId: req.tenantId,
        round: req.round,
        at: req.at,
        retry: Context.current().info.attempt > 1,
        lead: {
          id: req.leadId,
          sourceId: req.sourceId,
          serviceLine: req.serviceLine,
          geography: req.geography,
          ...(req.preassignedEndpointId ? { preassignedEndpointId: req.preassignedEndpointId } : {}),
          ...(req.ignoreSchedules ? { ignoreSchedules: true } : {}),
          ...(req.reviewed ? { reviewed: true } : {}),
          validation: { flags: req.flags, ...req.signals },
          exclude: req.exclude,
        },
      });
      if (!result.ok) throw fatal('NoConfiguration', result.error.message);
      const d = result.decision;
      const decisionId = await decisions.save({
        tenantId: req.tenantId,
        leadId: req.leadId,
        round: req.round,
        configVersion: result.configVersion,
        at: req.at,
        decision: d,
      });
      const base = { configVersion: result.configVersion, summary: d.explanation.summary, decisionId };
      if (d.outcome === 'no_coverage' || d.outcome === 'closed' || d.outcome === 'review') return { kind: d.outcome, ...base };
      if (d.outcome === 'held') return { kind: 'held', ...base, until: result.holdUntil ?? d.hold!.opensAt, opensAt: d.hold!.opensAt, zone: d.hold!.zone };
      const kind = d.tier?.algorithm === 'preassigned' ? 'preassigned' : d.outcome;
      return {
        kind,
        ...base,
        ...(d.tier ? { tier: d.tier.name, algorithm: d.tier.algorithm } : {}),
        targets: d.targets.map((t) => {
          const target = toRouteTarget(t, req.leadId, req.round, result.held);
          const at = result.deliverAt?.get(t.endpointId);
          return at !== undefined ? { ...target, deliverAt: at } : target;
        }),
      };
    },

    async deliverLead({ tenantId, leadId, sourceId, lead, endpointId, idempotencyKey, contactHidden }) {
      const config = await configOf(tenantId);
      const endpoint: Endpoint | undefined = config.document.endpoints.find((e) => e.id === endpointId);
      if (!endpoint) throw fatal('UnknownEndpoint', `endpoint ${endpointId} is no longer configured`);
      const phone = checkPhone(lead.phone);
      const [first, ...rest] = endpoint.deliveryMethods;
      // No method configured: the lead is delivered in the app (the agent's offers and inbox).
      if (!first) return { endpointId, method: 'in_app' };
      const source = config.document.sources.find((s) => s.id === sourceId);
      // A person who must claim the lead gets it with the contact hidden; the claim (in the app or from the alert's link) shows it.
      const shown = contactHidden ? withContactHidden(lead, phone.data.e164) : { lead, ...(phone.data.e164 ? { phoneE164: phone.data.e164 } : {}) };
      const vars = leadTemplateVars({
        leadId,
        ...shown,
        extra: { endpointName: endpoint.name, sourceName: source?.name ?? sourceId, tenantName: config.document.tenant.name },
      });
      const marker = (i: number) => `${idempotencyKey}#${i}`;
      const done = async (i: number) => !!(await doneMarkers.findOne({ _id: marker(i) }));
      const mark = (i: number) =>
        doneMarkers.insertOne({ _id: marker(i), at: Date.now() }).catch((err: unknown) => {
          if (!isDuplicateKey(err)) throw err;
        });

      const primary = await deliverer.deliver({ method: withSecret(first), vars, idempotencyKey });
      if (!primary.ok) throw toApplicationFailure(primary, `${endpoint.name} by ${first.type}`);
      // Further methods are notices; each is sent at most once across retries
      // (the primary needs no marker: its idempotency key makes a resend harmless).
      const notices: Array<{ method: string; ok: boolean; reason?: string }> = [];
      for (const [j, m] of rest.entries()) {
        const i = j + 1;
        if (await done(i)) continue;
        const out = await deliverer
          .deliver({ method: withSecret(m), vars, idempotencyKey: `${idempotencyKey}:${i}` })
          .catch((err: Error) => ({ ok: false as const, retryable: false, reason: err.message }));
        if (out.ok) await mark(i);
        notices.push({ method: m.type, ok: out.ok, ...(out.ok ? {} : { reason: out.reason }) });
      }
      return {
        endpointId,
        method: first.type,
        ...(primary.status ? { status: primary.status } : {}),
        ...(primary.receiverRef ? { receiverRef: primary.receiverRef } : {}),
        ...(notices.length ? { notices } : {}),
      };
    },

    async releaseReservations({ handles }) {
      return allocator.release(handles);
    },

    async settleReservations({ handles }) {
      return allocator.settle(handles);
    },

    async offerLead({ tenantId, leadId, endpointIds, round, deadlineSec, pauseOutsideHours, at }) {
      const snapshot = (await configOf(tenantId)).snapshot();
      const schedule = endpointIds.map((id) => snapshot.endpoints.get(id)?.schedule).find((s) => s);
      const deadlineAt = claimDeadlineAt(at, deadlineSec, pauseOutsideHours && schedule ? (t) => openStateAt(schedule, t).open : undefined);
      const local = new Date(deadlineAt).toISOString();
      await notes.send(
        tenantId,
        endpointIds,
        { leadId, kind: 'offered', message: `A new lead is offered to you: claim it before ${local}.`, at, deadlineAt, round },
        `offered:${round}`,
      );
      return { deadlineAt };
    },

    async notify(req) {
      return alerter.notify(req);
    },

    async returnStats({ tenantId, sourceId }) {
      return leads.returnStats(tenantId, sourceId, Date.now());
    },
  };
  return activities;
}
