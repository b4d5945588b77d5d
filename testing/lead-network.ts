import type { TenantConfigInput } from '../schema/tenant-config.ts';

export interface NetworkUrls {
  /** Receives deliveries that succeed. */
  ok: string;
  /** Answers 503: deliveries there are retried, then fail over. */
  flaky: string;
  /** Answers 422: deliveries there fail over at once. */
  refusing: string;
}

/**
 * An `Etc/GMT` zone in which `now` is about noon, so a schedule written in
 * local hours ("open until 12:02") behaves the same whatever time the tests run.
 */
export function noonZone(now: number): { zone: string; localMinute: number } {
  const utcHour = new Date(now).getUTCHours();
  const offset = 12 - utcHour; // hours east of UTC, -11..12
  // Etc/GMT signs are inverted: Etc/GMT-5 is UTC+5.
  const zone = offset === 0 ? 'Etc/GMT' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
  const d = new Date(now + offset * 3600_000);
  return { zone, localMinute: d.getUTCHours() * 60 + d.getUTCMinutes() };
}

/** A test source: $25 a lead, phone and ZIP required, plumbing by default, no consent required, a 7-day return window. */
export const testSource = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  name: `Source ${id}`,
  costBasis: { kind: 'per_lead' as const, amountCents: 2500 },
  requiredFields: ['phone' as const, 'zip' as const],
  defaultServiceLine: 'plumbing',
  validation: { requireConsent: false },
  returnWindowSec: 7 * 86_400,
  ...extra,
});

const hm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
const EVERY_DAY = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/**
 * The workflow tests' tenant: a Dallas franchise holding 75201, a flaky and a
 * refusing holder (75204, 75206) backed by a Texas call center, an agent desk
 * rotation, a broadcast plan, a night desk whose claim clock pauses when its
 * agent closes two minutes after `now`, a strict plan with no fallback, and a
 * source in manual distribution.
 */
export function leadTestNetwork(urls: NetworkUrls, now: number): TenantConfigInput {
  const { zone, localMinute } = noonZone(now);
  const hours = [`${hm(localMinute - 60)}-${hm(localMinute + 2)}`];
  const source = (id: string, extra: Record<string, unknown> = {}) => testSource(id, { maxReturnRate: 0.5, ...extra });
  const post = (url: string) => [{ type: 'http_post' as const, url, fields: { name: '{{fullName}}', phone: '{{phone}}', zip: '{{zip}}' } }];
  return {
    tenant: { id: 'acme', name: 'Acme Home Services', timeZone: 'America/Chicago', serviceLines: ['plumbing'] },
    sources: [
      source('web', {
        autoResponse: {
          sms: 'Thanks {{firstName}}, a plumber will call you shortly.',
          email: { subject: 'We got your request', body: 'Hi {{firstName}}, thanks for your request.' },
        },
      }),
      source('desk'),
      source('night'),
      source('broadcast'),
      source('strict'),
      source('manual', { manualDistribution: true }),
    ],
    endpoints: [
      {
        id: 'dallas',
        name: 'Acme Dallas',
        kind: 'location',
        deliveryMethods: post(`${urls.ok}/dallas`),
        territories: [{ kind: 'exclusive', zips: ['75201'] }],
        bidCents: 3000,
      },
      {
        id: 'flaky',
        name: 'Flaky Franchise',
        kind: 'location',
        deliveryMethods: post(`${urls.flaky}/flaky`),
        territories: [{ kind: 'exclusive', zips: ['75204'] }],
      },
      {
        id: 'refuser',
        name: 'Refusing Franchise',
        kind: 'location',
        deliveryMethods: post(`${urls.refusing}/refuser`),
        territories: [{ kind: 'exclusive', zips: ['75206'] }],
      },
      {
        id: 'callcenter',
        name: 'Texas Call Center',
        kind: 'call_center',
        deliveryMethods: post(`${urls.ok}/callcenter`),
        territories: [{ kind: 'fallback', states: ['TX'] }],
      },
      { id: 'agent-a', name: 'Agent A', kind: 'agent' },
      { id: 'agent-b', name: 'Agent B', kind: 'agent' },
      { id: 'agent-c', name: 'Agent C', kind: 'agent' },
      { id: 'agent-n', name: 'Night Agent', kind: 'agent', schedule: { timeZone: zone, hours: Object.fromEntries(EVERY_DAY.map((d) => [d, hours])) } },
    ],
    rotations: [
      { id: 'desk', name: 'Agent desk', members: ['agent-a', 'agent-b', 'agent-c'], claimDeadlineSec: 300, maxLapses: 2 },
      { id: 'night', name: 'Night desk', members: ['agent-n'], claimDeadlineSec: 300, maxLapses: 1, pauseDeadlineOutsideHours: true },
    ],
    routingPlans: [
      { id: 'desk-plan', sourceId: 'desk', tiers: [{ name: 'desk rotation', selector: { rotationId: 'desk' }, algorithm: 'round_robin' }] },
      { id: 'night-plan', sourceId: 'night', tiers: [{ name: 'night desk', selector: { rotationId: 'night' }, algorithm: 'round_robin' }] },
      {
        id: 'broadcast-plan',
        sourceId: 'broadcast',
        tiers: [{ name: 'whole desk at once', selector: { rotationId: 'desk' }, algorithm: 'broadcast', broadcastCount: 3, claimDeadlineSec: 300 }],
      },
      { id: 'strict-plan', sourceId: 'strict', tiers: [{ name: 'exclusive only', selector: { territoryKinds: ['exclusive'] }, algorithm: 'round_robin' }] },
    ],
  };
}

let n = 0;
/** A lead payload with a phone and email of its own (so no two test leads are duplicates). */
export function testLead(extra: Record<string, unknown> = {}): Record<string, unknown> {
  n += 1;
  const k = (Date.now() % 100_000) * 10 + n;
  return {
    externalId: `ext-${k}-${n}`,
    firstName: 'Ada',
    lastName: 'Lovelace',
    phone: `+1214${String(2_000_000 + (k % 7_000_000)).padStart(7, '0')}`,
    email: `ada.${k}.${n}@example.com`,
    street: '1 Main St',
    city: 'Dallas',
    state: 'TX',
    zip: '75201',
    consentText: 'I agree to be contacted by phone, text message and email.',
    consentTimestamp: new Date().toISOString(),
    consentIp: '203.0.113.9',
    consentPageUrl: 'https://acme.example/quote',
    ...extra,
  };
}
