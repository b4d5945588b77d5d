import { authorize, type ApiContext } from '../context.ts';
import { invalidInput, problemsOf, refused, succeeded, userError } from '../core/payload.ts';
import type { GraphQLModule } from '../module.ts';
import { accessTypeDefs } from './type-defs.ts';

const sourceMissing = (sourceId: string) => userError('NOT_FOUND', `"${sourceId}" is not a source of this tenant.`, 'sourceId');

async function sourceExists(ctx: ApiContext, tenantId: string, sourceId: string): Promise<boolean> {
  const config = await ctx.loaders.config.load(tenantId);
  return !!config?.document.sources.some((s) => s.id === sourceId);
}

async function issue(ctx: ApiContext, sourceId: string) {
  const actor = authorize(ctx, 'apiKey.manage');
  if (!(await sourceExists(ctx, actor.tenantId, sourceId))) return refused(sourceMissing(sourceId));
  const { key, info } = await ctx.services.keys.issue(actor.tenantId, sourceId, actor.userId);
  return succeeded({ key, apiKey: info });
}

async function setDisabled(ctx: ApiContext, userId: string, disabled: boolean) {
  const actor = authorize(ctx, 'user.manage');
  if (disabled && userId === actor.userId) return refused(invalidInput('You cannot disable yourself.', 'userId'));
  const user = await ctx.services.users.setDisabled(actor.tenantId, userId, disabled);
  return user ? succeeded({ user }) : refused(userError('NOT_FOUND', 'No such user in this tenant.', 'userId'));
}

export const accessModule: GraphQLModule = {
  typeDefs: accessTypeDefs,
  resolvers: {
    Query: {
      users: (_, __, ctx) => ctx.services.users.list(authorize(ctx, 'user.list').tenantId),
      apiKeys: async (_, { sourceId }, ctx) => {
        const actor = authorize(ctx, 'apiKey.manage');
        return ctx.services.keys.list(actor.tenantId, sourceId);
      },
    },
    Mutation: {
      createUser: async (_, { input }, ctx) => {
        const actor = authorize(ctx, 'user.manage');
        const config = await ctx.loaders.config.load(actor.tenantId);
        const res = await ctx.services.users.create(actor.tenantId, input, config?.document);
        return res.ok ? succeeded({ user: res.user }) : refused(problemsOf(res.code, res.errors));
      },
      disableUser: (_, { userId }, ctx) => setDisabled(ctx, userId, true),
      enableUser: (_, { userId }, ctx) => setDisabled(ctx, userId, false),
      issueApiKey: (_, { sourceId }, ctx) => issue(ctx, sourceId),
      rotateApiKey: (_, { sourceId }, ctx) => issue(ctx, sourceId),
      revokeApiKey: async (_, { sourceId, keyId }, ctx) => {
        const actor = authorize(ctx, 'apiKey.manage');
        // Key ids are the first 12 hex digits of the key's hash; a shorter prefix could match the wrong key.
        if (!/^[0-9a-f]{12}$/.test(keyId)) return refused(invalidInput('must be a key id as listed by apiKeys (12 hex digits)', 'keyId'));
        const revoked = await ctx.services.keys.revoke(actor.tenantId, sourceId, keyId);
        return revoked ? succeeded({}) : refused(userError('NOT_FOUND', 'No active key with this id for this source.', 'keyId'));
      },
    },
  },
};
