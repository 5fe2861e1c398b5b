// Phase queue throughput: entries per minute for 1, 2, 4 and 8 workers with a no-op command, as a
// ratio to the raw rate of `git commit` + `git push` on the same kind of remote. Prints, never asserts.
//   npx tsx bench/phases.bench.ts [entries]
import { execFileSync, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cliBundle } from '../test/support/cliBundle';
import { makeGitQueue } from '../test/support/gitQueue';

const entries = Number(process.argv[2] ?? 48);
const plan = { phases: [{ name: 'bench', axes: { i: Array.from({ length: entries }, (_, i) => `e${i}`) }, reruns: 1, command: `echo '{{"ok": 1}}' > {result}` }] };
const cli = cliBundle();

function rawCommitPushPerMin(n = 20): number {
  const q = makeGitQueue(plan);
  const c = q.clone('raw');
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    writeFileSync(join(c, `f${i}`), String(i));
    q.git(c, 'add', '-A');
    q.git(c, 'commit', '-q', '-m', `raw ${i}`);
    q.git(c, 'push', '-q', 'origin', 'HEAD:main');
  }
  const perMin = n / ((performance.now() - t0) / 60_000);
  q.dispose();
  return perMin;
}

async function drain(workers: number): Promise<number> {
  const q = makeGitQueue(plan);
  execFileSync(process.execPath, [cli, 'phases', 'generate'], { cwd: q.seed });
  const clones = Array.from({ length: workers }, (_, i) => q.clone(`w${i}`));
  const t0 = performance.now();
  await Promise.all(clones.map((cwd, i) => new Promise<void>((resolve, reject) => {
    const p = spawn(process.execPath, [cli, 'worker', '--host', `w${i}`, '--quiet', '--no-wait'], { cwd, env: { ...process.env, AIRLOCK_VRAM_GB: '0' }, stdio: 'ignore' });
    p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`worker ${i} exited ${code}`))));
  })));
  const secs = (performance.now() - t0) / 1000;
  const done = q.remoteFiles('data/runs').filter((f) => /^data\/runs\/[^/]+\.json$/.test(f)).length;
  q.dispose();
  if (done !== entries) throw new Error(`only ${done}/${entries} entries done`);
  return entries / (secs / 60);
}

async function main(): Promise<void> {
const raw = rawCommitPushPerMin();
console.log(`phases bench: ${entries} no-op entries; raw git commit+push on a local bare remote: ${raw.toFixed(0)}/min`);
console.log('workers  entries/min  ratio to raw commit+push  (each entry needs a claim push and a finish push, so 0.5 is the ceiling for one worker)');
for (const w of [1, 2, 4, 8]) {
  const rate = await drain(w);
  console.log(`${String(w).padStart(7)}  ${rate.toFixed(0).padStart(11)}  ${(rate / raw).toFixed(2).padStart(24)}`);
}
}

void main();
