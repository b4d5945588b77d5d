import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import type { Connection } from 'mongoose';
import { decisionStore, type StoredDecision } from '../db/decision-store.ts';
import { leadStore } from '../db/lead-store.ts';
import { renderExplanation } from '../domain/allocation/explain.ts';
import type { AllocationDecision } from '../domain/allocation/types.ts';
import { idNames, leadEventEntry, type Names } from '../domain/history/lead-event-text.ts';
import { mergeTimelines, type TimelineEntry } from '../domain/history/timeline.ts';
import {
  decodeHistoryPayloads,
  pendingActivityEntry,
  workflowTimeline,
  type HistoryEventLike,
  type PendingActivityLike,
} from '../domain/history/workflow-timeline.ts';
import type { TenantConfigDocument } from '../schema/tenant-config.ts';
import { leadWorkflowId } from '../workflows/definitions.ts';
import { tenantConfigs, type TenantConfigs } from './tenant-config.ts';

/** One routing round of a lead, from the decision store: the decision and its full explanation. */
export interface RoutingRound {
  round: number;
  decidedAt: number;
  configVersion: number;
  decision: AllocationDecision;
  /** The explanation as lines an ops person reads top to bottom. */
  text: string[];
}

export interface WorkflowRunInfo {
  workflowId: string;
  /** False when Temporal no longer holds the run (past its retention). */
  available: boolean;
  status?: string;
  historyLength?: number;
  note?: string;
}

export interface LeadHistory {
  leadId: string;
  detail: 'full' | 'events';
  entries: TimelineEntry[];
  /** Staff only. */
  routingRounds?: RoutingRound[];
  /** Staff only. */
  workflow?: WorkflowRunInfo;
}

/** describe() raises WorkflowNotFoundError; fetchHistory() the bare gRPC NOT_FOUND (status 5). */
const isNotFound = (err: unknown) => err instanceof WorkflowNotFoundError || (err as { code?: unknown })?.code === 5;

export function namesFrom(doc: TenantConfigDocument | undefined): Names {
  if (!doc) return idNames;
  const endpoints = new Map(doc.endpoints.map((e) => [e.id, e.name]));
  const sources = new Map(doc.sources.map((s) => [s.id, s.name]));
  return { endpoint: (id) => endpoints.get(id) ?? id, source: (id) => sources.get(id) ?? id };
}

export function routingRound(d: StoredDecision): RoutingRound {
  return { round: d.round, decidedAt: d.at, configVersion: d.configVersion, decision: d.decision, text: renderExplanation(d.decision) };
}

function routingEntry(r: RoutingRound): TimelineEntry {
  const d = r.decision;
  return {
    at: r.decidedAt,
    origin: 'routing',
    kind: 'routing_decision',
    round: r.round,
    text: `Routing round ${r.round} (configuration version ${r.configVersion}${d.tier ? `, tier "${d.tier.name}"` : ''}): ${d.explanation.summary}`,
    data: { outcome: d.outcome, chosen: d.chosen, planId: d.planId, ...(d.tier ? { tier: d.tier.name, algorithm: d.tier.algorithm } : {}) },
  };
}

/**
 * A lead's history for ops: its events (what happened, by whom, when), the
 * lead workflow's Temporal history (how: activity attempts and failures,
 * timers, updates, signals, and activities still retrying), and the full
 * explanation of every routing round, merged into one timeline. Agents get
 * the events alone, without routing details or money. Everything is read by
 * `_id`: events `${leadId}#n`, decisions `${leadId}#round`.
 */
export function leadHistoryService(deps: { temporal: Client; mongo: Connection; configs?: TenantConfigs }) {
  const events = leadStore(deps.mongo);
  const decisions = decisionStore(deps.mongo);
  const configs = deps.configs ?? tenantConfigs(deps.mongo);

  async function rounds(tenantId: string, leadId: string): Promise<RoutingRound[]> {
    const out: RoutingRound[] = [];
    for (let round = 1; ; round++) {
      const d = await decisions.get(tenantId, `${leadId}#${round}`);
      if (!d) return out;
      out.push(routingRound(d));
    }
  }

  async function workflow(tenantId: string, leadId: string, names: Names, now: number): Promise<{ info: WorkflowRunInfo; entries: TimelineEntry[] }> {
    const workflowId = leadWorkflowId(tenantId, leadId);
    const handle = deps.temporal.workflow.getHandle(workflowId);
    try {
      const [history, description] = await Promise.all([handle.fetchHistory(), handle.describe()]);
      const events = (history.events ?? []) as HistoryEventLike[];
      // The history holds payloads as Temporal stores them: encrypted by the deployment's codec.
      await decodeHistoryPayloads(events, deps.temporal.options.loadedDataConverter.payloadCodecs);
      const entries = workflowTimeline(events, names);
      const pending = (description.raw.pendingActivities ?? []) as PendingActivityLike[];
      entries.push(...pending.map((p) => pendingActivityEntry(p, now)));
      return { info: { workflowId, available: true, status: description.status.name, historyLength: description.historyLength }, entries };
    } catch (err) {
      if (!isNotFound(err)) throw err;
      return {
        info: {
          workflowId,
          available: false,
          note: 'Temporal no longer holds this lead’s workflow (past its retention period); the lead events and routing decisions are the permanent record.',
        },
        entries: [],
      };
    }
  }

  return {
    rounds,

    /** Undefined when the lead is not this tenant's. */
    async get(tenantId: string, leadId: string, detail: 'full' | 'events', now = Date.now()): Promise<LeadHistory | undefined> {
      const [evs, config] = await Promise.all([events.events(leadId), configs.latest(tenantId)]);
      if (evs.length === 0 || evs[0]!.tenantId !== tenantId) return undefined;
      const names = namesFrom(config?.document);
      const leadEntries = evs.map((e) => leadEventEntry(e, names, detail));
      if (detail === 'events') return { leadId, detail, entries: leadEntries };
      const [routing, run] = await Promise.all([rounds(tenantId, leadId), workflow(tenantId, leadId, names, now)]);
      return {
        leadId,
        detail,
        entries: mergeTimelines(leadEntries, routing.map(routingEntry), run.entries),
        routingRounds: routing,
        workflow: run.info,
      };
    },
  };
}

export type LeadHistoryService = ReturnType<typeof leadHistoryService>;
