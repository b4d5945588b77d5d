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

export function apiKeys(conn: Connection) {
  const Keys = apiKeyModel(conn);
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
      const doc = await Keys.findById(hashApiKey(key)).lean();
      return doc && !doc.revokedAt ? { tenantId: doc.tenantId, sourceId: doc.sourceId } : undefined;
    },

    async revoke(tenantId: string, sourceId: string, idPrefix: string): Promise<boolean> {
      const docs = await Keys.find({ tenantId, sourceId, revokedAt: { $exists: false } }).lean();
      const doc = docs.find((d) => d._id.startsWith(idPrefix));
      if (!doc) return false;
      await Keys.updateOne({ _id: doc._id }, { $set: { revokedAt: new Date() } });
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
