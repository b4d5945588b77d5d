import type { Role } from '../lifecycle/actor.ts';
import type { AlertSettings } from '../../schema/alert-settings.ts';

/** A user as alerts see them. */
export interface Person {
  userId: string;
  name: string;
  role: Role;
  email?: string;
  endpointId?: string;
  alerts?: AlertSettings;
  disabled?: boolean;
}

/** Where an endpoint sits: the team, location and parent it counts under. */
export interface Placement {
  teamId?: string;
  locationId?: string;
  parentId?: string;
}

/** Who a notice is for. */
export interface Audience {
  /** The people working these endpoints (an agent's user, a location's staff). */
  endpointIds: readonly string[];
  /** The managers over `concerns` (every manager of the tenant when it names none). */
  managers?: boolean;
  concerns?: readonly string[];
  /** Named people (the one a lead is shared with). */
  userIds?: readonly string[];
  /** Whoever caused the notice is not told about it. */
  except?: string;
}

/** The endpoint and everything it counts under, nearest first (a cycle in bad data ends the walk). */
export function lineOf(endpointId: string, placements: ReadonlyMap<string, Placement>): string[] {
  const out: string[] = [];
  const queue = [endpointId];
  while (queue.length > 0 && out.length < 32) {
    const id = queue.shift()!;
    if (out.includes(id)) continue;
    out.push(id);
    const p = placements.get(id);
    for (const up of [p?.teamId, p?.locationId, p?.parentId]) if (up) queue.push(up);
  }
  return out;
}

/**
 * Who hears of a notice: the people bound to its endpoints, the managers
 * over what it concerns (a manager bound to a location manages its teams and
 * agents; one bound to nothing manages the tenant), and anyone named. Each
 * person once; disabled users and the one who acted are left out.
 */
export function recipientsOf(audience: Audience, people: readonly Person[], placements: ReadonlyMap<string, Placement>): Person[] {
  const bound = new Set(audience.endpointIds);
  const named = new Set(audience.userIds ?? []);
  const concerns = audience.concerns ?? [];
  const over = new Set(concerns.flatMap((id) => lineOf(id, placements)));
  const manages = (p: Person) => p.role === 'manager' && (!p.endpointId || concerns.length === 0 || over.has(p.endpointId));
  return people.filter(
    (p) =>
      !p.disabled &&
      p.userId !== audience.except &&
      ((p.endpointId !== undefined && bound.has(p.endpointId)) || named.has(p.userId) || (audience.managers === true && manages(p))),
  );
}
