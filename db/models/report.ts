import { Schema, type Connection, type Model } from 'mongoose';
import { endpointFactId, type EndpointFact, type LeadFact } from '../../domain/reporting/facts.ts';
import type { Block } from '../../domain/reporting/blocks.ts';
import { rollupId, type RollupKind } from '../../domain/reporting/rollups.ts';

/**
 * Facts live in one collection, `report_facts`, told apart by `fact`: a
 * lead's facts and its receivers' are written together, so one insert (or
 * one bulk replace) carries them all.
 */
/** One per lead, `_id` = lead id; replaced whole from the lead's events. */
export type LeadFactDoc = LeadFact & { _id: string; fact: 'lead' };
/** One per lead and receiver, `_id` = `${leadId}|${endpointId}`. */
export type EndpointFactDoc = EndpointFact & { _id: string; fact: 'endpoint' };

export const toLeadFactDoc = (f: LeadFact): LeadFactDoc => ({ _id: f.leadId, fact: 'lead', ...f });
export const toEndpointFactDoc = (f: EndpointFact): EndpointFactDoc => ({ _id: endpointFactId(f), fact: 'endpoint', ...f });
/** The fact itself, without its storage fields. */
export const factOf = <T extends { _id: string; fact: string }>({ _id, fact, ...rest }: T) => rest;

/**
 * A rollup block: `_id` = `${tenantId}|${kind}|${span}|${start}`. The rows
 * travel as one JSON text: on the FerretDB test server a text field decodes
 * about thirty times faster than the same rows as sub-documents, and nothing
 * ever queries inside a block (reports fetch blocks by `_id` and merge them).
 */
export interface RollupDoc {
  _id: string;
  tenantId: string;
  kind: RollupKind;
  span: number;
  start: string;
  rowCount: number;
  rows: string;
  builtAt: Date;
}

export const toRollupDoc = (tenantId: string, b: Block): RollupDoc => ({
  _id: rollupId(tenantId, b.kind, b.span, b.start),
  tenantId,
  kind: b.kind,
  span: b.span,
  start: b.start,
  rowCount: b.rows.length,
  rows: JSON.stringify(b.rows),
  builtAt: new Date(),
});

/** "These days changed": inserted (never updated) after facts are written, deleted once folded into the rollups; in `report_facts` beside them. */
export interface ReportMarkDoc {
  _id: string;
  fact: 'mark';
  tenantId: string;
  days: string[];
  at: Date;
}

/** Who is refreshing a tenant's rollups; taken by unique insert, expires so a crashed holder cannot block forever. */
export interface ReportLeaseDoc {
  _id: string;
  holder: string;
  expiresAt: number;
}

const loose = { versionKey: false, strict: false, minimize: false } as const;

const LeadFactSchema = new Schema({ _id: String, fact: String, tenantId: String, sourceId: String, day: String, month: String }, loose);
LeadFactSchema.index({ tenantId: 1, fact: 1, day: 1 });
LeadFactSchema.index({ tenantId: 1, fact: 1, sourceId: 1, month: 1 });

const EndpointFactSchema = new Schema({ _id: String, fact: String, tenantId: String, endpointId: String, day: String, billingMonth: String }, loose);
EndpointFactSchema.index({ tenantId: 1, fact: 1, endpointId: 1, billingMonth: 1 });

const RollupSchema = new Schema({ _id: String, tenantId: String, kind: String, span: Number, start: String }, loose);
RollupSchema.index({ tenantId: 1, kind: 1, span: 1, start: 1 });

const MarkSchema = new Schema({ _id: String, fact: String, tenantId: String }, loose);

const LeaseSchema = new Schema({ _id: String }, loose);

function model<T>(conn: Connection, name: string, schema: Schema, collection: string): Model<T> {
  return (conn.models[name] as Model<T> | undefined) ?? conn.model<T>(name, schema as unknown as Schema<T>, collection);
}

export const leadFactModel = (conn: Connection) => model<LeadFactDoc>(conn, 'ReportLeadFact', LeadFactSchema, 'report_facts');
export const endpointFactModel = (conn: Connection) => model<EndpointFactDoc>(conn, 'ReportEndpointFact', EndpointFactSchema, 'report_facts');
export const rollupModel = (conn: Connection) => model<RollupDoc>(conn, 'ReportRollup', RollupSchema, 'report_rollups');
export const reportMarkModel = (conn: Connection) => model<ReportMarkDoc>(conn, 'ReportMark', MarkSchema, 'report_facts');
export const reportLeaseModel = (conn: Connection) => model<ReportLeaseDoc>(conn, 'ReportLease', LeaseSchema, 'report_leases');
