import { GraphQLError } from 'graphql';
import type { TenantProblem } from '../../services/tenants.ts';
import { refused, succeeded, userError } from '../core/payload.ts';
import type { GraphQLModule } from '../module.ts';
import { platformTypeDefs } from './type-defs.ts';

const problems = (ps: readonly TenantProblem[]) => ps.map((p) => userError(p.code, p.message, p.field));

export const platformModule: GraphQLModule = {
  typeDefs: platformTypeDefs,
  resolvers: {
    Mutation: {
      createTenant: async (_, args, ctx) => {
        // Not a tenant role: a signed-in admin of any tenant is refused the same as anyone else.
        if (!ctx.platform)
          throw new GraphQLError('Creating a tenant takes the platform operator credential (X-Platform-Token).', { extensions: { code: 'FORBIDDEN' } });
        const r = await ctx.services.tenants.create({
          id: args.id,
          name: args.name,
          adminEmail: args.adminEmail,
          ...(args.adminName ? { adminName: args.adminName } : {}),
        });
        if (!r.ok) return refused(problems(r.problems), { tenant: null });
        return succeeded({
          tenant: { id: r.tenantId, name: args.name, adminUserId: r.adminUserId, setPasswordToken: r.setPasswordToken, setPasswordExpiresAt: r.expiresAt },
        });
      },
      setPassword: async (_, args, ctx) => {
        const r = await ctx.services.tenants.setPassword(args.tenantId, args.email, args.token, args.password);
        return r.ok ? succeeded({}) : refused(problems(r.problems));
      },
    },
  },
};
