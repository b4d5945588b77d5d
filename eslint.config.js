// @ts-check
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import prettier from 'eslint-config-prettier/flat';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const TESTS = ['**/*.test.ts'];

/** Top-level folders, as the import string names them from anywhere below the root. */
const folders = (...names) => `^(\\.\\./)+(${names.join('|')})(/|\\.ts$|$)`;
const packages = (...names) => `^(${names.map((n) => n.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|')})(/|$)`;

// Packages whose job is I/O: a database, HTTP, mail, metrics, a Temporal connection.
const IO_PACKAGES = packages(
  'mongoose',
  'mongodb',
  'express',
  'cors',
  'helmet',
  'graphql-yoga',
  'graphql-http',
  '@escape.tech/graphql-armor',
  'dataloader',
  'pino',
  'pino-pretty',
  'nodemailer',
  'smtp-server',
  'mailparser',
  'prom-client',
  'rate-limiter-flexible',
  '@opentelemetry/sdk-trace-base',
  '@opentelemetry/sdk-trace-node',
  '@opentelemetry/exporter-trace-otlp-http',
  '@temporalio/client',
  '@temporalio/worker',
  '@temporalio/activity',
  '@temporalio/testing',
  'tsx',
);

const PROCESS_WIRING = ['db', 'infra', 'services', 'api', 'stack', 'testing', 'load', 'scripts', 'worker'];

// Workflow code is replayed from history in Temporal's sandbox: any I/O would
// make a replay diverge, so it reaches the world only through activities, and
// knows those by their types alone.
const workflowBoundary = {
  files: ['workflows/**/*.ts'],
  ignores: TESTS,
  rules: {
    '@typescript-eslint/no-restricted-imports': [
      'error',
      {
        paths: builtinModules.map((name) => ({ name, message: 'workflows do no I/O: Node built-ins belong in activities.' })),
        patterns: [
          { regex: '^node:', message: 'workflows do no I/O: Node built-ins belong in activities.' },
          { regex: folders(...PROCESS_WIRING), message: 'workflows do no I/O: reach db/infra/services/api through an activity.' },
          { regex: IO_PACKAGES, message: 'workflows do no I/O: this package belongs in an activity or the process wiring.' },
          {
            regex: folders('activities'),
            allowTypeImports: true,
            message: 'workflows import activities with `import type` only; calls go through proxyActivities.',
          },
        ],
      },
    ],
  },
};

// The functional core runs without Temporal or Mongo, so it can be tested and
// reasoned about as plain functions.
const domainBoundary = {
  files: ['domain/**/*.ts'],
  ignores: TESTS,
  rules: {
    '@typescript-eslint/no-restricted-imports': [
      'error',
      {
        patterns: [
          {
            regex: folders(...PROCESS_WIRING, 'activities', 'workflows'),
            message: 'domain/ is the pure core: of this project it imports only domain/ and schema/.',
          },
          { regex: '^@temporalio/', message: 'domain/ runs without Temporal.' },
          { regex: IO_PACKAGES, message: 'domain/ is the pure core: this package does I/O.' },
        ],
      },
    ],
  },
};

export default defineConfig(
  // Vite bundles its config to *.timestamp-*.mjs beside it while it builds (and leaves it behind if interrupted).
  globalIgnores(['api/generated/**', '.tools/**', '.data/**', '.build/**', 'dist/**', 'console/dist/**', 'coverage/**', '**/*.timestamp-*.mjs']),
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // verbatimModuleSyntax keeps type imports in the output unless marked.
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/consistent-type-exports': 'error',
      '@typescript-eslint/no-import-type-side-effects': 'error',
      // Statuses and event kinds are unions; a new member must reach every switch.
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/return-await': ['error', 'in-try-catch'],
      '@typescript-eslint/no-misused-spread': 'error',
      eqeqeq: ['error', 'smart'],
      // `const { _id, ...rest } = doc` is how a field is dropped; `_x` marks a
      // parameter an interface requires.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // Ports are closures returned by factories and declared with method
      // syntax; none uses `this`, so passing `store.save` along is safe and the
      // rule would fire on every hand-over.
      '@typescript-eslint/unbound-method': 'off',
      // An `async` function with no await still turns a throw into a rejection,
      // which port implementations rely on.
      '@typescript-eslint/require-await': 'off',
      // A workflow registers handlers that read its context before the first
      // await assigns it: such a variable cannot be const.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
    },
  },
  {
    // Tests read untyped JSON (GraphQL and HTTP responses) and poke at
    // internals; expect() is their type check.
    files: TESTS,
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  workflowBoundary,
  domainBoundary,
  // The console runs in the browser.
  { files: ['console/src/**/*.{ts,tsx}'], languageOptions: { globals: globals.browser } },
  {
    files: ['**/*.{js,mjs,cjs}'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: globals.node },
  },
  prettier,
);
