// npm run bench: every *.bench.ts in the project, one after another, each in
// its own process (they start their own servers), output streamed as it comes.
// `npm run bench -- allocation reports` runs only the files whose path
// contains one of the words.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { projectRoot } from '../stack/tools.ts';

const SKIP = new Set(['node_modules', '.git', '.tools', '.data', 'coverage', 'dist']);
function find(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (SKIP.has(name)) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) find(p, out);
    else if (name.endsWith('.bench.ts')) out.push(relative(projectRoot, p));
  }
  return out;
}

const only = process.argv.slice(2);
const files = find(projectRoot)
  .sort()
  .filter((f) => only.length === 0 || only.some((w) => f.includes(w)));
const failed: string[] = [];
for (const file of files) {
  process.stdout.write(`\n=== ${file} ===\n`);
  const started = Date.now();
  const r = spawnSync(process.execPath, ['--import', 'tsx', file], { cwd: projectRoot, stdio: 'inherit', env: process.env });
  process.stdout.write(`=== ${file}: ${r.status === 0 ? 'done' : `FAILED (exit ${r.status})`} in ${((Date.now() - started) / 1000).toFixed(1)} s ===\n`);
  if (r.status !== 0) failed.push(file);
}
if (failed.length > 0) {
  process.stderr.write(`\nbenchmarks failed: ${failed.join(', ')}\n`);
  process.exit(1);
}
