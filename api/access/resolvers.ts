import type { ApiKeyInfo } from '../../services/api-keys.ts';
import { authorize, userError, type ApiContext } from '../context.ts';
import type { GraphQLModule } from '../module.ts';
import { accessTypeDefs } from './type-defs.ts';

const sourceMissing = (sourceId: string) => userError('NOT_FOUND', `"${sourceId}" is not a source of this tenant.`, 'sourceId');

async function sourceExists(ctx: ApiContext, tenantId: string, sourceId: string): Promise<boolean> {
  const config = await ctx.loaders.config.load(tenantId);
  return !!config?.document.sources.some((s) => s.id === sourceId);
}

const keyOut = (k: ApiKeyInfo) => ({ ...k, revokedAt: k.revokedAt ?? null });

async function issue(ctx: ApiContext, sourceId: string) {
  const actor = authorize(ctx, 'apiKey.manage');
  if (!(await sourceExists(ctx, actor.tenantId, sourceId))) return { ok: false, errors: [sourceMissing(sourceId)] };
  const { key, info } = await ctx.services.keys.issue(actor.tenantId, sourceId, actor.userId);
  return { ok: true, key, apiKey: keyOut(info), errors: [] };
}

async function setDisabled(ctx: ApiContext, userId: string, disabled: boolean) {
  const actor = authorize(ctx, 'user.manage');
  if (disabled && userId === actor.userId) return { ok: false, errors: [userError('INVALID_INPUT', 'You cannot disable yourself.', 'userId')] };
  const user = await ctx.services.users.setDisabled(actor.tenantId, userId, disabled);
  return user ? { ok: true, user, errors: [] } : { ok: false, errors: [userError('NOT_FOUND', 'No such user in this tenant.', 'userId')] };
}

export const accessModule: GraphQLModule = {
  typeDefs: accessTypeDefs,
  resolvers: {
    Query: {
      users: (_: unknown, __: unknown, ctx: ApiContext) => ctx.services.users.list(authorize(ctx, 'user.list').tenantId),
      apiKeys: async (_: unknown, { sourceId }: { sourceId: string }, ctx: ApiContext) => {
        const actor = authorize(ctx, 'apiKey.manage');
        return (await ctx.services.keys.list(actor.tenantId, sourceId)).map(keyOut);
      },
    },
    Mutation: {
      createUser: async (_: unknown, { input }: { input: unknown }, ctx: ApiContext) => {
        const actor = authorize(ctx, 'user.manage');
        const config = await ctx.loaders.config.load(actor.tenantId);
        const res = await ctx.services.users.create(actor.tenantId, input, config?.document);
        if (res.ok) return { ok: true, user: res.user, errors: [] };
        return { ok: false, errors: res.errors.map((e) => userError(res.code, e.message, e.field)) };
      },
      disableUser: (_: unknown, { userId }: { userId: string }, ctx: ApiContext) => setDisabled(ctx, userId, true),
      enableUser: (_: unknown, { userId }: { userId: string }, ctx: ApiContext) => setDisabled(ctx, userId, false),
      issueApiKey: (_: unknown, { sourceId }: { sourceId: string }, ctx: ApiContext) => issue(ctx, sourceId),
      rotateApiKey: (_: unknown, { sourceId }: { sourceId: string }, ctx: ApiContext) => issue(ctx, sourceId),
      revokeApiKey: async (_: unknown, { sourceId, keyId }: { sourceId: string; keyId: string }, ctx: ApiContext) => {
        const actor = authorize(ctx, 'apiKey.manage');
        // Key ids are the first 12 hex digits of the key's hash; a shorter prefix could match the wrong key.
        if (!/^[0-9a-f]{12}$/.test(keyId)) return { ok: false, errors: [userError('INVALID_INPUT', 'must be a key id as listed by apiKeys (12 hex digits)', 'keyId')] };
        const revoked = await ctx.services.keys.revoke(actor.tenantId, sourceId, keyId);
        return revoked ? { ok: true, errors: [] } : { ok: false, errors: [userError('NOT_FOUND', 'No active key with this id for this source.', 'keyId')] };
      },
    },
  },
};
