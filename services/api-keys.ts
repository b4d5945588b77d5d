import { createHash, randomBytes } from 'node:crypto';
import type { Connection } from 'mongoose';
import { apiKeyModel } from '../db/models/api-key.ts';

const KEY_PREFIX = 'sy_live_';

export const hashApiKey = (key: string) => createHash('sha256').update(key).digest('hex');

export interface ApiKeyInfo {
  id: string;
  sourceId: string;
  prefix: string;
  createdAt: Date;
  revokedAt?: Date;
}

type KnownKey = { tenantId: string; sourceId: string; at: number };
/** Keys found valid, per connection: every `apiKeys` of one process sees the same entries, so a revoke here drops them at once. */
const validKeys = new WeakMap<Connection, Map<string, KnownKey>>();

/**
 * API keys. `trustMs` lets a key found valid be accepted again without a read
 * for that long (intake's hot path); a revoke made in this process applies at
 * once, one made in another process within `trustMs`. Unknown and revoked
 * keys are looked up every time.
 */
export function apiKeys(conn: Connection, opts: { trustMs?: number; now?: () => number } = {}) {
  const Keys = apiKeyModel(conn);
  const trustMs = opts.trustMs ?? 0;
  const now = opts.now ?? Date.now;
  let known = validKeys.get(conn);
  if (!known) validKeys.set(conn, (known = new Map<string, KnownKey>()));
  const valid = known;
  const info = (d: { _id: string; sourceId: string; prefix: string; createdAt: Date; revokedAt?: Date | null }): ApiKeyInfo => ({
    id: d._id.slice(0, 12),
    sourceId: d.sourceId,
    prefix: d.prefix,
    createdAt: d.createdAt,
    ...(d.revokedAt ? { revokedAt: d.revokedAt } : {}),
  });

  return {
    /** Creates a key and returns it in full, the only time it is ever shown. */
    async issue(tenantId: string, sourceId: string, createdBy: string): Promise<{ key: string; info: ApiKeyInfo }> {
      const key = `${KEY_PREFIX}${randomBytes(24).toString('base64url')}`;
      const doc = await Keys.create({
        _id: hashApiKey(key),
        tenantId,
        sourceId,
        prefix: key.slice(0, KEY_PREFIX.length + 6),
        createdAt: new Date(),
        createdBy,
      });
      return { key, info: info(doc.toObject()) };
    },

    /** The source a key belongs to, or undefined for an unknown or revoked key. */
    async authenticate(key: string): Promise<{ tenantId: string; sourceId: string } | undefined> {
      if (!key.startsWith(KEY_PREFIX) || key.length > 100) return undefined;
      const id = hashApiKey(key);
      const hit = valid.get(id);
      if (hit && now() - hit.at < trustMs) return { tenantId: hit.tenantId, sourceId: hit.sourceId };
      const doc = await Keys.findById(id).lean();
      if (!doc || doc.revokedAt) {
        valid.delete(id);
        return undefined;
      }
      valid.set(id, { tenantId: doc.tenantId, sourceId: doc.sourceId, at: now() });
      if (valid.size > 10_000) valid.delete(valid.keys().next().value!);
      return { tenantId: doc.tenantId, sourceId: doc.sourceId };
    },

    async revoke(tenantId: string, sourceId: string, idPrefix: string): Promise<boolean> {
      const docs = await Keys.find({ tenantId, sourceId, revokedAt: { $exists: false } }).lean();
      const doc = docs.find((d) => d._id.startsWith(idPrefix));
      if (!doc) return false;
      await Keys.updateOne({ _id: doc._id }, { $set: { revokedAt: new Date() } });
      valid.delete(doc._id);
      return true;
    },

    /** A new key; the old ones keep working until revoked, so senders can switch without a gap. */
    async rotate(tenantId: string, sourceId: string, createdBy: string) {
      return this.issue(tenantId, sourceId, createdBy);
    },

    async list(tenantId: string, sourceId: string): Promise<ApiKeyInfo[]> {
      return (await Keys.find({ tenantId, sourceId }).sort({ createdAt: -1 }).lean()).map(info);
    },
  };
}
