export const ROLES = ['admin', 'ops', 'manager', 'agent', 'vendor', 'buyer'] as const;
export type Role = (typeof ROLES)[number];

/** Who does something. Agents and buyers act for an endpoint; vendors for a source. */
export interface Actor {
  userId: string;
  role: Role;
  tenantId: string;
  endpointId?: string;
  sourceId?: string;
}

/** The workflow itself, for events no person caused (timers, routing). */
export const SYSTEM_ACTOR: Actor = { userId: 'system', role: 'ops', tenantId: '*' };

export const isManager = (a: Actor) => a.role === 'manager' || a.role === 'admin' || a.role === 'ops';
