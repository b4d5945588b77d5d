import { Schema, type Connection, type Model } from 'mongoose';
import type { SuppressionList } from '../../domain/validation/suppression.ts';

/**
 * One document per suppressed value in one version of one list. `_id` is the
 * natural key (scope, list, state, kind, value, version), and a unique index
 * on the same fields states it in the schema, so loading the same file twice
 * inserts nothing new. `scope` is `global` (federal and state registries,
 * shared by every tenant) or `tenant:<id>` (a tenant's own lists). Version 0
 * holds single additions (opt-outs, manual entries), which no replacement of
 * the uploaded list undoes; versions 1, 2, ... are whole uploads, of which the
 * last committed one is checked. Phones are E.164, emails lower case.
 */
export interface SuppressionDoc {
  _id: string;
  scope: string;
  list: SuppressionList;
  /** Two-letter state for a state list, '' otherwise (so the unique key has no nulls). */
  state: string;
  kind: 'phone' | 'email';
  value: string;
  version: number;
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
    version: { type: Number, required: true },
    addedAt: { type: Date, required: true },
    source: { type: String },
  },
  { versionKey: false },
);
SuppressionSchema.index({ scope: 1, list: 1, state: 1, kind: 1, value: 1, version: 1 }, { unique: true });
// Counting and clearing one version of one list.
SuppressionSchema.index({ scope: 1, list: 1, state: 1, version: 1 });

export const suppressionScope = (tenantId?: string) => (tenantId ? `tenant:${tenantId}` : 'global');
export const suppressionListKey = (d: Pick<SuppressionDoc, 'scope' | 'list' | 'state'>) => [d.scope, d.list, d.state].join('|');
export const suppressionId = (d: Pick<SuppressionDoc, 'scope' | 'list' | 'state' | 'kind' | 'value' | 'version'>) =>
  `${suppressionListKey(d)}|${d.kind}|${d.value}@${d.version}`;

export function suppressionModel(conn: Connection): Model<SuppressionDoc> {
  return (conn.models.Suppression as Model<SuppressionDoc> | undefined) ?? conn.model<SuppressionDoc>('Suppression', SuppressionSchema, 'suppressions');
}
