import type { Role } from '../domain/lifecycle/actor.ts';
import type { TenantConfigInput } from '../schema/tenant-config.ts';

export const DEMO_TENANT = { id: 'demo', name: 'Demo Home Services' };
export const DEMO_SOURCE_ID = 'website';

// Downtown Dallas (ZIP 75201) and downtown Fort Worth (76102).
const DALLAS = { lat: 32.7876, lon: -96.7994 };
const FORT_WORTH = { lat: 32.7555, lon: -97.3308 };

/**
 * The demo tenant's configuration for `npm start`: a website source, a
 * plumbing desk of two agents in a rotation (they claim their leads in the
 * app), two HVAC branches with exclusive areas around Dallas and Fort Worth,
 * a roofing buyer sharing Texas, and a Texas call center as the fallback.
 * Every endpoint delivers in the app (no delivery methods): nothing is sent
 * to any host.
 */
export const DEMO_CONFIG: TenantConfigInput = {
  tenant: { id: DEMO_TENANT.id, name: DEMO_TENANT.name, timeZone: 'America/Chicago', serviceLines: ['plumbing', 'hvac', 'roofing'] },
  sources: [
    {
      id: DEMO_SOURCE_ID,
      name: 'Demo website',
      costBasis: { kind: 'per_lead', amountCents: 2000 },
      requiredFields: ['phone', 'zip'],
      defaultServiceLine: 'plumbing',
      returnWindowSec: 7 * 86_400,
      allowedReturnReasons: ['duplicate', 'wrong_number', 'out_of_area', 'non_responsive'],
      maxReturnRate: 0.25,
    },
  ],
  endpoints: [
    { id: 'alice', name: 'Alice (plumbing desk)', kind: 'agent', serviceLines: ['plumbing'], caps: { daily: 50 } },
    { id: 'bob', name: 'Bob (plumbing desk)', kind: 'agent', serviceLines: ['plumbing'], caps: { daily: 50 } },
    {
      id: 'dallas-hvac',
      name: 'Dallas HVAC branch',
      kind: 'location',
      serviceLines: ['hvac'],
      licensedStates: ['TX'],
      territories: [{ id: 'dallas-hvac-core', kind: 'exclusive', radius: { ...DALLAS, miles: 15 }, serviceLines: ['hvac'] }],
    },
    {
      id: 'fort-worth-hvac',
      name: 'Fort Worth HVAC branch',
      kind: 'location',
      serviceLines: ['hvac'],
      licensedStates: ['TX'],
      territories: [{ id: 'fort-worth-hvac-core', kind: 'exclusive', radius: { ...FORT_WORTH, miles: 15 }, serviceLines: ['hvac'] }],
    },
    {
      id: 'roofing-partner',
      name: 'Lone Star Roofing (buyer)',
      kind: 'buyer',
      serviceLines: ['roofing'],
      bidCents: 3500,
      territories: [{ id: 'roofing-tx', kind: 'shared', states: ['TX'], serviceLines: ['roofing'] }],
    },
    { id: 'tx-call-center', name: 'Texas call center', kind: 'call_center', territories: [{ id: 'tx-fallback', kind: 'fallback', states: ['TX'] }] },
  ],
  rotations: [{ id: 'plumbing-desk', name: 'Plumbing desk', members: ['alice', 'bob'], claimDeadlineSec: 900, maxLapses: 2 }],
  routingPlans: [
    {
      id: 'website-plumbing',
      name: 'Website plumbing leads',
      sourceId: 'website',
      serviceLine: 'plumbing',
      tiers: [
        { name: 'plumbing desk', selector: { rotationId: 'plumbing-desk' }, algorithm: 'round_robin' },
        { name: 'call center', selector: { territoryKinds: ['fallback'] } },
      ],
    },
  ],
};

export interface DemoUser {
  email: string;
  password: string;
  role: Role;
  name: string;
  endpointId?: string;
  sourceId?: string;
}

/** Development only: `npm start` creates these in the demo tenant; the README's tour signs in with them. */
export const DEMO_USERS: DemoUser[] = [
  { email: 'admin@demo.example', password: 'switchyard-demo-admin', role: 'admin', name: 'Demo admin' },
  { email: 'ops@demo.example', password: 'switchyard-demo-ops', role: 'ops', name: 'Olivia Ops' },
  { email: 'manager@demo.example', password: 'switchyard-demo-manager', role: 'manager', name: 'Manny Manager' },
  { email: 'alice@demo.example', password: 'switchyard-demo-agent', role: 'agent', name: 'Alice', endpointId: 'alice' },
  { email: 'bob@demo.example', password: 'switchyard-demo-agent', role: 'agent', name: 'Bob', endpointId: 'bob' },
  { email: 'vendor@demo.example', password: 'switchyard-demo-vendor', role: 'vendor', name: 'Website vendor', sourceId: 'website' },
  { email: 'buyer@demo.example', password: 'switchyard-demo-buyer', role: 'buyer', name: 'Lone Star Roofing', endpointId: 'roofing-partner' },
];
