import type { Connection } from 'mongoose';
import { configStore, type StoredConfig } from '../db/config-store.ts';
import { tenantModel } from '../db/models/tenant.ts';
import { exclusiveConflicts } from '../domain/allocation/exclusive-conflicts.ts';
import { diffConfig, type ConfigChange } from '../domain/config-diff.ts';
import { exportConfig, formatPath, importConfig, validateConfigDocument, type ConfigError, type ConfigFormat } from '../domain/config-import.ts';
import { loadZipDataset } from '../domain/geo/load-zip-dataset.ts';
import type { TenantConfigDocument } from '../schema/tenant-config.ts';

/** The lists of a configuration document that the API edits item by item. */
export const CONFIG_COLLECTIONS = ['sources', 'endpoints', 'territories', 'rotations', 'routingPlans'] as const;
export type ConfigCollection = (typeof CONFIG_COLLECTIONS)[number];

export type ConfigChangeResult =
  { ok: true; version: number; document: TenantConfigDocument } | { ok: false; code: 'INVALID_CONFIG' | 'NOT_FOUND' | 'WRONG_TENANT'; errors: ConfigError[] };

const MAX_ATTEMPTS = 20;

/** A published version without its document. */
export type VersionInfo = Omit<StoredConfig<TenantConfigDocument>, 'tenantId' | 'document'>;

/**
 * A tenant's routing configuration, versioned. Every change is applied to the
 * latest version, validated whole by TenantConfigDocumentSchema (so a change
 * that breaks a reference elsewhere names that path) and its exclusive grants
 * against each other (as routing sees them, carve-outs applied), and published as the
 * next version; a concurrent change makes it re-apply on the newer version
 * rather than overwrite it.
 */
export function configEditor(conn: Connection, opts: { versionTtlMs?: number } = {}) {
  const store = configStore<TenantConfigDocument>(conn, opts);
  // The latest document per tenant: configStore finds the latest version by
  // point reads (versions are contiguous), and the document is read only when
  // that version is new to this process.
  const cache = new Map<string, StoredConfig<TenantConfigDocument>>();

  /** `fresh`: whatever the TTL, the version that is latest now (a change is applied on top of it). */
  async function latest(tenantId: string, o: { fresh?: boolean } = {}): Promise<StoredConfig<TenantConfigDocument> | undefined> {
    const version = await store.latestVersion(tenantId, o);
    if (version === 0) return undefined;
    const hit = cache.get(tenantId);
    if (hit?.version === version) return hit;
    const fresh = await store.get(tenantId, version);
    if (fresh) cache.set(tenantId, fresh);
    return fresh;
  }

  async function emptyDocument(tenantId: string): Promise<unknown> {
    const tenant = await tenantModel(conn).findById(tenantId).lean();
    return { tenant: { id: tenantId, name: tenant?.name ?? tenantId } };
  }

  type Mutation = (doc: Record<string, unknown>) => { ok: true } | { ok: false; code: 'NOT_FOUND'; errors: ConfigError[] };

  async function change(tenantId: string, author: string, note: string | undefined, mutate: Mutation): Promise<ConfigChangeResult> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const base = await latest(tenantId, { fresh: true });
      const draft = structuredClone(base?.document ?? (await emptyDocument(tenantId))) as Record<string, unknown>;
      const applied = mutate(draft);
      if (!applied.ok) return applied;
      const checked = validateConfigDocument(draft);
      if (!checked.ok) return { ok: false, code: 'INVALID_CONFIG', errors: checked.errors };
      const conflicts = exclusiveConflicts(checked.value, await loadZipDataset());
      if (conflicts.length > 0) return { ok: false, code: 'INVALID_CONFIG', errors: conflicts.map((c) => ({ path: formatPath(c.path), message: c.message })) };
      const published = await store.publishNext(tenantId, base?.version ?? 0, checked.value, author, note);
      if (published !== 'conflict') {
        cache.set(tenantId, published);
        return { ok: true, version: published.version, document: published.document };
      }
    }
    throw new Error(`configuration of ${tenantId} changed ${MAX_ATTEMPTS} times while this change was applied`);
  }

  return {
    latest,

    async version(tenantId: string, version: number) {
      return store.get(tenantId, version);
    },

    async history(tenantId: string, limit: number) {
      return store.history(tenantId, limit);
    },

    /** Adds the item, or replaces the one with the same id. */
    upsert(tenantId: string, collection: ConfigCollection, item: unknown, author: string, note?: string): Promise<ConfigChangeResult> {
      return change(tenantId, author, note, (doc) => {
        const list = Array.isArray(doc[collection]) ? (doc[collection] as unknown[]) : [];
        const id = item !== null && typeof item === 'object' ? (item as { id?: unknown }).id : undefined;
        const at = typeof id === 'string' ? list.findIndex((x) => (x as { id?: unknown })?.id === id) : -1;
        doc[collection] = at >= 0 ? list.map((x, i) => (i === at ? item : x)) : [...list, item];
        return { ok: true };
      });
    },

    remove(tenantId: string, collection: ConfigCollection, id: string, author: string, note?: string): Promise<ConfigChangeResult> {
      return change(tenantId, author, note, (doc) => {
        const list = Array.isArray(doc[collection]) ? (doc[collection] as Array<{ id?: unknown }>) : [];
        if (!list.some((x) => x?.id === id)) return { ok: false, code: 'NOT_FOUND', errors: [{ path: collection, message: `has no item with id "${id}"` }] };
        doc[collection] = list.filter((x) => x?.id !== id);
        return { ok: true };
      });
    },

    /** Replaces the whole configuration from YAML or JSON text, as a new version. */
    async importText(tenantId: string, text: string, format: ConfigFormat | undefined, author: string, note?: string): Promise<ConfigChangeResult> {
      const parsed = importConfig(text, format);
      if (!parsed.ok) return { ok: false, code: 'INVALID_CONFIG', errors: parsed.errors };
      if (parsed.value.tenant.id !== tenantId) {
        return {
          ok: false,
          code: 'WRONG_TENANT',
          errors: [{ path: 'tenant.id', message: `is "${parsed.value.tenant.id}", but you are signed in to tenant "${tenantId}"` }],
        };
      }
      const result = await change(tenantId, author, note ?? 'import', (doc) => {
        for (const k of Object.keys(doc)) delete doc[k];
        Object.assign(doc, parsed.value);
        return { ok: true };
      });
      if (result.ok) {
        await tenantModel(conn).updateOne(
          { _id: tenantId },
          { $set: { name: result.document.tenant.name }, $setOnInsert: { createdAt: new Date() } },
          { upsert: true },
        );
      }
      return result;
    },

    /** What changed from version `from` to version `to`, by path, in words; undefined when either version does not exist. */
    async diff(tenantId: string, from: number, to: number): Promise<{ from: VersionInfo; to: VersionInfo; changes: ConfigChange[] } | undefined> {
      const [a, b] = await Promise.all([store.get(tenantId, from), store.get(tenantId, to)]);
      if (!a || !b) return undefined;
      const info = ({ version, author, note, createdAt }: StoredConfig<TenantConfigDocument>): VersionInfo => ({
        version,
        author,
        ...(note ? { note } : {}),
        createdAt,
      });
      return { from: info(a), to: info(b), changes: diffConfig(a.document, b.document) };
    },

    /**
     * Publishes an earlier version's document as the next version (checked as
     * any change is): past decisions keep the version they used.
     */
    async rollback(tenantId: string, version: number, author: string, note?: string): Promise<ConfigChangeResult> {
      const old = await store.get(tenantId, version);
      if (!old) return { ok: false, code: 'NOT_FOUND', errors: [{ path: 'version', message: `there is no version ${version}` }] };
      return change(tenantId, author, note ?? `rollback to version ${version}`, (doc) => {
        for (const k of Object.keys(doc)) delete doc[k];
        Object.assign(doc, structuredClone(old.document));
        return { ok: true };
      });
    },

    async exportText(tenantId: string, format: ConfigFormat, version?: number): Promise<{ version: number; text: string } | undefined> {
      const stored = version === undefined ? await latest(tenantId) : await store.get(tenantId, version);
      return stored ? { version: stored.version, text: exportConfig(stored.document, format) } : undefined;
    },
  };
}

export type ConfigEditor = ReturnType<typeof configEditor>;
