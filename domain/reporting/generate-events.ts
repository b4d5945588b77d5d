import { seededRandom } from '../allocation/random.ts';
import type { LeadMarket } from '../geo/lead-geography.ts';
import type { LeadEvent, LeadEventBody } from '../lifecycle/lead-events.ts';
import type { RejectReason, WorkStatus } from '../lifecycle/lead-status.ts';

/**
 * Realistic lead event streams for tests and benchmarks, without the
 * workflow: intake, validation (with rejections), routing (with no-coverage),
 * delivery to buyers, locations and claim-deadline agents (with failures,
 * lapses, reassignment and escalation), work statuses, returns within the
 * window, and final billing when the window closes. Pure: the same options
 * give the same events. Events later than `now` are left out, so leads near
 * the end are still in flight (windows open, claims pending).
 */
export interface GeneratorSource {
  id: string;
  /** What `received.data.costCents` carries (0 for flat contracts: their fee is per period). */
  costCents: number;
  weight?: number;
}

export interface GeneratorOptions {
  tenantId: string;
  seed: number;
  /** First instant leads may arrive (epoch ms) and how many days they arrive over. */
  start: number;
  days: number;
  leads: number;
  sources: GeneratorSource[];
  markets: LeadMarket[];
  buyers: Array<{ id: string; priceCents: number }>;
  /** Receivers that take the lead by delivery (a location's system, a partner). */
  locations: string[];
  /** Agents in rotation: they must claim before a deadline. */
  agents: string[];
  returnWindowMs: number;
  claimDeadlineMs?: number;
  now?: number;
  idPrefix?: string;
  /** Every escalated lead is eventually handed out by a manager (otherwise some wait for one for ever). */
  resolveEscalations?: boolean;
}

const REJECTS: Array<[RejectReason, number]> = [
  ['invalid', 0.45],
  ['duplicate', 0.3],
  ['dnc', 0.15],
  ['risk', 0.1],
];
const RETURN_REASONS = ['duplicate', 'wrong_number', 'out_of_area', 'non_responsive'];
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

function weighted<T>(rand: () => number, items: ReadonlyArray<readonly [T, number]>): T {
  let total = 0;
  for (const [, w] of items) total += w;
  let x = rand() * total;
  for (const [v, w] of items) {
    x -= w;
    if (x < 0) return v;
  }
  return items[items.length - 1]![0];
}

/** A log-normal draw around `median` (ms), spread `sigma`. */
function logNormal(rand: () => number, median: number, sigma: number): number {
  const u = Math.max(1e-12, rand());
  const v = rand();
  const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  return Math.max(1, Math.round(median * Math.exp(sigma * z)));
}

/** Yields each lead's events, in sequence order, one lead at a time. */
export function* generateLeadEvents(opts: GeneratorOptions): Generator<LeadEvent[]> {
  const rand = seededRandom(opts.seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const sourceWeights = opts.sources.map((s) => [s, s.weight ?? 1] as const);
  const deadline = opts.claimDeadlineMs ?? 15 * MINUTE;
  const now = opts.now ?? Number.POSITIVE_INFINITY;
  // Leads arrive mostly in the daytime (UTC 13:00–02:00 is 8:00–20:00 across US zones).
  const hourWeights = Array.from({ length: 24 }, (_, h) => [h, h >= 13 || h <= 1 ? 6 : 1] as const);
  let agentTurn = 0;

  for (let i = 0; i < opts.leads; i++) {
    const leadId = `${opts.idPrefix ?? 'G'}${String(i).padStart(7, '0')}`;
    const dayIndex = Math.floor(rand() * opts.days);
    const receivedAt = opts.start + dayIndex * 24 * HOUR + weighted(rand, hourWeights) * HOUR + Math.floor(rand() * HOUR);
    const drafts: Array<{ body: LeadEventBody; at: number; actor: LeadEvent['actor'] }> = [];
    const emit = (body: LeadEventBody, at: number, actor: LeadEvent['actor'] = { userId: 'system', role: 'ops' }) => {
      drafts.push({ body, at, actor });
    };
    // Sequence numbers follow time (a return may come before a later status change); the sort is stable.
    const finish = () =>
      drafts
        .sort((a, b) => a.at - b.at)
        .filter((d) => d.at <= now)
        .map((d, k) => ({ ...d.body, id: `${leadId}#${k + 1}`, leadId, tenantId: opts.tenantId, seq: k + 1, at: d.at, actor: d.actor }));
    const source = weighted(rand, sourceWeights);
    const market = pick(opts.markets);
    const posted: LeadMarket = rand() < 0.85 ? { state: market.state, zip: market.zip } : { zip: market.zip };
    let t = receivedAt;
    emit(
      {
        type: 'received',
        data: { sourceId: source.id, serviceLine: pick(['plumbing', 'hvac', 'electrical']), costCents: source.costCents, externalId: `x-${i}`, market: posted },
      },
      t,
      { userId: `source:${source.id}`, role: 'vendor' },
    );
    t += 150 + Math.floor(rand() * 900);
    const rejectedAtValidation = rand() < 0.12;
    emit(
      {
        type: 'validated',
        data: {
          outcome: rejectedAtValidation ? 'rejected' : 'accepted',
          steps: [{ step: 'phone', outcome: rejectedAtValidation ? 'fail' : 'pass' }],
          flags: [],
          market,
        },
      },
      t,
    );
    if (rejectedAtValidation) {
      emit({ type: 'rejected', data: { reason: weighted(rand, REJECTS), detail: 'failed validation' } }, t + 5);
      yield finish();
      continue;
    }
    t += 20 + Math.floor(rand() * 200);
    if (rand() < 0.03) {
      emit({ type: 'rejected', data: { reason: 'no_coverage', detail: 'no endpoint holds this area' } }, t);
      yield finish();
      continue;
    }

    const kind = weighted(rand, [
      ['buyer', opts.buyers.length ? 4 : 0],
      ['location', opts.locations.length ? 3 : 0],
      ['agent', opts.agents.length ? 3 : 0],
    ] as const);
    let owner: string | undefined;
    let ownedAt = 0;
    let deliveredAt: number | undefined;

    if (kind === 'buyer' || kind === 'location') {
      const target = kind === 'buyer' ? pick(opts.buyers) : { id: pick(opts.locations), priceCents: undefined };
      emit({ type: 'routed', data: { configVersion: 1, outcome: 'assigned', endpointIds: [target.id], summary: `to ${target.id}` } }, t);
      t += logNormal(rand, 400, 0.8);
      if (rand() < 0.04) {
        emit({ type: 'delivery_failed', data: { endpointId: target.id, reason: 'HTTP 503 after 5 attempts' } }, t);
        t += logNormal(rand, 30 * SECOND, 0.5);
        if (rand() < 0.5) {
          emit({ type: 'escalated', data: { kind: 'undeliverable', reason: 'every candidate failed' } }, t);
          if (!opts.resolveEscalations || !opts.locations.length) {
            yield finish();
            continue;
          }
          // A manager hands it to a location by hand; the location takes it by delivery.
          t += logNormal(rand, 3 * HOUR, 0.6);
          const loc = pick(opts.locations);
          emit({ type: 'reassigned', data: { toEndpointId: loc, note: 'by hand after failed deliveries' } }, t, { userId: 'manager-1', role: 'manager' });
          t += logNormal(rand, 400, 0.5);
          emit({ type: 'delivered', data: { endpointId: loc, method: 'email', idempotencyKey: `${leadId}:${loc}` } }, t);
          deliveredAt = t;
          owner = loc;
          ownedAt = t;
        }
      }
      if (!owner) {
        emit(
          {
            type: 'delivered',
            data: {
              endpointId: target.id,
              method: 'http_post',
              idempotencyKey: `${leadId}:${target.id}`,
              ...(target.priceCents !== undefined ? { priceCents: target.priceCents } : {}),
            },
          },
          t,
        );
        deliveredAt = t;
        emit({ type: 'assigned', data: { endpointId: target.id, by: 'delivery' } }, t + 1);
        owner = target.id;
        ownedAt = t + 1;
      }
    } else {
      let round = 0;
      const tried: string[] = [];
      while (!owner && round < 3) {
        round += 1;
        let agent = opts.agents[agentTurn++ % opts.agents.length]!;
        if (tried.includes(agent)) agent = opts.agents.find((a) => !tried.includes(a)) ?? agent;
        tried.push(agent);
        if (round === 1) emit({ type: 'routed', data: { configVersion: 1, outcome: 'assigned', endpointIds: [agent], summary: `rotation to ${agent}` } }, t);
        t += logNormal(rand, 300, 0.6);
        emit({ type: 'delivered', data: { endpointId: agent, method: 'sms', idempotencyKey: `${leadId}:${agent}` } }, t);
        if (deliveredAt === undefined) deliveredAt = t;
        emit({ type: 'offered', data: { endpointIds: [agent], deadlineAt: t + deadline, round } }, t + 1);
        if (rand() < 0.78) {
          t += Math.min(deadline - SECOND, logNormal(rand, 3 * MINUTE, 0.9));
          emit({ type: 'claimed', data: { endpointId: agent, implicit: false } }, t, { userId: `user:${agent}`, role: 'agent' });
          owner = agent;
          ownedAt = t;
        } else {
          t += deadline;
          emit({ type: 'lapsed', data: { endpointIds: [agent], round } }, t);
        }
      }
      if (!owner) {
        emit({ type: 'escalated', data: { kind: 'claim_lapses', reason: 'three offers lapsed' } }, t + 1);
        if (opts.resolveEscalations || rand() < 0.6) {
          t += logNormal(rand, 2 * HOUR, 0.7);
          const agent = pick(opts.agents);
          emit({ type: 'reassigned', data: { toEndpointId: agent, note: 'by the desk manager' } }, t, { userId: 'manager-1', role: 'manager' });
          owner = agent;
          ownedAt = t;
        } else {
          yield finish();
          continue;
        }
      }
    }

    // Work: each later status is reached by a share of those who reached the one before.
    let st = ownedAt;
    const path: Array<[WorkStatus, number]> = [
      ['contacted', 0.75],
      ['appointment', 0.5],
      ['qualified', 0.6],
      ['won', 0.5],
    ];
    for (const [status, p] of path) {
      if (rand() >= p) {
        if (status !== 'contacted' && rand() < 0.5)
          emit({ type: 'status_changed', data: { status: 'lost' } }, st + logNormal(rand, 6 * HOUR, 0.8), { userId: `user:${owner}`, role: 'agent' });
        break;
      }
      st += logNormal(rand, status === 'contacted' ? 20 * MINUTE : 18 * HOUR, 0.8);
      emit({ type: 'status_changed', data: { status } }, st, { userId: `user:${owner}`, role: 'agent' });
    }

    const windowCloses = (deliveredAt ?? ownedAt) + opts.returnWindowMs;
    let credited = false;
    const r = rand();
    if (r < 0.09) {
      const at = Math.min(windowCloses - MINUTE, (deliveredAt ?? ownedAt) + logNormal(rand, 20 * HOUR, 1));
      emit({ type: 'return_accepted', data: { reason: pick(RETURN_REASONS), creditCents: source.costCents } }, at, {
        userId: `user:${owner}`,
        role: kind === 'buyer' ? 'buyer' : 'agent',
      });
      credited = true;
    } else if (r < 0.11) {
      emit({ type: 'return_refused', data: { reason: 'changed_mind', code: 'reason_not_allowed' } }, (deliveredAt ?? ownedAt) + logNormal(rand, 30 * HOUR, 1), {
        userId: `user:${owner}`,
        role: kind === 'buyer' ? 'buyer' : 'agent',
      });
    }
    emit({ type: 'billing_final', data: { billedCents: credited ? 0 : source.costCents } }, windowCloses);

    yield finish();
  }
}

/** A fixed set of US markets (real ZIPs, counties and zones) for generated leads. */
export const SAMPLE_MARKETS: LeadMarket[] = [
  { state: 'TX', countyFips: '48113', zip: '75201', city: 'Dallas', timeZone: 'America/Chicago' },
  { state: 'TX', countyFips: '48439', zip: '76102', city: 'Fort Worth', timeZone: 'America/Chicago' },
  { state: 'TX', countyFips: '48085', zip: '75024', city: 'Plano', timeZone: 'America/Chicago' },
  { state: 'TX', countyFips: '48121', zip: '76201', city: 'Denton', timeZone: 'America/Chicago' },
  { state: 'TX', countyFips: '48201', zip: '77002', city: 'Houston', timeZone: 'America/Chicago' },
  { state: 'TX', countyFips: '48453', zip: '78701', city: 'Austin', timeZone: 'America/Chicago' },
  { state: 'TX', countyFips: '48029', zip: '78205', city: 'San Antonio', timeZone: 'America/Chicago' },
  { state: 'OK', countyFips: '40109', zip: '73102', city: 'Oklahoma City', timeZone: 'America/Chicago' },
  { state: 'OK', countyFips: '40143', zip: '74103', city: 'Tulsa', timeZone: 'America/Chicago' },
  { state: 'AZ', countyFips: '04013', zip: '85004', city: 'Phoenix', timeZone: 'America/Phoenix' },
  { state: 'AZ', countyFips: '04019', zip: '85701', city: 'Tucson', timeZone: 'America/Phoenix' },
  { state: 'CO', countyFips: '08031', zip: '80202', city: 'Denver', timeZone: 'America/Denver' },
  { state: 'CO', countyFips: '08041', zip: '80903', city: 'Colorado Springs', timeZone: 'America/Denver' },
  { state: 'GA', countyFips: '13121', zip: '30303', city: 'Atlanta', timeZone: 'America/New_York' },
  { state: 'GA', countyFips: '13067', zip: '30060', city: 'Marietta', timeZone: 'America/New_York' },
  { state: 'FL', countyFips: '12086', zip: '33130', city: 'Miami', timeZone: 'America/New_York' },
  { state: 'FL', countyFips: '12095', zip: '32801', city: 'Orlando', timeZone: 'America/New_York' },
  { state: 'FL', countyFips: '12057', zip: '33602', city: 'Tampa', timeZone: 'America/New_York' },
  { state: 'NC', countyFips: '37119', zip: '28202', city: 'Charlotte', timeZone: 'America/New_York' },
  { state: 'NC', countyFips: '37183', zip: '27601', city: 'Raleigh', timeZone: 'America/New_York' },
  { state: 'TN', countyFips: '47037', zip: '37203', city: 'Nashville', timeZone: 'America/Chicago' },
  { state: 'TN', countyFips: '47157', zip: '38103', city: 'Memphis', timeZone: 'America/Chicago' },
  { state: 'NV', countyFips: '32003', zip: '89101', city: 'Las Vegas', timeZone: 'America/Los_Angeles' },
  { state: 'CA', countyFips: '06037', zip: '90012', city: 'Los Angeles', timeZone: 'America/Los_Angeles' },
];

/** A month of traffic for a small network: three sources (one flat), two buyers, two locations, three agents. */
export const SAMPLE_OPTIONS: GeneratorOptions = {
  tenantId: 't1',
  seed: 11,
  start: Date.UTC(2026, 2, 1, 6),
  days: 31,
  leads: 3000,
  sources: [
    { id: 'web', costCents: 2500, weight: 3 },
    { id: 'affiliate', costCents: 1800, weight: 2 },
    { id: 'flatco', costCents: 0, weight: 1 },
  ],
  markets: SAMPLE_MARKETS,
  buyers: [
    { id: 'buyer-1', priceCents: 4500 },
    { id: 'buyer-2', priceCents: 3900 },
  ],
  locations: ['loc-1', 'loc-2'],
  agents: ['agent-1', 'agent-2', 'agent-3'],
  returnWindowMs: 7 * 86_400_000,
};
