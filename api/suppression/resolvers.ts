import { suppressionStore } from '../../db/suppression-store.ts';
import { authorize } from '../context.ts';
import { invalidInput, refused, succeeded } from '../core/payload.ts';
import type { GraphQLModule } from '../module.ts';
import { suppressionTypeDefs } from './type-defs.ts';

const MAX_VALUES = 1000;

export const suppressionModule: GraphQLModule = {
  typeDefs: suppressionTypeDefs,
  resolvers: {
    Query: {
      suppressionLists: async (_, __, ctx) => {
        const actor = authorize(ctx, 'suppression.read');
        return (await suppressionStore(ctx.deps.mongo).lists(actor.tenantId)).map((l) => ({
          ...l,
          state: l.state ?? null,
          updatedAt: l.updatedAt ?? null,
          by: l.by ?? null,
          note: l.note ?? null,
        }));
      },
    },
    Mutation: {
      addSuppressionEntries: async (_, { values }, ctx) => {
        const actor = authorize(ctx, 'suppression.manage');
        if (values.length === 0 || values.length > MAX_VALUES)
          return refused(invalidInput(`give 1 to ${MAX_VALUES} values; larger lists go to POST /suppression-lists/internal`, 'values'), {
            changed: 0,
            rejected: [],
          });
        const r = await suppressionStore(ctx.deps.mongo).add(values, { list: 'internal', tenantId: actor.tenantId, source: `added by ${actor.userId}` });
        if (!r.ok) return refused(invalidInput(r.error, 'values'), { changed: 0, rejected: [] });
        return succeeded({ changed: r.inserted, rejected: r.errors });
      },
      removeSuppressionEntry: async (_, { value }, ctx) => {
        const actor = authorize(ctx, 'suppression.manage');
        const removed = await suppressionStore(ctx.deps.mongo).remove(value, { list: 'internal', tenantId: actor.tenantId });
        return succeeded({ changed: removed ? 1 : 0, rejected: [] });
      },
    },
  },
};
