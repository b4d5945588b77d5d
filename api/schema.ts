import { createSchema } from 'graphql-yoga';
import { accessModule } from './access/resolvers.ts';
import { configModule } from './config/resolvers.ts';
import type { ApiContext } from './context.ts';
import { coreModule } from './core/resolvers.ts';
import { intakeModule } from './intake/resolvers.ts';
import { leadOpsModule } from './lead-ops/resolvers.ts';
import { leadsModule } from './leads/resolvers.ts';
import type { GraphQLModule } from './module.ts';
import { notificationsModule } from './notifications/resolvers.ts';
import { offersModule } from './offers/resolvers.ts';
import { platformModule } from './platform/resolvers.ts';
import { suppressionModule } from './suppression/resolvers.ts';
import { portalsModule } from './portals/resolvers.ts';
import { reportsModule } from './reports/resolvers.ts';
import { routingModule } from './routing/resolvers.ts';

/**
 * The API's modules. Each is SDL (extending Query/Mutation) plus resolvers
 * (`api/<module>/type-defs.ts` and `resolvers.ts`); a new one is one import
 * and one entry here, then `npm run codegen` for its types.
 */
export const MODULES: GraphQLModule[] = [
  coreModule,
  accessModule,
  configModule,
  intakeModule,
  leadsModule,
  leadOpsModule,
  routingModule,
  portalsModule,
  offersModule,
  notificationsModule,
  reportsModule,
  platformModule,
  suppressionModule,
];

export function buildSchema<C extends object = object>(modules: GraphQLModule[] = MODULES) {
  return createSchema<C & ApiContext>({
    typeDefs: modules.map((m) => m.typeDefs),
    resolvers: modules.map((m) => m.resolvers),
    // A resolver for a field the SDL does not have is a startup error, not a silent no-op.
    resolverValidationOptions: { requireResolversToMatchSchema: 'error' },
  });
}
