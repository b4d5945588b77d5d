import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export interface ManagedChild {
  name: string;
  proc: ChildProcess;
  /** Why it exited, once it has; used to fail fast while waiting for readiness. */
  exited(): string | undefined;
  stop(graceMs?: number): Promise<void>;
}

export interface SpawnOptions {
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Append the child's output to this file instead of discarding it. */
  logFile?: string;
  /** Also echo output to this process with a name prefix. */
  echo?: boolean;
  /** Run as this user and group (only when this process is root). */
  uid?: number;
  gid?: number;
  /** The signal that asks it to stop (SIGTERM unless given); SIGKILL follows after the grace period. */
  stopSignal?: NodeJS.Signals;
}

export function spawnManaged(opts: SpawnOptions): ManagedChild {
  const proc = spawn(opts.command, opts.args, {
    cwd: opts.cwd,
    env: opts.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    uid: opts.uid,
    gid: opts.gid,
  });
  const tail: string[] = [];
  let exitReason: string | undefined;
  const log = opts.logFile ? (mkdirSync(dirname(opts.logFile), { recursive: true }), createWriteStream(opts.logFile, { flags: 'a' })) : undefined;
  const onData = (chunk: Buffer) => {
    log?.write(chunk);
    const text = chunk.toString();
    for (const line of text.split('\n')) {
      if (!line) continue;
      tail.push(line);
      if (tail.length > 20) tail.shift();
      if (opts.echo) process.stdout.write(`[${opts.name}] ${line}\n`);
    }
  };
  proc.stdout?.on('data', onData);
  proc.stderr?.on('data', onData);
  const exitedPromise = new Promise<void>((res) => {
    proc.once('exit', (code, signal) => {
      exitReason = `exit code ${code ?? 'none'}, signal ${signal ?? 'none'}; last output:\n${tail.join('\n')}`;
      log?.end();
      res();
    });
    proc.once('error', (err) => {
      exitReason = `spawn failed: ${err.message}`;
      res();
    });
  });

  return {
    name: opts.name,
    proc,
    exited: () => exitReason,
    async stop(graceMs = 10_000) {
      if (exitReason !== undefined) return;
      proc.kill(opts.stopSignal ?? 'SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
      await exitedPromise;
      clearTimeout(timer);
    },
  };
}
