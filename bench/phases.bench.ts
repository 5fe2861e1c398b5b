// Phase queue throughput on a local bare remote, in ONE run: the raw rate of `git commit` + `git
// push` from one process; entries/min for 1–32 workers with no-op entries and with 2 s entries, as
// ratios to 1 worker and to the raw rate; git processes per entry (every git process, the remote's
// side of each fetch and push included, counted with GIT_TRACE2 into a directory: one file per
// process). The branch protocol (before the ref protocol) is measured too, at 1 and 8 workers.
// Prints, never asserts.
//   npx tsx bench/phases.bench.ts [no-op entries] [2 s entries]
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliBundle } from '../test/support/cliBundle';
import { makeGitQueue } from '../test/support/gitQueue';

const noopEntries = Number(process.argv[2] ?? 200);
const slowEntries = Number(process.argv[3] ?? 32);
const workerCounts = [1, 2, 4, 8, 16, 32];
const cli = cliBundle();
// Entries run in login shells; a profile (pyenv, conda) would be part of every entry. An empty HOME
// keeps a no-op entry a no-op, so the numbers are the queue's own.
const home = mkdtempSync(join(tmpdir(), 'airlock-bench-home-'));
const plan = (n: number, command: string) => ({ phases: [{ name: 'bench', axes: { i: Array.from({ length: n }, (_, i) => `e${i}`) }, reruns: 1, command }] });
const noop = `echo '{{"ok": 1}}' > {result}`;
const slow = `sleep 2; echo '{{"ok": 1}}' > {result}`;

function rawCommitPushPerMin(n = 40): number {
  const q = makeGitQueue(plan(1, noop));
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

interface Run {
  perMin: number;
  gitPerEntry: number;
  gaveUp: number;
}

async function drain(workers: number, entries: number, command: string, protocol: 'refs' | 'branch'): Promise<Run> {
  const q = makeGitQueue(plan(entries, command));
  execFileSync(process.execPath, [cli, 'phases', 'generate', '--protocol', protocol], { cwd: q.seed, stdio: 'ignore' });
  const clones = Array.from({ length: workers }, (_, i) => q.clone(`w${i}`));
  const trace = join(q.dir, 'trace2');
  mkdirSync(trace);
  let gaveUp = 0;
  const t0 = performance.now();
  await Promise.all(
    clones.map(
      (cwd, i) =>
        new Promise<void>((resolve) => {
          const p = spawn(process.execPath, [cli, 'worker', '--host', `w${i}`, '--quiet', '--no-wait'], {
            cwd,
            env: { ...process.env, HOME: home, AIRLOCK_VRAM_GB: '0', GIT_TRACE2: trace },
            stdio: 'ignore',
          });
          p.on('exit', (code) => {
            if (code !== 0) gaveUp++;
            resolve();
          });
        }),
    ),
  );
  const secs = (performance.now() - t0) / 1000;
  const done = q.remoteFiles('data/runs').filter((f) => /^data\/runs\/[^/]+\.json$/.test(f)).length;
  const processes = readdirSync(trace).length;
  q.dispose();
  if (done !== entries) throw new Error(`${protocol}, ${workers} workers: only ${done}/${entries} entries done`);
  return { perMin: entries / (secs / 60), gitPerEntry: processes / entries, gaveUp };
}

const fmt = (n: number, w: number, d = 0) => n.toFixed(d).padStart(w);

async function main(): Promise<void> {
  console.log(
    `phases bench: ${cpus().length} cores, load ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} at start`,
  );
  const raw = rawCommitPushPerMin();
  console.log(`raw git commit+push of one process on a local bare remote: ${raw.toFixed(0)}/min\n`);
  for (const [title, entries, command, counts, protocol] of [
    [`no-op entries (${noopEntries}), ref protocol`, noopEntries, noop, workerCounts, 'refs'],
    [`2 s entries (${slowEntries}), ref protocol`, slowEntries, slow, workerCounts, 'refs'],
    [`no-op entries (${noopEntries}), branch protocol (before)`, noopEntries, noop, [1, 8], 'branch'],
  ] as const) {
    console.log(title);
    console.log('workers  entries/min  vs 1 worker  vs raw push  git processes/entry  workers that gave up');
    let one: number | undefined;
    for (const w of counts) {
      const r = await drain(w, entries, command, protocol);
      one ??= r.perMin;
      console.log(
        `${fmt(w, 7)}  ${fmt(r.perMin, 11)}  ${fmt(r.perMin / one, 10, 2)}×  ${fmt(r.perMin / raw, 10, 2)}  ${fmt(r.gitPerEntry, 19, 1)}  ${fmt(r.gaveUp, 20)}`,
      );
    }
    console.log('');
  }
  console.log(
    `load ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} at the end`,
  );
  rmSync(home, { recursive: true, force: true });
}

void main();
