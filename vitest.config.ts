import { defineConfig } from 'vitest/config';

// The Temporal SDK's native bridge and worker threads misbehave inside
// worker_threads, so every project runs in child processes (pool "forks").
export default defineConfig({
  test: {
    pool: 'forks',
    teardownTimeout: 60_000,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['**/*.test.ts'],
          exclude: ['**/*.int.test.ts', 'node_modules/**', '.tools/**', '.data/**'],
          pool: 'forks',
          testTimeout: 10_000,
          // Pure tests first: they fail fast and need no servers.
          sequence: { groupOrder: 0 },
        },
      },
      {
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
