import type { Connection } from 'mongoose';
import { configStore } from '../db/config-store.ts';
import { compileSnapshot } from '../domain/allocation/compile-snapshot.ts';
import type { Snapshot } from '../domain/allocation/snapshot-types.ts';
import { TenantConfigDocumentSchema, type TenantConfigDocument } from '../schema/tenant-config.ts';

export interface TenantConfigVersion {
  tenantId: string;
  version: number;
  document: TenantConfigDocument;
  /** Compiled on first use: a version's territory index is built once, shared by every lead. */
  snapshot(): Snapshot;
}

/**
 * The tenant's configuration as routing reads it: the latest version is looked
 * up on every call (one point read, so a change applies to the next lead), or
 * at most every `versionTtlMs` (the worker's and the API's setting,
 * CONFIG_FRESHNESS_MS: a change then applies within that long), and each version is parsed and compiled once per process, kept in a small
 * LRU. Stored documents are parsed again on load so defaults added since they
 * were published apply, and a corrupted document fails loudly.
 */
export function tenantConfigs(mongo: Connection, opts: { maxVersions?: number; versionTtlMs?: number } = {}) {
  const store = configStore<unknown>(mongo, { ...(opts.versionTtlMs !== undefined ? { versionTtlMs: opts.versionTtlMs } : {}) });
  const cache = new Map<string, TenantConfigVersion>();
  const max = opts.maxVersions ?? 32;

  function remember(v: TenantConfigVersion): TenantConfigVersion {
    const key = `${v.tenantId}@${v.version}`;
    cache.delete(key);
    cache.set(key, v);
    while (cache.size > max) cache.delete(cache.keys().next().value!);
    return v;
  }

  async function at(tenantId: string, version: number): Promise<TenantConfigVersion | undefined> {
    const hit = cache.get(`${tenantId}@${version}`);
    if (hit) return remember(hit);
    const stored = await store.get(tenantId, version);
    if (!stored) return undefined;
    const parsed = TenantConfigDocumentSchema.safeParse(stored.document);
    if (!parsed.success) {
      throw new Error(
        `configuration ${tenantId}@${version} no longer validates: ${parsed.error.issues
          .slice(0, 3)
          .map((i) => `${i.path.join('.')}: ${i.message}`)
          .join('; ')}`,
      );
    }
    let snapshot: Snapshot | undefined;
    return remember({ tenantId, version, document: parsed.data, snapshot: () => (snapshot ??= compileSnapshot(parsed.data, version)) });
  }

  return {
    at,
    async latest(tenantId: string): Promise<TenantConfigVersion | undefined> {
      const version = await store.latestVersion(tenantId);
      return version === 0 ? undefined : at(tenantId, version);
    },
  };
}

export type TenantConfigs = ReturnType<typeof tenantConfigs>;
