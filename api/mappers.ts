import type { StoredConfig } from '../db/config-store.ts';
import type { LeadState } from '../domain/lifecycle/lead-state.ts';
import type { EndpointReportRow, SourceReportRow, SpeedRow } from '../domain/reporting/report-rows.ts';
import type { EndpointReportArgs, SourceReportArgs, SpeedArgs } from '../domain/reporting/report-args.ts';
import type { Statement, StatementLine } from '../domain/reporting/statements.ts';
import type { TenantConfigDocument } from '../schema/tenant-config.ts';
import type { ApiKeyInfo } from '../services/api-keys.ts';
import type { ReportResult } from '../services/reports.ts';
import type { UserInfo } from '../services/users.ts';
import type { OfferEvent } from './offers-pubsub.ts';

/**
 * The domain objects GraphQL types are resolved from: GraphQL Code
 * Generator's `mappers` (scripts/codegen.ts) make each of these the parent
 * type of its GraphQL type's field resolvers, and what a resolver returning
 * that type must give. Types not listed here are returned in their GraphQL
 * shape.
 */
export type LeadParent = LeadState;
export type UserParent = UserInfo;
export type ApiKeyParent = ApiKeyInfo;

export type TenantConfigParent = StoredConfig<TenantConfigDocument>;
export type SourceConfigParent = TenantConfigDocument['sources'][number];
export type EndpointConfigParent = TenantConfigDocument['endpoints'][number];
export type TerritoryConfigParent = TenantConfigDocument['territories'][number];
export type RotationConfigParent = TenantConfigDocument['rotations'][number];
export type RoutingPlanConfigParent = TenantConfigDocument['routingPlans'][number];

/** An offer as the inbox or a publish gives it, with the tenant for reading its lead. */
export interface OfferParent extends OfferEvent {
  tenantId: string;
  endpointId: string;
  /** The lead as read when the offer was found; read again when absent. */
  lead?: LeadState;
}

export type SourceReportParent = ReportResult<SourceReportRow, SourceReportArgs>;
export type EndpointReportParent = ReportResult<EndpointReportRow, EndpointReportArgs>;
export type SpeedReportParent = ReportResult<SpeedRow, SpeedArgs>;
export type SourceReportRowParent = SourceReportRow;
export type SpeedRowParent = SpeedRow;
export type StatementParent = Statement;
export type StatementLineParent = StatementLine;
