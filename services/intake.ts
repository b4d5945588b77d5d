import type { Client } from '@temporalio/client';
import type { Connection } from 'mongoose';
import type { LeadWorkflowInput } from '../domain/lifecycle/lead-input.ts';
import { intakeKeyModel } from '../db/models/intake-key.ts';
import { deriveLeadId } from '../domain/intake/lead-id.ts';
import { mapLeadPayload, type FieldError, type IntakeContract } from '../domain/intake/lead-payload.ts';
import { processLog } from '../infra/logger.ts';
import { leadWorkflowId } from '../workflows/definitions.ts';
import { isDuplicateKey } from '../db/duplicate-key.ts';

export interface IntakeDeps {
  mongo: Connection;
  temporal: Client;
  /** The shared task queue. */
  taskQueue: string;
  /** The queue of a tenant with a partition of its own (infra/task-queues.ts); the shared queue otherwise. */
  taskQueueFor?: (tenantId: string) => string;
}

export interface IntakeRequest {
  tenantId: string;
  sourceId: string;
  contract: IntakeContract;
  payload: unknown;
  receivedAt: number;
}

export type IntakeResult = { ok: true; leadId: string; duplicate: boolean } | { ok: false; errors: FieldError[] };

/**
 * Accepts a posted lead: shape-checked against the source's contract, then
 * started as its own workflow. The unique intake key and the workflow id
 * (start policy: use the existing run; reuse policy: reject a duplicate of a
 * finished one) both derive from the lead's identity, so a repeat post
 * answers with the same lead id and starts nothing.
 */
export async function submitLead(deps: IntakeDeps, req: IntakeRequest): Promise<IntakeResult> {
  const mapped = mapLeadPayload(req.contract, req.payload);
  if (!mapped.ok) {
    // Field names only: the messages may quote the values posted.
    processLog().info({ tenantId: req.tenantId, sourceId: req.sourceId, fields: mapped.errors.map((e) => e.field) }, 'lead refused at intake');
    return mapped;
  }
  const { lead, externalId, preassignedEndpointId } = mapped.value;
  const leadId = deriveLeadId(req.tenantId, req.sourceId, externalId, req.payload);

  let duplicate = false;
  try {
    await intakeKeyModel(deps.mongo).create({ _id: leadId, tenantId: req.tenantId, sourceId: req.sourceId, externalId, receivedAt: new Date(req.receivedAt) });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    duplicate = true;
  }

  const input: LeadWorkflowInput = {
    tenantId: req.tenantId,
    leadId,
    sourceId: req.sourceId,
    receivedAt: req.receivedAt,
    lead,
    ...(externalId ? { externalId } : {}),
    ...(preassignedEndpointId ? { preassignedEndpointId } : {}),
  };
  // Started even for a known key: a crash between the insert and the start
  // must not leave a lead without its workflow.
  const workflowId = leadWorkflowId(req.tenantId, leadId);
  const taskQueue = deps.taskQueueFor?.(req.tenantId) ?? deps.taskQueue;
  try {
    await deps.temporal.workflow.start('leadWorkflow', {
      workflowId,
      taskQueue,
      args: [input],
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
    });
  } catch (err) {
    if ((err as Error).name !== 'WorkflowExecutionAlreadyStartedError') throw err;
    duplicate = true;
  }
  processLog().info(
    { tenantId: req.tenantId, sourceId: req.sourceId, leadId, workflowId, taskQueue, duplicate },
    duplicate ? 'lead already received' : 'lead taken',
  );
  return { ok: true, leadId, duplicate };
}
