import { spawn, type ChildProcess } from 'node:child_process';
import { freePort, waitFor } from '../stack/ports.ts';
import { nodeArgs, nodeEnv, projectRoot } from '../stack/tools.ts';

/** A worker or API process started as in production (stack/tools.ts nodeArgs), with every output line kept. */
export interface AppProcess {
  name: string;
  proc: ChildProcess;
  /** Every line it wrote to stdout and stderr, in order. */
  lines: string[];
  /** Its lines parsed as JSON (pino); a line that is not JSON fails the parse loudly. */
  json(): Array<Record<string, unknown>>;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  exited(): boolean;
  /** Resolves once a JSON line with this message appears. */
  waitForMessage(msg: string, timeoutMs?: number): Promise<void>;
  /** Sends a signal and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function startAppProcess(name: string, script: string, env: Record<string, string>): AppProcess {
  const proc = spawn(process.execPath, nodeArgs(script), {
    cwd: projectRoot,
    // Only what the test names, on top of PATH and HOME: no stray settings from the shell.
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...nodeEnv(script), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let dead = false;
  const collect = (stream: NodeJS.ReadableStream | null) => {
    let rest = '';
    stream?.on('data', (chunk: Buffer) => {
      const parts = (rest + chunk.toString('utf8')).split('\n');
      rest = parts.pop() ?? '';
      for (const l of parts) if (l.trim()) lines.push(l);
    });
    stream?.on('end', () => {
      if (rest.trim()) lines.push(rest);
    });
  };
  collect(proc.stdout);
  collect(proc.stderr);
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    proc.once('exit', (code, signal) => {
      dead = true;
      // Let the pipes drain their last lines.
      setTimeout(() => resolve({ code, signal }), 100);
    });
  });
  const json = () =>
    lines.map((l) => {
      try {
        return JSON.parse(l) as Record<string, unknown>;
      } catch {
        throw new Error(`${name} wrote a line that is not JSON: ${l}`);
      }
    });
  const seen = (msg: string) => lines.some((l) => l.includes(`"msg":${JSON.stringify(msg)}`));
  return {
    name,
    proc,
    lines,
    json,
    exit,
    exited: () => dead,
    waitForMessage: (msg, timeoutMs = 120_000) =>
      waitFor(
        `${name}: "${msg}"`,
        async () => seen(msg),
        timeoutMs,
        () => (dead ? `${name} exited; last lines:\n${lines.slice(-15).join('\n')}` : undefined),
      ),
    async stop(signal = 'SIGTERM') {
      if (!dead) proc.kill(signal);
      return exit;
    },
  };
}

/** A worker process on the test servers, polling `taskQueue` (or the queues its env names), ready when it says so. */
export async function startWorkerProcess(name: string, env: Record<string, string>): Promise<AppProcess & { metricsPort: number }> {
  const metricsPort = await freePort();
  const p = startAppProcess(name, 'worker.ts', {
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    WORKER_METRICS_PORT: String(metricsPort),
    WORKER_METRICS_HOST: '127.0.0.1',
    ...env,
  });
  await p.waitForMessage('worker started');
  return Object.assign(p, { metricsPort });
}

export async function startApiProcess(name: string, env: Record<string, string>): Promise<AppProcess & { url: string }> {
  const port = await freePort();
  const p = startAppProcess(name, 'api/main.ts', { NODE_ENV: 'test', LOG_LEVEL: 'info', PORT: String(port), ...env });
  await waitFor(
    `${name} listening`,
    async () => (await fetch(`http://127.0.0.1:${port}/metrics`)).ok,
    60_000,
    () => (p.exited() ? p.lines.slice(-15).join('\n') : undefined),
  );
  return Object.assign(p, { url: `http://127.0.0.1:${port}` });
}
