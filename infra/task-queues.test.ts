import { describe, expect, it } from 'vitest';
import { loadEnv } from './env.ts';
import { parseTenantList, parseTenantQueues, taskQueues, taskQueuesFromEnv } from './task-queues.ts';

describe('task-queue partitions', () => {
  it('keeps every tenant on the shared queue by default', () => {
    const q = taskQueuesFromEnv(loadEnv({}));
    expect(q.forTenant('acme')).toBe('switchyard');
    expect(q.forWorker([])).toEqual(['switchyard']);
    expect(q.partitions()).toEqual([]);
  });

  it('gives listed tenants a queue of their own or a named partition', () => {
    const parsed = parseTenantQueues('acme, globex=big,initech=big');
    expect(parsed.ok).toBe(true);
    const q = taskQueues({ sharedQueue: 'switchyard', prefix: 'sy-', partitions: parsed.ok ? parsed.value : new Map() });
    expect(q.forTenant('acme')).toBe('sy-acme');
    expect(q.forTenant('globex')).toBe('sy-big');
    expect(q.forTenant('hooli')).toBe('switchyard');
    expect(q.forWorker(['globex', 'initech'])).toEqual(['sy-big']);
    expect(q.forWorker(['acme', 'hooli'])).toEqual(['sy-acme', 'switchyard']);
    expect(q.partitions()).toEqual(['sy-acme', 'sy-big']);
  });

  it('refuses a malformed mapping with the entry named, at loadEnv', () => {
    expect(parseTenantQueues('acme=a=b')).toMatchObject({ ok: false, error: expect.stringContaining('"acme=a=b"') });
    expect(parseTenantQueues('acme,acme=x')).toMatchObject({ ok: false, error: expect.stringContaining('listed twice') });
    expect(() => loadEnv({ TENANT_TASK_QUEUES: 'bad tenant' })).toThrow(/TENANT_TASK_QUEUES: "bad tenant"/);
  });

  it('reads WORKER_TENANTS as a set of ids', () => {
    expect(parseTenantList(' acme, globex,acme ,')).toEqual(['acme', 'globex']);
  });
});
