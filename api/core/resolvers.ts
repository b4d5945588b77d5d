import { decodeJwt } from 'jose';
import { tenantModel } from '../../db/models/tenant.ts';
import type { Principal } from '../../domain/access/policy.ts';
import { authorize } from '../context.ts';
import { checkHealth } from '../health.ts';
import type { GraphQLModule } from '../module.ts';
import { refused, succeeded, userError } from './payload.ts';
import { DateTimeScalar, JsonScalar } from './scalars.ts';
import { coreTypeDefs } from './type-defs.ts';

export const meOf = (p: Principal) => ({ ...p.actor, via: p.via });

export const coreModule: GraphQLModule = {
  typeDefs: coreTypeDefs,
  resolvers: {
    DateTime: DateTimeScalar,
    JSON: JsonScalar,
    Query: {
      me: (_, __, ctx) => (ctx.principal ? meOf(ctx.principal) : null),
      tenant: async (_, __, ctx) => {
        const actor = authorize(ctx, 'tenant.read');
        const doc = await tenantModel(ctx.deps.mongo).findById(actor.tenantId).lean();
        return { id: actor.tenantId, name: doc?.name ?? actor.tenantId };
      },
      health: (_, __, ctx) => {
        authorize(ctx, 'health.read');
        return checkHealth(ctx.deps);
      },
    },
    Mutation: {
      signIn: async (_, args, ctx) => {
        const res = await ctx.deps.auth.signIn(args.tenantId, args.email, args.password);
        if (!res.ok) return refused(userError('INVALID_CREDENTIALS', 'The tenant, email or password is wrong, or the user is disabled.'));
        const exp = decodeJwt(res.token).exp;
        return succeeded({ token: res.token, expiresAt: exp ? exp * 1000 : null, me: meOf({ actor: res.actor, via: 'user' }) });
      },
    },
  },
};
