import { submitForSource } from '../../services/source-intake.ts';
import { authorize, requirePrincipal } from '../context.ts';
import { invalidInput, problemsOf, refused, succeeded } from '../core/payload.ts';
import type { GraphQLModule } from '../module.ts';
import { intakeTypeDefs } from './type-defs.ts';

export const intakeModule: GraphQLModule = {
  typeDefs: intakeTypeDefs,
  resolvers: {
    Mutation: {
      submitLead: async (_, args, ctx) => {
        const { actor } = requirePrincipal(ctx);
        const sourceId = args.sourceId ?? actor.sourceId;
        if (!sourceId) {
          authorize(ctx, 'lead.submit');
          return refused(invalidInput('name the source the lead comes from', 'sourceId'));
        }
        authorize(ctx, 'lead.submit', { kind: 'source', tenantId: actor.tenantId, sourceId });
        const res = await submitForSource(
          { ...ctx.deps, configs: ctx.services.configs },
          { tenantId: actor.tenantId, sourceId, payload: args.payload, receivedAt: ctx.now },
        );
        return res.ok ? succeeded({ leadId: res.leadId, duplicate: res.duplicate }) : refused(problemsOf(res.code, res.errors));
      },
    },
  },
};
