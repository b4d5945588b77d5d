/** Where a timeline entry comes from. */
export type TimelineOrigin = 'lead' | 'workflow' | 'routing';

/**
 * One line of a lead's history for ops: what happened, when, who caused it,
 * in one sentence, with the structured details beside it. Never carries
 * personal data: lead events hold none, and workflow payloads are read only
 * for the few fields named in workflow-timeline.ts.
 */
export interface TimelineEntry {
  at: number;
  origin: TimelineOrigin;
  /** A lead event type (claimed, delivered, ...), or a workflow event kind (activity_failed, timer_fired, update_rejected, signal, ...). */
  kind: string;
  text: string;
  /** The user (or `source:<id>`, or `system`) who caused it, when known. */
  actor?: string;
  actorRole?: string;
  data?: Record<string, unknown>;
  /** The routing round, for routing decisions. */
  round?: number;
}

/**
 * Lead events, workflow events and routing decisions in one list by time.
 * Equal times keep each origin's own order, and at one instant the lead's
 * events come first: they say what happened, the workflow's say how.
 */
export function mergeTimelines(...lists: ReadonlyArray<readonly TimelineEntry[]>): TimelineEntry[] {
  const rank: Record<TimelineOrigin, number> = { lead: 0, routing: 1, workflow: 2 };
  const indexed = lists.flatMap((list, li) => list.map((e, i) => ({ e, li, i })));
  indexed.sort((a, b) => a.e.at - b.e.at || rank[a.e.origin] - rank[b.e.origin] || a.li - b.li || a.i - b.i);
  return indexed.map((x) => x.e);
}
