// Phase queue throughput: entries per minute drained by 1, 2, 4 and 8 `airlock worker` processes
// (one clone each, a no-op command) on a local bare repository, printed as a ratio to the raw rate
// of `git commit` + `git push` by one writer on the same kind of remote. Prints, never asserts.
//   npx tsx bench/phases.bench.ts [entries per run, default 48] [worker counts, default 1,2,4,8]
// A worker pushes twice per entry (the claim, then the finish), each after a fetch, so about 0.5 for
// one worker is the protocol's ceiling; more workers add throughput and contention (a rejected push
// re-fetches and retries; a lost race moves on to another entry).
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliBundle } from '../test/support/cliBundle';

const entries = Number(process.argv[2] ?? 48);
const counts = (process.argv[3] ?? '1,2,4,8').split(',').map(Number);
const env = { ...process.env, GIT_AUTHOR_NAME: 'b', GIT_AUTHOR_EMAIL: 'b@b', GIT_COMMITTER_NAME: 'b', GIT_COMMITTER_EMAIL: 'b@b' };
const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const cli = cliBundle();

function makeRemote(plan?: object): { dir: string; remote: string; seed: string } {
  const dir = mkdtempSync(join(tmpdir(), 'airlock-bench-phases-'));
  const remote = join(dir, 'remote.git');
  git(dir, 'init', '-q', '--bare', '-b', 'main', remote);
  const seed = join(dir, 'seed');
  git(dir, 'clone', '-q', remote, seed);
  git(seed, 'checkout', '-q', '-b', 'main');
  mkdirSync(join(seed, '.airlock'));
  writeFileSync(join(seed, '.airlock/phases.json'), JSON.stringify(plan ?? { phases: [{ name: 'x', axes: { i: ['0'] }, command: 'true' }] }));
  git(seed, 'add', '.');
  git(seed, 'commit', '-q', '-m', 'plan');
  git(seed, 'push', '-q', 'origin', 'main');
  return { dir, remote, seed };
}

/** One writer: write a small file, add, commit, push — the floor under any claim protocol. */
function rawRatePerMin(n: number): number {
  const { dir, seed } = makeRemote();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    writeFileSync(join(seed, `f${i}.json`), `{"i": ${i}}\n`);
    git(seed, 'add', `f${i}.json`);
    git(seed, 'commit', '-q', '-m', `raw ${i}`);
    git(seed, 'push', '-q', 'origin', 'main');
  }
  const perMin = (n * 60_000) / (performance.now() - t0);
  rmSync(dir, { recursive: true, force: true });
  return perMin;
}

async function workersRatePerMin(workers: number, n: number): Promise<{ perMin: number; lost: number }> {
  const values = Array.from({ length: n }, (_, i) => `v${i}`);
  const { dir, seed } = makeRemote({ phases: [{ name: 'noop', axes: { i: values }, reruns: 1, command: `echo '{{}}' > {result}` }] });
  execFileSync(process.execPath, [cli, 'phases', 'generate'], { cwd: seed, env, stdio: 'ignore' });
  const clones = Array.from({ length: workers }, (_, w) => {
    const p = join(dir, `w${w}`);
    git(dir, 'clone', '-q', join(dir, 'remote.git'), p);
    return p;
  });
  let lost = 0;
  const t0 = performance.now();
  await Promise.all(clones.map((cwd, w) => new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [cli, 'worker', '--host', `w${w}`, '--quiet', '--no-wait', '--vram-gb', '0'], { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => {
      const m = /(\d+) lost races/.exec(err);
      lost += m ? Number(m[1]) : 0;
      if (code === 0) resolve();
      else reject(new Error(`worker w${w} exited ${code}: ${err.slice(-500)}`));
    });
  })));
  const ms = performance.now() - t0;
  const done = git(join(dir, 'remote.git'), 'ls-tree', '--name-only', 'main', 'data/runs/').split('\n').filter((p) => /^data\/runs\/v\d+_0\.json$/.test(p)).length;
  rmSync(dir, { recursive: true, force: true });
  if (done !== n) throw new Error(`${workers} workers: ${done}/${n} results on the remote`);
  return { perMin: (n * 60_000) / ms, lost };
}

async function main(): Promise<void> {
  const raw = rawRatePerMin(Math.max(20, entries));
  console.log(`raw git commit + push (one writer): ${raw.toFixed(0)} per minute`);
  console.log('workers  entries/min  ratio-to-raw  lost-races');
  for (const w of counts) {
    const r = await workersRatePerMin(w, entries);
    console.log(`${String(w).padStart(7)}  ${r.perMin.toFixed(0).padStart(11)}  ${(r.perMin / raw).toFixed(2).padStart(12)}  ${String(r.lost).padStart(10)}`);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
