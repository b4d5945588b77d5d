import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildWorker, workerEnv, workerNodeFlags } from './build-worker.mjs';

const root = join(import.meta.dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'switchyard-build-worker-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The flags as a launcher outside Node spells them: the preload relative to the project. */
const relative = (flags: string[]) => flags.map((f) => f.replace(`${root}/`, './'));

describe('the built worker', () => {
  it('is one ES module of our code that plain Node loads, its imports left to node_modules', () => {
    const out = buildWorker(join(dir, 'worker.mjs'));
    const code = readFileSync(out, 'utf8');
    expect(code).toMatch(/from "@temporalio\/worker"/);
    expect(code).toMatch(/\/\/# sourceMappingURL=worker\.mjs\.map\s*$/);
    expect(JSON.parse(readFileSync(`${out}.map`, 'utf8')).sources.some((s: string) => s.endsWith('worker.ts'))).toBe(true);
    // Syntax only: loading it would start a worker.
    expect(() => execFileSync(process.execPath, ['--check', out])).not.toThrow();
  });

  it('runs with the same flags and malloc setting under npm run worker, docker compose and the stack', () => {
    const flags = relative(workerNodeFlags(224));
    const script = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts.worker as string;
    expect(script).toContain(`MALLOC_ARENA_MAX=\${MALLOC_ARENA_MAX:-${workerEnv.MALLOC_ARENA_MAX}}`);
    const npmFlags = flags.map((f) => (f === '--max-old-space-size=224' ? '--max-old-space-size=${WORKER_HEAP_MB:-224}' : f));
    expect(script).toContain(`node ${npmFlags.join(' ')} .build/worker.mjs`);
    const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8')) as {
      services: { worker: { command: string[]; environment: Record<string, string> } };
    };
    expect(compose.services.worker.command).toEqual(['node', ...flags, '.build/worker.mjs']);
    expect(compose.services.worker.environment.MALLOC_ARENA_MAX).toBe(workerEnv.MALLOC_ARENA_MAX);
    expect(readFileSync(join(root, 'Dockerfile'), 'utf8')).toContain('RUN node scripts/build-worker.mjs');
  });
});
