/** Lead workflows are `lead:<tenant>:<leadId>` (workflows/definitions.ts); lead ids never contain ':'. */
export function leadFieldsOf(workflowId: unknown): { tenantId: string; leadId: string } | undefined {
  if (typeof workflowId !== 'string' || !workflowId.startsWith('lead:')) return undefined;
  const last = workflowId.lastIndexOf(':');
  if (last <= 5) return undefined;
  return { tenantId: workflowId.slice(5, last), leadId: workflowId.slice(last + 1) };
}

/** The fields a log line about an activity carries: which lead, which workflow, which attempt. */
export function activityLogFields(info: {
  activityType: string;
  activityId: string;
  attempt: number;
  isLocal: boolean;
  workflowExecution?: { workflowId: string; runId: string };
}): Record<string, string | number | boolean> {
  const wf = info.workflowExecution;
  return {
    activityType: info.activityType,
    activityId: info.activityId,
    attempt: info.attempt,
    isLocal: info.isLocal,
    ...(wf ? { workflowId: wf.workflowId, runId: wf.runId, ...leadFieldsOf(wf.workflowId) } : {}),
  };
}
