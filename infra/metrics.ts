import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { LeadEvent } from '../domain/lifecycle/lead-events.ts';
import { dbCommandCounter } from './db-commands.ts';

/**
 * Prometheus metrics of the worker. Lead lifecycle counters are derived from
 * the lead events passing through `recordEvents`, the one place every event
 * goes through; events arrive at least once (a retried flush sends the same
 * events again), so each event id is counted once per process. A retry that
 * lands on another worker can count an event twice across the fleet: rare,
 * and the read model, not these counters, is the record.
 */
export function createWorkerMetrics(opts: { registry?: Registry; now?: () => number; defaultMetrics?: boolean; seenLimit?: number } = {}) {
  const registry = opts.registry ?? new Registry();
  const now = opts.now ?? Date.now;
  if (opts.defaultMetrics !== false) collectDefaultMetrics({ register: registry });
  const registers = [registry];

  const received = new Counter({
    name: 'switchyard_leads_received_total',
    help: 'Leads received (workflow started, received event recorded)',
    labelNames: ['tenant'],
    registers,
  });
  const accepted = new Counter({ name: 'switchyard_leads_accepted_total', help: 'Leads that passed validation', labelNames: ['tenant'], registers });
  const rejected = new Counter({
    name: 'switchyard_leads_rejected_total',
    help: 'Leads rejected against their source, by reason (invalid, duplicate, dnc, no_coverage, ...)',
    labelNames: ['tenant', 'reason'],
    registers,
  });
  const delivered = new Counter({
    name: 'switchyard_leads_delivered_total',
    help: 'Leads delivered to an endpoint, by delivery method',
    labelNames: ['tenant', 'method'],
    registers,
  });
  const failovers = new Counter({
    name: 'switchyard_delivery_failovers_total',
    help: 'Deliveries given up on an endpoint (retries spent or refused): the lead fails over',
    labelNames: ['tenant'],
    registers,
  });
  const offersMade = new Counter({
    name: 'switchyard_offers_total',
    help: 'Offers made to endpoints that must claim (one per endpoint per round)',
    labelNames: ['tenant'],
    registers,
  });
  const lapses = new Counter({
    name: 'switchyard_claim_lapses_total',
    help: 'Offers that lapsed unclaimed (one per endpoint per round)',
    labelNames: ['tenant'],
    registers,
  });
  const claims = new Counter({ name: 'switchyard_claims_total', help: 'Leads claimed by an offered endpoint', labelNames: ['tenant'], registers });
  const escalations = new Counter({
    name: 'switchyard_leads_escalated_total',
    help: 'Leads escalated to the manager queue, by kind',
    labelNames: ['tenant', 'kind'],
    registers,
  });
  const returns = new Counter({
    name: 'switchyard_returns_total',
    help: 'Return requests decided, by outcome and reason (refusals by refusal code)',
    labelNames: ['tenant', 'outcome', 'reason'],
    registers,
  });

  // Open offers, counted in this process from the events it records: an offer
  // stays open until the lead is claimed, lapses, is reassigned or escalated,
  // or its deadline passes (so an offer whose end another worker recorded
  // stops counting here at its deadline). Sum the gauge over the workers.
  const open = new Map<string, { endpoints: number; deadlineAt: number }>();
  new Gauge({
    name: 'switchyard_open_offers',
    help: 'Offers awaiting a claim, as recorded by this process (sum over workers)',
    registers,
    collect() {
      const t = now();
      let n = 0;
      for (const [leadId, o] of open) {
        if (o.deadlineAt <= t) open.delete(leadId);
        else n += o.endpoints;
      }
      this.set(n);
    },
  });

  const allocation = new Histogram({
    name: 'switchyard_allocation_duration_seconds',
    help: 'One allocation round trip: read the counters it needs, decide, take the turn and cap reservations',
    labelNames: ['outcome'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers,
  });
  const deliveryAttempts = new Counter({
    name: 'switchyard_delivery_attempts_total',
    help: 'Delivery attempts by method and outcome (ok, retryable, failed)',
    labelNames: ['method', 'outcome'],
    registers,
  });
  const deliveryFailures = new Counter({
    name: 'switchyard_delivery_failures_total',
    help: 'Failed delivery attempts by method and whether they will be retried',
    labelNames: ['method', 'retryable'],
    registers,
  });
  const deliveryDuration = new Histogram({
    name: 'switchyard_delivery_duration_seconds',
    help: 'One delivery attempt (HTTP call, email, SMS)',
    labelNames: ['method'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers,
  });
  const activities = new Histogram({
    name: 'switchyard_activity_duration_seconds',
    help: 'Activity executions (local and remote), by type and outcome',
    labelNames: ['activity', 'local', 'outcome'],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15, 30],
    registers,
  });

  const seen = new Set<string>();
  const seenLimit = opts.seenLimit ?? 200_000;
  const firstSight = (id: string) => {
    if (seen.has(id)) return false;
    seen.add(id);
    // Insertion order: the oldest ids go first; their leads have long moved on.
    if (seen.size > seenLimit) seen.delete(seen.values().next().value!);
    return true;
  };
  const closeOffers = (leadId: string) => open.delete(leadId);

  function observeEvent(e: LeadEvent): void {
    const tenant = e.tenantId;
    switch (e.type) {
      case 'received':
        received.inc({ tenant });
        break;
      case 'validated':
        if (e.data.outcome === 'accepted') accepted.inc({ tenant });
        break;
      case 'rejected':
        rejected.inc({ tenant, reason: e.data.reason });
        closeOffers(e.leadId);
        break;
      case 'delivered':
        delivered.inc({ tenant, method: e.data.method });
        break;
      case 'delivery_failed':
        failovers.inc({ tenant });
        break;
      case 'offered':
        offersMade.inc({ tenant }, e.data.endpointIds.length);
        open.set(e.leadId, { endpoints: e.data.endpointIds.length, deadlineAt: e.data.deadlineAt });
        break;
      case 'claimed':
        claims.inc({ tenant });
        closeOffers(e.leadId);
        break;
      case 'lapsed':
        lapses.inc({ tenant }, e.data.endpointIds.length);
        closeOffers(e.leadId);
        break;
      case 'assigned':
      case 'reassigned':
      case 'billing_final':
        closeOffers(e.leadId);
        break;
      case 'escalated':
        escalations.inc({ tenant, kind: e.data.kind });
        closeOffers(e.leadId);
        break;
      case 'return_accepted':
        returns.inc({ tenant, outcome: 'accepted', reason: e.data.reason });
        break;
      case 'return_refused':
        // The asked-for reason may be free text; the refusal code is one of ours.
        returns.inc({ tenant, outcome: 'refused', reason: e.data.code });
        break;
      default:
        break;
    }
  }

  return {
    registry,
    /** Counts each event once per process, however often a retried flush brings it. */
    observeEvents(events: readonly LeadEvent[]): void {
      for (const e of events) if (firstSight(e.id)) observeEvent(e);
    },
    /** Feed for `connectMongo`'s command monitor. */
    dbCommands: dbCommandCounter(registry),
    allocation,
    deliveryAttempts,
    deliveryFailures,
    deliveryDuration,
    activities,
  };
}

export type WorkerMetrics = ReturnType<typeof createWorkerMetrics>;

/** Prometheus metrics of the API process. */
export function createApiMetrics(opts: { registry?: Registry; defaultMetrics?: boolean } = {}) {
  const registry = opts.registry ?? new Registry();
  if (opts.defaultMetrics !== false) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    /** Feed for `connectMongo`'s command monitor. */
    dbCommands: dbCommandCounter(registry),
    httpRequests: new Counter({
      name: 'switchyard_http_requests_total',
      help: 'HTTP requests by route, method and status',
      labelNames: ['route', 'method', 'status'],
      registers,
    }),
    httpDuration: new Histogram({
      name: 'switchyard_http_request_duration_seconds',
      help: 'HTTP request time by route',
      labelNames: ['route', 'method'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    intake: new Counter({
      name: 'switchyard_intake_leads_total',
      help: 'Leads posted to HTTP intake, by outcome: created, duplicate (already received), invalid (422), refused (other 4xx), unavailable (503)',
      labelNames: ['outcome'],
      registers,
    }),
  };
}

export type ApiMetrics = ReturnType<typeof createApiMetrics>;
