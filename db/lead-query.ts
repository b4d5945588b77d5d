import type { Connection } from 'mongoose';
import type { LeadScope } from '../domain/access/policy.ts';
import type { LeadState } from '../domain/lifecycle/lead-state.ts';
import { fromLeadDoc, leadModel, utcDay, type LeadDoc } from './models/lead.ts';
import { leadDays, take } from './lead-days.ts';

export interface LeadFilter {
  status?: string[];
  sourceId?: string;
  /** Owner, receiver or current offer. */
  endpointId?: string;
  serviceLine?: string;
  receivedFrom?: number;
  receivedTo?: number;
  /** Only leads with an accepted return. */
  returned?: boolean;
  deliveredFrom?: number;
}

export interface LeadPage {
  leads: LeadState[];
  endCursor?: string;
  hasNextPage: boolean;
}

/** Cursor = the last row's (receivedAt, leadId), opaque to clients. */
export function encodeCursor(l: Pick<LeadState, 'receivedAt' | 'leadId'>): string {
  return Buffer.from(JSON.stringify([l.receivedAt, l.leadId])).toString('base64url');
}

export function decodeCursor(cursor: string): { receivedAt: number; leadId: string } | undefined {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'number' && typeof v[1] === 'string') return { receivedAt: v[0], leadId: v[1] };
  } catch {
    // fall through: an unreadable cursor is the caller's error, reported by the resolver
  }
  return undefined;
}

/** The role's scope as a Mongo filter; `none` matches nothing. */
export function scopeFilter(scope: LeadScope): Record<string, unknown> | undefined {
  switch (scope.kind) {
    case 'tenant':
      return {};
    case 'agent':
      return {
        $or: [...(scope.endpointId ? [{ offeredTo: scope.endpointId }, { ownerEndpointId: scope.endpointId }] : []), { 'collaborators.userId': scope.userId }],
      };
    case 'source':
      return { sourceId: scope.sourceId };
    case 'delivered_to':
      return { deliveredTo: scope.endpointId, deliveredAt: { $exists: true } };
    case 'none':
      return undefined;
  }
}

const toState: (doc: LeadDoc) => LeadState = fromLeadDoc;

/**
 * The AND of `clauses` as one filter, with every field that only one clause
 * names lifted to the top level and the rest left under `$and`. Same matches
 * as `{ $and: clauses }`; the reason is FerretDB, which pushes a filter down
 * to its backend only through top-level fields (it skips `$and` and `$or`
 * whole), so a tenant's lead list under `$and` read every row of the table.
 */
export function conjoin(clauses: ReadonlyArray<Record<string, unknown>>): Record<string, unknown> {
  const top: Record<string, unknown> = {};
  const rest: Array<Record<string, unknown>> = [];
  for (const clause of clauses) {
    const keys = Object.keys(clause);
    if (keys.length === 0) continue;
    if (keys.some((k) => k.startsWith('$') || k in top)) rest.push(clause);
    else Object.assign(top, clause);
  }
  return rest.length ? { ...top, $and: rest } : top;
}

/**
 * Days one page reads at most. A filter FerretDB cannot push down (an agent's
 * own leads, an endpoint's) is matched by reading each day's leads; bounding
 * the days bounds a request's cost, and a page that reaches the bound
 * may come back short, with a cursor to go on from.
 */
export const MAX_DAYS_PER_PAGE = 31;

/** Reads of the `leads` read model, always inside one tenant and one scope. */
export function leadQuery(conn: Connection) {
  const Leads = leadModel(conn);
  const Days = leadDays(conn);

  return {
    /** Point reads by `_id` (FerretDB answers an `$in` by scanning); another tenant's lead is left out. */
    async byIds(tenantId: string, leadIds: readonly string[]): Promise<Map<string, LeadState>> {
      const docs = await Promise.all([...new Set(leadIds)].map((id) => Leads.findById(id).lean()));
      return new Map(docs.filter((d): d is NonNullable<typeof d> => !!d && d.tenantId === tenantId).map((d) => [d._id, toState(d)]));
    },

    /**
     * One page, newest first. The tenant's days are walked newest first, each
     * read with an equality on `receivedDay` and sorted within the day, until
     * the page (and one more, for hasNextPage) is full or MAX_DAYS_PER_PAGE
     * days were read: the cost is the days walked and the size of a day, not
     * the tenant's number of leads.
     */
    async list(
      tenantId: string,
      scope: LeadScope,
      filter: LeadFilter,
      page: { first: number; after?: { receivedAt: number; leadId: string } },
    ): Promise<LeadPage> {
      const scoped = scopeFilter(scope);
      if (!scoped) return { leads: [], hasNextPage: false };
      const and: Array<Record<string, unknown>> = [{ tenantId }, scoped];
      // One status as an equality, which FerretDB pushes down; an `$in` it does not.
      if (filter.status?.length) and.push({ status: filter.status.length === 1 ? filter.status[0] : { $in: filter.status } });
      if (filter.sourceId) and.push({ sourceId: filter.sourceId });
      if (filter.serviceLine) and.push({ serviceLine: filter.serviceLine });
      if (filter.endpointId) and.push({ $or: [{ ownerEndpointId: filter.endpointId }, { deliveredTo: filter.endpointId }, { offeredTo: filter.endpointId }] });
      if (filter.receivedFrom !== undefined || filter.receivedTo !== undefined) {
        and.push({
          receivedAt: {
            ...(filter.receivedFrom !== undefined ? { $gte: filter.receivedFrom } : {}),
            ...(filter.receivedTo !== undefined ? { $lt: filter.receivedTo } : {}),
          },
        });
      }
      if (filter.returned) and.push({ returned: { $exists: true } });
      if (filter.deliveredFrom !== undefined) and.push({ deliveredAt: { $gte: filter.deliveredFrom } });
      if (page.after) {
        const { receivedAt, leadId } = page.after;
        and.push({ $or: [{ receivedAt: { $lt: receivedAt } }, { receivedAt, _id: { $lt: leadId } }] });
      }
      const match = conjoin(and);
      const newest = [page.after?.receivedAt, filter.receivedTo === undefined ? undefined : filter.receivedTo - 1].filter((t) => t !== undefined);
      // One day past the walk, to know whether any is left.
      const days = await take(
        Days.of(tenantId, filter.receivedFrom === undefined ? undefined : utcDay(filter.receivedFrom), newest.length ? utcDay(Math.min(...newest)) : undefined),
        MAX_DAYS_PER_PAGE + 1,
      );
      const want = page.first + 1;
      const docs: LeadDoc[] = [];
      const walk = days.slice(0, MAX_DAYS_PER_PAGE);
      // A day at a time at first (a busy tenant fills the page from today), then a few at once for sparse filters.
      for (let i = 0, batch = 1; i < walk.length && docs.length < want; i += batch, batch = Math.min(batch * 2, 8)) {
        const got = await Promise.all(
          walk.slice(i, i + batch).map((receivedDay) =>
            Leads.find({ ...match, receivedDay })
              .sort({ receivedAt: -1, _id: -1 })
              .limit(want - docs.length)
              .lean(),
          ),
        );
        for (const g of got) docs.push(...g.slice(0, want - docs.length));
      }
      const leads = docs.slice(0, page.first).map(toState);
      if (docs.length < want && days.length > walk.length) {
        // The page stopped at its walk's last day with days left: it may be short, and the next starts before that day.
        return { leads, hasNextPage: true, endCursor: encodeCursor({ receivedAt: Date.parse(walk[walk.length - 1]!), leadId: '' }) };
      }
      const last = leads[leads.length - 1];
      return { leads, hasNextPage: docs.length > page.first, ...(last ? { endCursor: encodeCursor(last) } : {}) };
    },

    /** A vendor's submissions by outcome over a period: received, accepted, rejected by reason; read day by day. */
    async sourceOutcomes(tenantId: string, sourceId: string, from: number, to: number): Promise<{ received: number; rejected: Record<string, number> }> {
      let received = 0;
      const rejected: Record<string, number> = {};
      if (to <= from) return { received, rejected };
      for await (const receivedDay of Days.of(tenantId, utcDay(from), utcDay(to - 1))) {
        const docs = await Leads.find({ tenantId, sourceId, receivedDay }, { receivedAt: 1, status: 1, rejection: 1 }).lean();
        for (const d of docs) {
          if (d.receivedAt < from || d.receivedAt >= to) continue;
          received++;
          if (d.status !== 'rejected') continue;
          const reason = d.rejection?.reason ?? 'unknown';
          rejected[reason] = (rejected[reason] ?? 0) + 1;
        }
      }
      return { received, rejected };
    },

    /** Leads delivered to an endpoint inside their source's return window (per source: delivered since `since`), not returned; read day by day. */
    async returnable(tenantId: string, endpointId: string, windows: Array<{ sourceId: string; since: number }>, limit: number): Promise<LeadState[]> {
      if (windows.length === 0) return [];
      const since = new Map(windows.map((w) => [w.sourceId, w.since]));
      const out: LeadDoc[] = [];
      for await (const deliveredDay of Days.of(tenantId, utcDay(Math.min(...since.values())))) {
        const docs = await Leads.find({ tenantId, deliveredTo: endpointId, deliveredDay }).lean();
        for (const d of docs) {
          const from = since.get(d.sourceId);
          if (from === undefined || d.deliveredAt === undefined || d.deliveredAt < from) continue;
          if (d.returned !== undefined || (d.billing !== 'billable' && d.billing !== 'pending')) continue;
          out.push(d);
        }
      }
      return out
        .sort((a, b) => a.deliveredAt! - b.deliveredAt!)
        .slice(0, limit)
        .map(toState);
    },
  };
}

export type LeadQuery = ReturnType<typeof leadQuery>;
