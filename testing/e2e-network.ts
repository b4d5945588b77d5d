import type { TenantConfigInput } from '../schema/tenant-config.ts';
import type { TestUser } from './lead-api-harness.ts';

/**
 * The end-to-end tenant: a web form source, a plumbing desk of two agents
 * (whose CRM webhooks are the local receiver) that must claim their leads,
 * and a roofing buyer holding Texas that owns what it is delivered.
 */
export function e2eNetwork(receiverUrl: string, opts: { agentDailyCap?: number } = {}): TenantConfigInput {
  const post = (path: string) => [
    {
      type: 'http_post' as const,
      url: `${receiverUrl}${path}`,
      fields: { lead_id: '{{leadId}}', name: '{{fullName}}', phone: '{{phone}}', zip: '{{zip}}', service: '{{serviceLine}}' },
    },
  ];
  const caps = opts.agentDailyCap ? { daily: opts.agentDailyCap } : {};
  return {
    tenant: { id: 'e2e', name: 'E2E Home Services', timeZone: 'America/Chicago', serviceLines: ['plumbing', 'roofing'] },
    sources: [
      {
        id: 'webform',
        name: 'Web form',
        costBasis: { kind: 'per_lead', amountCents: 2500 },
        fieldMapping: {
          first_name: 'firstName',
          last_name: 'lastName',
          phone_number: 'phone',
          email_address: 'email',
          street_address: 'street',
          postal_code: 'zip',
          service: 'serviceLine',
          ref: 'externalId',
          consent_text: 'consentText',
          consent_at: 'consentTimestamp',
          consent_ip: 'consentIp',
          page_url: 'consentPageUrl',
        },
        requiredFields: ['phone', 'zip'],
        defaultServiceLine: 'plumbing',
        returnWindowSec: 7 * 86_400,
        maxReturnRate: 1,
      },
    ],
    endpoints: [
      { id: 'agent-a', name: 'Agent A', kind: 'agent', deliveryMethods: post('/crm/agent-a'), caps },
      { id: 'agent-b', name: 'Agent B', kind: 'agent', deliveryMethods: post('/crm/agent-b'), caps },
      {
        id: 'roof-buyer',
        name: 'Roof Buyer',
        kind: 'buyer',
        serviceLines: ['roofing'],
        deliveryMethods: post('/buyer'),
        territories: [{ kind: 'exclusive', states: ['TX'], serviceLines: ['roofing'] }],
        bidCents: 4000,
      },
    ],
    rotations: [{ id: 'desk', name: 'Plumbing desk', members: ['agent-a', 'agent-b'], claimDeadlineSec: 900 }],
    routingPlans: [
      {
        id: 'plumbing-desk',
        sourceId: 'webform',
        serviceLine: 'plumbing',
        tiers: [{ name: 'desk rotation', selector: { rotationId: 'desk' }, algorithm: 'round_robin' }],
      },
      { id: 'roofing-buyers', sourceId: 'webform', serviceLine: 'roofing', tiers: [{ name: 'roofing buyers', selector: { territoryKinds: ['exclusive'] } }] },
    ],
  };
}

export const E2E_USERS: TestUser[] = [
  { email: 'ops@e2e.test', role: 'ops' },
  { email: 'manager@e2e.test', role: 'manager' },
  { email: 'agent-a@e2e.test', role: 'agent', endpointId: 'agent-a' },
  { email: 'agent-b@e2e.test', role: 'agent', endpointId: 'agent-b' },
  { email: 'vendor@e2e.test', role: 'vendor', sourceId: 'webform' },
  { email: 'buyer@e2e.test', role: 'buyer', endpointId: 'roof-buyer' },
];

let n = 0;
/** A web form submission as a browser posts it (all strings), unique per call. */
export function formFields(extra: Record<string, string> = {}): Record<string, string> {
  n += 1;
  const k = (Date.now() % 1_000_000) * 10 + n;
  return {
    first_name: 'Grace',
    last_name: 'Hopper',
    phone_number: `(214) ${String(200 + (k % 700)).padStart(3, '0')}-${String(1000 + (k % 9000)).padStart(4, '0')}`,
    email_address: `grace.${k}@example.com`,
    street_address: '1200 Main Street',
    city: 'Dallas',
    state: 'TX',
    postal_code: '75201',
    ref: `form-${k}`,
    consent_text: 'I agree to be contacted by phone, text message and email.',
    consent_at: new Date().toISOString(),
    consent_ip: '198.51.100.23',
    page_url: 'https://e2e.example/quote',
    ...extra,
  };
}
