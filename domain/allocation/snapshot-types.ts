import type { EndpointKind, Order } from '../../schema/endpoint.ts';
import type { Algorithm, ValidationCondition, WhenClosed } from '../../schema/routing-plan.ts';
import type { TerritoryKind } from '../../schema/territory.ts';
import type { CapWindow } from './cap-windows.ts';
import type { CompiledSchedule } from './schedule.ts';

/** How narrow the matched area is: a carve-out removes grants at its own level and wider. */
export const LEVEL = { zip: 0, radius: 1, county: 2, state: 3 } as const;
export type Level = (typeof LEVEL)[keyof typeof LEVEL];
export const LEVEL_NAME = ['ZIP', 'radius', 'county', 'state'] as const;

export interface CompiledGrant {
  id: string;
  endpointId: string;
  kind: TerritoryKind;
  priceFactor: number;
  /** null = every service line */
  serviceLines: ReadonlySet<string> | null;
}

export interface CompiledCarveOut {
  id: string;
  /** undefined = every endpoint */
  endpointId: string | undefined;
  serviceLines: ReadonlySet<string> | null;
}

export interface LevelRef<T> {
  item: T;
  level: Level;
}

export interface RadiusEntry<T> {
  item: T;
  lat: number;
  lon: number;
  miles: number;
}

export interface AreaIndex<T> {
  zip: ReadonlyMap<string, readonly T[]>;
  county: ReadonlyMap<string, readonly T[]>;
  state: ReadonlyMap<string, readonly T[]>;
  /** 1° × 1° cells → radius entries whose circle may reach the cell */
  radiusCells: ReadonlyMap<number, ReadonlyArray<RadiusEntry<T>>>;
  radiusCount: number;
}

export interface CompiledOrder extends Order {
  scope: string;
}

export interface CompiledEndpoint {
  id: string;
  name: string;
  kind: EndpointKind;
  /** position in the configuration: the stable tie-break */
  index: number;
  serviceLines: ReadonlySet<string> | null;
  licensedStates: ReadonlySet<string> | null;
  zone: string;
  schedule: CompiledSchedule | null;
  caps: Partial<Record<CapWindow | 'openUnclaimed', number>>;
  capWindows: readonly CapWindow[];
  weight: number;
  priority: number;
  bidCents: number;
  orders: readonly CompiledOrder[];
  /** A hand-set score; undefined means measured from the endpoint's own results. */
  performanceScore: number | undefined;
  paused: boolean;
  teamId: string | undefined;
  locationId: string | undefined;
  tags: ReadonlySet<string>;
  claimRequired: boolean;
  openScope: string;
  capScopePrefix: string;
  /** Agents and teams under this endpoint: they inherit its territory. */
  dependents: readonly string[];
  /** Everything above it (team, location, network), nearest first: their caps count this endpoint's leads too. */
  ancestors: readonly string[];
  pace: CompiledPace | undefined;
}

export interface CompiledRotation {
  id: string;
  name: string;
  members: readonly string[];
  claimDeadlineSec: number;
  maxLapses: number;
  pauseDeadlineOutsideHours: boolean;
}

export interface CompiledTier {
  index: number;
  name: string;
  algorithm: Algorithm;
  kinds: ReadonlySet<TerritoryKind> | null;
  /** Candidates fixed by the selector (rotation, list, team, tag), in order; null = territory holders. */
  fixed: readonly CompiledEndpoint[] | null;
  /** Extra filter on territory holders when the selector also names teams, tags or endpoints. */
  filter: ReadonlySet<string> | null;
  rotation: CompiledRotation | undefined;
  turnScope: string;
  tallyPrefix: string;
  broadcastCount: number;
  percentages: ReadonlyMap<string, number> | null;
  claimDeadlineSec: number | undefined;
  whenClosed: 'next' | WhenClosed;
  /** Walked only when a closed lead is sent to after-hours coverage. */
  afterHours: boolean;
  /** A lead that reaches this tier waits in the review queue. */
  review: boolean;
  onlyIf: ValidationCondition | undefined;
  skipIf: ValidationCondition | undefined;
  pace: CompiledPace | undefined;
}

/** A metered queue: leads take its slots in order, `intervalMs` apart. */
export interface CompiledPace {
  scope: string;
  perHour: number;
  intervalMs: number;
}

export interface CompiledPlan {
  id: string;
  tiers: readonly CompiledTier[];
  whenClosed: WhenClosed;
}

export interface Snapshot {
  version: number;
  tenantId: string;
  tenantTimeZone: string;
  endpoints: ReadonlyMap<string, CompiledEndpoint>;
  grants: AreaIndex<CompiledGrant>;
  carveOuts: AreaIndex<CompiledCarveOut>;
  plans: ReadonlyMap<string, CompiledPlan>;
  defaultPlan: CompiledPlan;
  zipGrantCount: number;
  /** What a lead of each source costs (per lead or per accepted lead; 0 for flat fees). */
  sourceCosts: ReadonlyMap<string, number>;
}
