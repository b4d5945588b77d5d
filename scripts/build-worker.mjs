// The worker's entry point as one ES module of the project's own code
// (dependencies stay imports from node_modules), so the worker runs on plain
// Node: no TypeScript loader thread and no per-module transform kept in its
// heap (issue #16 measured about 150 MB less resident memory with this and the
// flags below). The API and the scripts still run under tsx.
//
//   node scripts/build-worker.mjs        -> .build/worker.mjs (+ .map)
//
// The file sits one directory below the project root, like infra/, so the
// `import.meta.url`-relative paths of the bundled code resolve as they do in
// the sources.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const workerBuildPath = join(projectRoot, '.build', 'worker.mjs');

/**
 * How the worker's Node runs, wherever it is started (stack/tools.ts;
 * package.json's `worker` script and docker-compose.yml spell out the same):
 * - its workflow threads' preload (infra/workflow-threads.cjs),
 * - source maps, so stacks in logs name the TypeScript files,
 * - a young generation of 4 MB per isolate (V8 sizes it by the machine: 32 MB
 *   on a 24 GiB host, in the main thread and the workflow thread alike),
 * - an old generation bounded at WORKER_HEAP_MB (224): without a bound V8
 *   lets it grow to three times what is live before collecting.
 */
export function workerNodeFlags(heapMb = Number(process.env.WORKER_HEAP_MB ?? 224)) {
  return ['--require', join(projectRoot, 'infra', 'workflow-threads.cjs'), '--enable-source-maps', '--max-semi-space-size=4', `--max-old-space-size=${heapMb}`];
}

/** glibc's malloc keeps an arena per thread that allocated (up to 8 per core); two serve the worker's threads as well. */
export const workerEnv = { MALLOC_ARENA_MAX: '2' };

/** Builds the worker (about 0.3 s); concurrent builders each write whole files and rename them into place. */
export function buildWorker(outFile = workerBuildPath) {
  const result = buildSync({
    entryPoints: [join(projectRoot, 'worker.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    outfile: outFile,
    write: false,
    logLevel: 'warning',
  });
  mkdirSync(dirname(outFile), { recursive: true });
  // The map first: a reader of the new module finds its map in place.
  const files = [...result.outputFiles].sort((a, b) => Number(b.path.endsWith('.map')) - Number(a.path.endsWith('.map')));
  for (const f of files) {
    const tmp = join(dirname(f.path), `.${basename(f.path)}.${process.pid}.tmp`);
    writeFileSync(tmp, f.contents);
    renameSync(tmp, f.path);
  }
  return outFile;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const t0 = Date.now();
  const out = buildWorker();
  console.log(`[build-worker] ${out} in ${Date.now() - t0} ms`);
}
