import type { Connection } from 'mongoose';
import { configVersionModel } from './models/config-version.ts';
import { sequences } from './sequences.ts';
import { isDuplicateKey } from './duplicate-key.ts';

export interface StoredConfig<T> {
  tenantId: string;
  version: number;
  document: T;
  author: string;
  note?: string;
  createdAt: Date;
}

/**
 * Versioned configuration. `publish` takes the next version number with a
 * unique-key insert, so two concurrent changes become two versions, never one
 * lost write. Callers validate documents before publishing.
 */
export interface ConfigStoreOptions {
  /**
   * How long a looked-up latest version is trusted before the next lookup
   * (0, the default: every call looks). A version is immutable once
   * published, so only "is there a newer one?" can be stale: by at most this
   * long, on other processes (this store's own publishes are seen at once).
   */
  versionTtlMs?: number;
  now?: () => number;
}

export function configStore<T>(conn: Connection, opts: ConfigStoreOptions = {}) {
  const ConfigVersion = configVersionModel(conn);
  const ttl = opts.versionTtlMs ?? 0;
  const now = opts.now ?? Date.now;
  const looked = new Map<string, { at: number; version: number }>();
  const saw = (tenantId: string, version: number) => {
    const prev = looked.get(tenantId);
    if (!prev || version >= prev.version) looked.set(tenantId, { at: now(), version });
  };
  // Versions are `${tenantId}@1, @2, ...` without gaps: the latest is found by
  // point reads from the last one this process saw, never by a sorted query.
  const versions = sequences(conn, 'config_versions', { separator: '@', cacheDocs: false });
  const toStored = (d: { tenantId: string; version: number; document: unknown; author: string; note?: string | null; createdAt: Date }): StoredConfig<T> => ({
    tenantId: d.tenantId,
    version: d.version,
    document: d.document as T,
    author: d.author,
    ...(d.note ? { note: d.note } : {}),
    createdAt: d.createdAt,
  });

  /** The latest version; `fresh` looks now whatever the TTL (a change about to be applied on top of it). */
  async function latestVersion(tenantId: string, o: { fresh?: boolean } = {}): Promise<number> {
    const hit = looked.get(tenantId);
    if (!o.fresh && hit && now() - hit.at < ttl) return hit.version;
    const version = await versions.highest(tenantId);
    looked.set(tenantId, { at: now(), version });
    return version;
  }

  return {
    latestVersion,

    async latest(tenantId: string): Promise<StoredConfig<T> | undefined> {
      const version = await latestVersion(tenantId);
      if (version === 0) return undefined;
      const d = await ConfigVersion.findById(`${tenantId}@${version}`).lean();
      return d ? toStored(d) : undefined;
    },

    async get(tenantId: string, version: number): Promise<StoredConfig<T> | undefined> {
      const d = await ConfigVersion.findById(`${tenantId}@${version}`).lean();
      return d ? toStored(d) : undefined;
    },

    async history(tenantId: string, limit = 50): Promise<Array<Omit<StoredConfig<T>, 'document'>>> {
      const docs = await ConfigVersion.find({ tenantId }, { document: 0 }).sort({ version: -1 }).limit(limit).lean();
      return docs.map(({ tenantId: t, version, author, note, createdAt }) => ({ tenantId: t, version, author, ...(note ? { note } : {}), createdAt }));
    },

    /**
     * Publishes exactly `baseVersion + 1`, or reports a conflict when someone
     * else published it first: read-modify-write changes re-apply themselves
     * on the newer version instead of overwriting it.
     */
    async publishNext(tenantId: string, baseVersion: number, document: T, author: string, note?: string): Promise<StoredConfig<T> | 'conflict'> {
      const version = baseVersion + 1;
      const createdAt = new Date();
      try {
        await ConfigVersion.create({ _id: `${tenantId}@${version}`, tenantId, version, document, author, note, createdAt });
        saw(tenantId, version);
        return { tenantId, version, document, author, ...(note ? { note } : {}), createdAt };
      } catch (err) {
        if (isDuplicateKey(err)) return 'conflict';
        throw err;
      }
    },

    async publish(tenantId: string, document: T, author: string, note?: string): Promise<StoredConfig<T>> {
      for (let attempt = 0; attempt < 100; attempt++) {
        const version = (await latestVersion(tenantId, { fresh: true })) + 1;
        const createdAt = new Date();
        try {
          await ConfigVersion.create({ _id: `${tenantId}@${version}`, tenantId, version, document, author, note, createdAt });
          saw(tenantId, version);
          return { tenantId, version, document, author, ...(note ? { note } : {}), createdAt };
        } catch (err) {
          if (!isDuplicateKey(err)) throw err;
        }
      }
      throw new Error(`configuration for ${tenantId} could not get a version number after 100 attempts`);
    },
  };
}

export type ConfigStore<T> = ReturnType<typeof configStore<T>>;
