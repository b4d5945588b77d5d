import { Connection } from '@temporalio/client';
import { spawnManaged, type ManagedChild } from './child.ts';
import { freePort, waitFor } from './ports.ts';
import { SEARCH_ATTRIBUTES } from './search-attributes.ts';
import { temporalCliPath } from './tools.ts';

export interface RunningTemporal {
  address: string;
  uiUrl?: string;
  child?: ManagedChild;
  stop(): Promise<void>;
}

export async function temporalReady(address: string, namespace = 'default'): Promise<boolean> {
  const connection = await Connection.connect({ address, connectTimeout: 1000 });
  try {
    await connection.workflowService.describeNamespace({ namespace });
    return true;
  } finally {
    await connection.close();
  }
}

/**
 * Starts `temporal server start-dev`. With dbFile the state survives restarts
 * (SQLite in WAL mode, so readers never wait on the writer). `port: 'free'`
 * picks one. The HTTP and metrics ports are always picked here, and a free
 * port can be taken by another process before the server binds it (shared CI
 * machines run several suites at once), so a bind failure is retried with
 * fresh ports rather than failing the whole run.
 */
export async function startTemporalDev(opts: {
  port: number | 'free';
  uiPort?: number;
  dbFile?: string;
  logFile?: string;
  echo?: boolean;
}): Promise<RunningTemporal> {
  const attempts = 4;
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce({ ...opts, port: opts.port === 'free' ? await freePort() : opts.port });
    } catch (err) {
      if (attempt >= attempts || !(err instanceof PortTakenError)) throw err;
    }
  }
}

class PortTakenError extends Error {}

async function startOnce(opts: { port: number; uiPort?: number; dbFile?: string; logFile?: string; echo?: boolean }): Promise<RunningTemporal> {
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(opts.port), '--log-level', 'warn'];
  args.push('--http-port', String(await freePort()), '--metrics-port', String(await freePort()));
  if (opts.uiPort) args.push('--ui-port', String(opts.uiPort));
  else args.push('--headless');
  if (opts.dbFile) {
    args.push('--db-filename', opts.dbFile);
    args.push('--sqlite-pragma', 'journal_mode=wal', '--sqlite-pragma', 'synchronous=normal');
  }
  for (const [name, type] of Object.entries(SEARCH_ATTRIBUTES)) args.push('--search-attribute', `${name}=${type}`);
  // Claim/return/lapse all ride on updates; the dev server keeps them on by default,
  // but make the setting explicit so a newer CLI cannot silently change it.
  args.push('--dynamic-config-value', 'frontend.enableUpdateWorkflowExecution=true');

  const child = spawnManaged({ name: 'temporal', command: temporalCliPath(), args, logFile: opts.logFile, echo: opts.echo });
  const address = `127.0.0.1:${opts.port}`;
  try {
    await waitFor('Temporal dev server', () => temporalReady(address), 60_000, child.exited);
  } catch (err) {
    await child.stop();
    if (/address already in use/.test(child.exited() ?? '')) throw new PortTakenError((err as Error).message);
    throw err;
  }
  return {
    address,
    uiUrl: opts.uiPort ? `http://localhost:${opts.uiPort}` : undefined,
    child,
    stop: () => child.stop(),
  };
}
