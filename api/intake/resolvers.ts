import { submitForSource } from '../../services/source-intake.ts';
import { authorize, requirePrincipal, userError, type ApiContext } from '../context.ts';
import type { GraphQLModule } from '../module.ts';
import { intakeTypeDefs } from './type-defs.ts';

export const intakeModule: GraphQLModule = {
  typeDefs: intakeTypeDefs,
  resolvers: {
    Mutation: {
      submitLead: async (_: unknown, args: { sourceId?: string | null; payload: unknown }, ctx: ApiContext) => {
        const { actor } = requirePrincipal(ctx);
        const sourceId = args.sourceId ?? actor.sourceId;
        if (!sourceId) {
          authorize(ctx, 'lead.submit');
          return { ok: false, errors: [userError('INVALID_INPUT', 'name the source the lead comes from', 'sourceId')] };
        }
        authorize(ctx, 'lead.submit', { kind: 'source', tenantId: actor.tenantId, sourceId });
        const res = await submitForSource({ ...ctx.deps, configs: ctx.services.configs }, { tenantId: actor.tenantId, sourceId, payload: args.payload, receivedAt: ctx.now });
        if (res.ok) return { ok: true, leadId: res.leadId, duplicate: res.duplicate, errors: [] };
        return { ok: false, errors: res.errors.map((e) => userError(res.code, e.message, e.field)) };
      },
    },
  },
};
