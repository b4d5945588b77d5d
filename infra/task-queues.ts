/**
 * Task-queue partitioning by tenant. By default every lead runs on the one
 * shared queue. A tenant listed in TENANT_TASK_QUEUES gets a queue of its own
 * (`acme` -> PREFIX + `acme`), or shares a named partition with others
 * (`acme=big,globex=big` -> PREFIX + `big`). Intake starts each lead on its
 * tenant's queue; a worker started with WORKER_TENANTS polls exactly those
 * tenants' queues, so a big tenant's leads run on workers of their own and a
 * burst of one tenant never queues behind another's.
 */
export interface TaskQueues {
  /** The queue a tenant's leads start on. */
  forTenant(tenantId: string): string;
  /** The queues a worker polls: those of the given tenants, or the shared queue when none is given. */
  forWorker(tenants: readonly string[]): string[];
  /** Every partition queue, for health checks and docs. */
  partitions(): string[];
}

export type ParsedPartitions = { ok: true; value: Map<string, string> } | { ok: false; error: string };

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$/;

/** Parses `acme,globex=big`: tenant -> partition name (the tenant's own id when none is given). */
export function parseTenantQueues(spec: string): ParsedPartitions {
  const map = new Map<string, string>();
  for (const raw of spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [tenant = '', partition = tenant, ...extra] = raw.split('=').map((s) => s.trim());
    if (extra.length > 0 || !NAME.test(tenant) || !NAME.test(partition)) {
      return { ok: false, error: `TENANT_TASK_QUEUES: "${raw}" is not "tenant" or "tenant=partition" (letters, digits, . _ : -)` };
    }
    if (map.has(tenant)) return { ok: false, error: `TENANT_TASK_QUEUES: tenant "${tenant}" is listed twice` };
    map.set(tenant, partition);
  }
  return { ok: true, value: map };
}

export function parseTenantList(spec: string): string[] {
  return [
    ...new Set(
      spec
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
}

export function taskQueues(opts: { sharedQueue: string; prefix: string; partitions: Map<string, string> }): TaskQueues {
  const queueOf = (partition: string) => `${opts.prefix}${partition}`;
  const forTenant = (tenantId: string) => {
    const p = opts.partitions.get(tenantId);
    return p === undefined ? opts.sharedQueue : queueOf(p);
  };
  return {
    forTenant,
    forWorker: (tenants) => (tenants.length === 0 ? [opts.sharedQueue] : [...new Set(tenants.map(forTenant))]),
    partitions: () => [...new Set([...opts.partitions.values()].map(queueOf))],
  };
}

/** The deployment's partitioning, from the environment both the API and the workers read. */
export function taskQueuesFromEnv(env: { TEMPORAL_TASK_QUEUE: string; TEMPORAL_TASK_QUEUE_PREFIX: string; TENANT_TASK_QUEUES: string }): TaskQueues {
  const parsed = parseTenantQueues(env.TENANT_TASK_QUEUES);
  if (!parsed.ok) throw new Error(parsed.error);
  return taskQueues({ sharedQueue: env.TEMPORAL_TASK_QUEUE, prefix: env.TEMPORAL_TASK_QUEUE_PREFIX, partitions: parsed.value });
}
