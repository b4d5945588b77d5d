import { Schema, type Connection, type Model } from 'mongoose';
import type { SuppressionList } from '../../domain/validation/suppression.ts';

/**
 * One document per suppressed value in one list. `_id` is the natural key
 * (scope, list, state, kind, value), and a unique index on the same fields
 * states it in the schema, so loading the same file twice inserts nothing new.
 * `scope` is `global` (federal and state registries, shared by every tenant)
 * or `tenant:<id>` (a tenant's own lists). Phones are E.164, emails lower case.
 */
export interface SuppressionDoc {
  _id: string;
  scope: string;
  list: SuppressionList;
  /** Two-letter state for a state list, '' otherwise (so the unique key has no nulls). */
  state: string;
  kind: 'phone' | 'email';
  value: string;
  addedAt: Date;
  /** Where the entry came from (file name, "opt-out reply", ...). */
  source?: string;
}

const SuppressionSchema = new Schema<SuppressionDoc>(
  {
    _id: { type: String, required: true },
    scope: { type: String, required: true },
    list: { type: String, required: true, enum: ['federal', 'state', 'internal'] },
    state: { type: String, default: '' },
    kind: { type: String, required: true, enum: ['phone', 'email'] },
    value: { type: String, required: true },
    addedAt: { type: Date, required: true },
    source: { type: String },
  },
  { versionKey: false },
);
SuppressionSchema.index({ scope: 1, list: 1, state: 1, kind: 1, value: 1 }, { unique: true });
// The check looks values up first, then filters the few hits by scope and list.
SuppressionSchema.index({ value: 1 });

export const suppressionScope = (tenantId?: string) => (tenantId ? `tenant:${tenantId}` : 'global');
export const suppressionId = (d: Pick<SuppressionDoc, 'scope' | 'list' | 'state' | 'kind' | 'value'>) => [d.scope, d.list, d.state, d.kind, d.value].join('|');

export function suppressionModel(conn: Connection): Model<SuppressionDoc> {
  return (conn.models.Suppression as Model<SuppressionDoc> | undefined) ?? conn.model<SuppressionDoc>('Suppression', SuppressionSchema, 'suppressions');
}
