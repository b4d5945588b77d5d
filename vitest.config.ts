import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

// graphql 16 ships CJS (main) and ESM (module) builds without an exports map:
// Node (and graphql-yoga, loaded by Node) takes the CJS one, vite would take
// the ESM one for our sources, and two graphql instances break instanceof
// checks (a thrown GraphQLError gets masked). Point ours at Node's choice.
const graphqlMain = createRequire(import.meta.url).resolve('graphql');
const resolve = { alias: [{ find: /^graphql$/, replacement: graphqlMain }] };

// The Temporal SDK's native bridge and worker threads misbehave inside
// worker_threads, so every project runs in child processes (pool "forks").
export default defineConfig({
  test: {
    pool: 'forks',
    teardownTimeout: 60_000,
    projects: [
      {
        resolve,
        test: {
          name: 'unit',
          include: ['**/*.test.ts'],
          exclude: ['**/*.int.test.ts', 'node_modules/**', '.tools/**', '.data/**', '.build/**'],
          pool: 'forks',
          testTimeout: 10_000,
          // Pure tests first: they fail fast and need no servers.
          sequence: { groupOrder: 0 },
        },
      },
      {
        resolve,
        test: {
          name: 'integration',
          include: ['**/*.int.test.ts'],
          exclude: ['node_modules/**', '.tools/**', '.data/**'],
          pool: 'forks',
          // Two cores: the servers need one of them.
          maxWorkers: 2,
          sequence: { groupOrder: 1 },
          globalSetup: ['./testing/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
