import type { TenantConfigInput } from '../schema/tenant-config.ts';

export const LOAD_TENANT = 'loadtest';

/** Dallas–Fort Worth ZIPs the generated leads live in. */
export const LOAD_ZIPS = [
  '75201',
  '75202',
  '75204',
  '75205',
  '75206',
  '75207',
  '75208',
  '75209',
  '75210',
  '75211',
  '75212',
  '75214',
  '75215',
  '75216',
  '75217',
  '75218',
  '75219',
  '75220',
  '75223',
  '75224',
  '75225',
  '75226',
  '75227',
  '75228',
  '75229',
  '75230',
  '75231',
  '75232',
  '75233',
  '75234',
  '75235',
  '75236',
  '75237',
  '75238',
  '75240',
  '75241',
  '75243',
  '75244',
  '75246',
  '75247',
  '75248',
  '75249',
  '75251',
  '75252',
  '75253',
  '75254',
];

/**
 * The load tenant: 23 franchise locations holding two ZIPs each exclusively
 * (hourly and daily caps, some of which a busy run fills), two shared zones,
 * and a Texas call center taking what no franchise can, all delivering by
 * HTTP POST to the run's local receiver; a desk of agents for memory runs.
 */
export function loadNetwork(receiverUrl: string, opts: { claimDeadlineSec?: number } = {}): TenantConfigInput {
  const post = (path: string) => [
    {
      type: 'http_post' as const,
      url: `${receiverUrl}/${path}`,
      fields: { name: '{{fullName}}', phone: '{{phone}}', zip: '{{zip}}', service: '{{serviceLine}}' },
    },
  ];
  const franchises = Array.from({ length: LOAD_ZIPS.length / 2 }, (_, i) => ({
    id: `fr-${i}`,
    name: `Franchise ${i}`,
    kind: 'location' as const,
    deliveryMethods: post(`fr-${i}`),
    caps: { hourly: 40, daily: 60 },
    bidCents: 2500 + i * 10,
    territories: [{ kind: 'exclusive' as const, zips: LOAD_ZIPS.slice(i * 2, i * 2 + 2) }],
  }));
  return {
    tenant: { id: LOAD_TENANT, name: 'Load test brand', timeZone: 'America/Chicago', serviceLines: ['plumbing', 'hvac'] },
    sources: [
      {
        id: 'web',
        name: 'Web forms',
        costBasis: { kind: 'per_lead', amountCents: 2000 },
        defaultServiceLine: 'plumbing',
        validation: { requireConsent: false },
        duplicateWindowSec: 86_400,
      },
      {
        id: 'desk',
        name: 'Desk campaign',
        costBasis: { kind: 'per_lead', amountCents: 1500 },
        defaultServiceLine: 'plumbing',
        validation: { requireConsent: false },
        duplicateWindowSec: 86_400,
      },
    ],
    endpoints: [
      ...franchises,
      {
        id: 'shared-a',
        name: 'Shared North A',
        kind: 'location',
        deliveryMethods: post('shared-a'),
        caps: { daily: 200 },
        territories: [{ kind: 'shared', zips: ['75230', '75240', '75248', '75252'] }],
      },
      {
        id: 'shared-b',
        name: 'Shared North B',
        kind: 'location',
        deliveryMethods: post('shared-b'),
        caps: { daily: 200 },
        territories: [{ kind: 'shared', zips: ['75230', '75240', '75248', '75252'] }],
      },
      {
        id: 'callcenter',
        name: 'Texas Call Center',
        kind: 'call_center',
        deliveryMethods: post('callcenter'),
        territories: [{ kind: 'fallback', states: ['TX'] }],
      },
      ...Array.from({ length: 5 }, (_, i) => ({ id: `agent-${i}`, name: `Agent ${i}`, kind: 'agent' as const })),
    ],
    rotations: [
      {
        id: 'desk',
        name: 'Agent desk',
        members: Array.from({ length: 5 }, (_, i) => `agent-${i}`),
        claimDeadlineSec: opts.claimDeadlineSec ?? 86_400,
        maxLapses: 5,
      },
    ],
    routingPlans: [{ id: 'desk-plan', sourceId: 'desk', tiers: [{ name: 'desk', selector: { rotationId: 'desk' }, algorithm: 'round_robin' }] }],
  };
}

/** A lead of its own (unique phone, email and external id) in one of the load ZIPs. */
export function loadLead(i: number, runId: string): Record<string, unknown> {
  let offset = 0;
  for (const ch of runId) offset = (offset * 31 + ch.charCodeAt(0)) % 7_000_000;
  return {
    externalId: `${runId}-${i}`,
    firstName: 'Pat',
    lastName: `Load${i}`,
    phone: `+1214${String(2_000_000 + ((offset + i * 7919) % 7_000_000)).padStart(7, '0')}`,
    email: `pat.${runId}.${i}@example.com`,
    city: 'Dallas',
    state: 'TX',
    zip: LOAD_ZIPS[(i * 31) % LOAD_ZIPS.length],
    serviceLine: i % 5 === 0 ? 'hvac' : 'plumbing',
    consentText: 'I agree to be contacted by phone, text message and email.',
    consentTimestamp: new Date().toISOString(),
  };
}
