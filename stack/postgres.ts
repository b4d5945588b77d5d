import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { spawnManaged, type ManagedChild } from './child.ts';
import { waitFor } from './ports.ts';
import { postgresBinDir } from './tools.ts';

/** The database FerretDB keeps its MongoDB databases in (one PostgreSQL schema each). */
export const FERRET_DATABASE = 'ferretdb';

export interface RunningPostgres {
  port: number;
  version: string;
  child: ManagedChild;
  /** A URL for database `db` as the superuser (trust authentication, 127.0.0.1 only). */
  url(db: string): string;
  stop(): Promise<void>;
}

interface RunAs {
  name: string;
  uid: number;
  gid: number;
}

/** PostgreSQL refuses to run as root: as root, the servers run as this user (created if missing). */
const OS_USER = process.env.SWITCHYARD_PG_OS_USER ?? 'postgres';

function lookupUser(name: string): RunAs | undefined {
  const r = spawnSync('id', ['-u', name], { encoding: 'utf8' });
  const g = spawnSync('id', ['-g', name], { encoding: 'utf8' });
  if (r.status !== 0 || g.status !== 0) return undefined;
  return { name, uid: Number(r.stdout.trim()), gid: Number(g.stdout.trim()) };
}

function runAsUser(): RunAs | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const found = lookupUser(OS_USER);
  if (found) return found;
  const r = spawnSync('useradd', ['--system', '--user-group', '--no-create-home', '--home-dir', '/nonexistent', '--shell', '/usr/sbin/nologin', OS_USER], {
    encoding: 'utf8',
  });
  const created = lookupUser(OS_USER);
  if (!created) {
    throw new Error(
      `PostgreSQL cannot run as root and there is no '${OS_USER}' user; useradd failed (${r.error?.message ?? r.stderr.trim()}). Create the user, or run as another user.`,
    );
  }
  return created;
}

/**
 * As root, the data directory's ancestors must let the postgres user pass
 * (a mkdtemp directory is 0700): add only the search bit for others, where missing.
 */
function letUserReach(dir: string, user: RunAs): void {
  for (let d = dirname(dir); ; d = dirname(d)) {
    const st = statSync(d);
    const reachable = st.uid === user.uid ? (st.mode & 0o100) !== 0 : st.gid === user.gid ? (st.mode & 0o010) !== 0 : (st.mode & 0o001) !== 0;
    if (!reachable) chmodSync(d, (st.mode & 0o7777) | 0o001);
    if (dirname(d) === d) break;
  }
}

function runTool(what: string, command: string, args: string[], user: RunAs | undefined, opts: SpawnSyncOptions = {}): string {
  const r = spawnSync(command, args, { encoding: 'utf8', ...(user ? { uid: user.uid, gid: user.gid } : {}), ...opts });
  const out = `${String(r.stdout ?? '')}${String(r.stderr ?? '')}`.trim();
  if (r.error) throw new Error(`${what}: cannot run ${command}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${what}: ${command} exited with ${r.status}:\n${out}`);
  return out;
}

/**
 * Creates the cluster once, into a sibling directory that is renamed into
 * place only when it is complete (with the `ferretdb` database created), so a
 * run interrupted halfway leaves nothing that looks like a cluster.
 */
function initCluster(bin: string, dataDir: string, user: RunAs | undefined): void {
  const staging = `${dataDir}.init`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(dirname(dataDir), { recursive: true });
  mkdirSync(staging, { mode: 0o700 });
  if (user) {
    chownSync(staging, user.uid, user.gid);
    letUserReach(staging, user);
  }
  runTool('initdb', join(bin, 'initdb'), ['-D', staging, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C'], user);
  // No client program ships with the package: single-user mode runs the one statement.
  const out = runTool('create database', join(bin, 'postgres'), ['--single', '-D', staging, '-c', 'log_min_messages=warning', 'postgres'], user, {
    input: `CREATE DATABASE ${FERRET_DATABASE};\n`,
  });
  if (/\bERROR\b/.test(out)) throw new Error(`create database ${FERRET_DATABASE} failed:\n${out}`);
  renameSync(staging, dataDir);
}

/** pg_ctl's own readiness test: the postmaster writes "ready" into postmaster.pid once it accepts connections. */
function postmasterReady(dataDir: string, pid: number | undefined): boolean {
  try {
    const lines = readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n');
    return Number(lines[0]) === pid && lines[7]?.trim() === 'ready';
  } catch {
    return false;
  }
}

/**
 * PostgreSQL for the embedded FerretDB, from the npm platform package: the
 * cluster in dataDir (created on first use, kept across restarts), listening
 * on 127.0.0.1:port only, trust authentication, no Unix socket (so no path
 * length limit and no /var/run/postgresql). The postgres process is a managed
 * child of this one, stopped with a fast shutdown.
 */
export async function startPostgres(opts: { port: number; dataDir: string; logFile?: string; echo?: boolean }): Promise<RunningPostgres> {
  const bin = postgresBinDir();
  const dataDir = resolve(opts.dataDir);
  const user = runAsUser();
  const version = runTool('postgres --version', join(bin, 'postgres'), ['--version'], undefined).replace(/^postgres \(PostgreSQL\) /, '');
  if (user) letUserReach(join(bin, 'postgres'), user);
  if (!existsSync(join(dataDir, 'PG_VERSION'))) initCluster(bin, dataDir, user);
  else if (user) letUserReach(dataDir, user);

  const child = spawnManaged({
    name: 'postgres',
    command: join(bin, 'postgres'),
    args: [
      '-D',
      dataDir,
      '-p',
      String(opts.port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      // FerretDB's pool takes up to 200 connections (stack/ferretdb.ts), the GIN maintainer one.
      '-c',
      'max_connections=250',
      '-c',
      'shared_buffers=128MB',
      // switchyard's unique-key inserts fail on purpose, thousands of times an
      // hour, and PostgreSQL would log each with its key and statement. Only
      // FATAL and PANIC reach the log; FerretDB logs every other SQL error.
      '-c',
      'log_min_messages=fatal',
      '-c',
      'log_min_error_statement=panic',
    ],
    ...(user ? { uid: user.uid, gid: user.gid } : {}),
    // SIGTERM is PostgreSQL's "smart" shutdown, which waits for every client to go; SIGINT is the fast one.
    stopSignal: 'SIGINT',
    logFile: opts.logFile,
    echo: opts.echo,
  });
  try {
    await waitFor('PostgreSQL', async () => postmasterReady(dataDir, child.proc.pid), 60_000, child.exited);
  } catch (err) {
    await child.stop();
    throw err;
  }
  return {
    port: opts.port,
    version,
    child,
    url: (db) => `postgres://postgres@127.0.0.1:${opts.port}/${db}`,
    stop: () => child.stop(30_000),
  };
}
