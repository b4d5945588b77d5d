import { createSchema } from 'graphql-yoga';
import { tenantModel } from '../db/models/tenant.ts';
import { checkHealth, type HealthDeps } from './health.ts';

export type AppContext = HealthDeps;

const typeDefs = /* GraphQL */ `
  "State of one part of the stack."
  type PartHealth {
    ok: Boolean!
    detail: String!
  }

  "Whether the database, Temporal and at least one worker are reachable."
  type Health {
    ok: Boolean!
    mongo: PartHealth!
    temporal: PartHealth!
    worker: PartHealth!
  }

  "A brand: every other object belongs to exactly one."
  type Tenant {
    id: ID!
    name: String!
  }

  type Query {
    health: Health!
    tenants: [Tenant!]!
  }
`;

export const schema = createSchema<AppContext>({
  typeDefs,
  resolvers: {
    Query: {
      health: (_root, _args, ctx) => checkHealth(ctx),
      tenants: async (_root, _args, ctx) => {
        const docs = await tenantModel(ctx.mongo).find().sort({ _id: 1 }).lean();
        return docs.map((d) => ({ id: d._id, name: d.name }));
      },
    },
  },
});
