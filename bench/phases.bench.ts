// Phase queue throughput on a local bare remote, in ONE run: the raw rate of `git commit` + `git
// push` from one process; entries/min for 1–32 workers with no-op entries and with 2 s entries, as
// ratios to 1 worker and to the raw rate; git processes per entry (every git process, the remote's
// side of each fetch and push included, counted with GIT_TRACE2 into a directory: one file per
// process), split into pushes, fetches and lost claim races per entry. The branch protocol (before
// the ref protocol) is measured too, at 1 and 8 workers.
//
// The machine may be shared: every measurement is repeated in `--rounds` rounds, and within a
// round the worker counts run interleaved (the order alternates between rounds), so a ratio to one
// worker compares runs made minutes apart at most. Each row shows the median over the rounds, and
// each ratio is the median of the per-round ratios. Prints, never asserts.
//   npx tsx bench/phases.bench.ts [no-op entries] [2 s entries] [--rounds R] [--workers 1,8] [--only noop,slow,branch] [--compare OTHER/cli.js]
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { cliBundle } from '../test/support/cliBundle';
import { makeGitQueue } from '../test/support/gitQueue';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { rounds: { type: 'string' }, workers: { type: 'string' }, only: { type: 'string' }, compare: { type: 'string' } },
});
const noopEntries = Number(positionals[0] ?? 200);
const slowEntries = Number(positionals[1] ?? 48);
const rounds = Number(values.rounds ?? 1);
const workerCounts = values.workers ? values.workers.split(',').map(Number) : [1, 2, 4, 8, 16, 32];
const only = new Set((values.only ?? 'noop,slow,branch').split(','));
const cli = cliBundle();
// `--compare OTHER/cli.js`: another build (e.g. before a change) measured in the same rounds, run for run next to this one.
const clis: [string, string][] = values.compare
  ? [
      ['this build', cli],
      ['--compare', values.compare],
    ]
  : [['', cli]];
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
  pushesPerEntry: number;
  fetchesPerEntry: number;
  lostPerEntry: number;
  gaveUp: number;
}

/** Top-level git commands of a trace directory (one file per process): `cmd_name` of each. */
function commandCounts(trace: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const f of readdirSync(trace)) {
    const name = /cmd_name (\S+)/.exec(readFileSync(join(trace, f), 'utf8'))?.[1] ?? '?';
    out.set(name, (out.get(name) ?? 0) + 1);
  }
  return out;
}

async function drain(cli: string, workers: number, entries: number, command: string, protocol: 'refs' | 'branch'): Promise<Run> {
  const q = makeGitQueue(plan(entries, command));
  execFileSync(process.execPath, [cli, 'phases', 'generate', '--protocol', protocol], { cwd: q.seed, stdio: 'ignore' });
  const clones = Array.from({ length: workers }, (_, i) => q.clone(`w${i}`));
  const trace = join(q.dir, 'trace2');
  mkdirSync(trace);
  let gaveUp = 0;
  let lost = 0;
  const t0 = performance.now();
  await Promise.all(
    clones.map(
      (cwd, i) =>
        new Promise<void>((resolve) => {
          const p = spawn(process.execPath, [cli, 'worker', '--host', `w${i}`, '--quiet', '--no-wait', '--events', 'jsonl'], {
            cwd,
            env: { ...process.env, HOME: home, AIRLOCK_VRAM_GB: '0', GIT_TRACE2: trace },
            stdio: ['ignore', 'pipe', 'ignore'],
          });
          let rest = '';
          p.stdout.on('data', (d: Buffer) => {
            const lines = (rest + d.toString()).split('\n');
            rest = lines.pop()!;
            lost += lines.filter((l) => l.startsWith('{"type":"lost"')).length;
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
  const counts = commandCounts(trace);
  const processes = [...counts.values()].reduce((a, b) => a + b, 0);
  q.dispose();
  if (done !== entries) throw new Error(`${protocol}, ${workers} workers: only ${done}/${entries} entries done`);
  return {
    perMin: entries / (secs / 60),
    gitPerEntry: processes / entries,
    pushesPerEntry: (counts.get('push') ?? 0) / entries,
    fetchesPerEntry: (counts.get('fetch') ?? 0) / entries,
    lostPerEntry: lost / entries,
    gaveUp,
  };
}

const fmt = (n: number, w: number, d = 0) => n.toFixed(d).padStart(w);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');

async function main(): Promise<void> {
  console.log(`phases bench: ${cpus().length} cores, load ${load()} at start, ${rounds} round(s), worker counts interleaved within each round`);
  const sections = [
    {
      key: 'noop',
      title: `no-op entries (${noopEntries}), ref protocol`,
      entries: noopEntries,
      command: noop,
      counts: workerCounts,
      protocol: 'refs' as const,
    },
    { key: 'slow', title: `2 s entries (${slowEntries}), ref protocol`, entries: slowEntries, command: slow, counts: workerCounts, protocol: 'refs' as const },
    {
      key: 'branch',
      title: `no-op entries (${noopEntries}), branch protocol (before)`,
      entries: noopEntries,
      command: noop,
      counts: workerCounts.filter((w) => w === 1 || w === 8),
      protocol: 'branch' as const,
    },
  ].filter((s) => only.has(s.key) && s.counts.length);
  const raws: number[] = [];
  const runs = new Map<string, Run[]>();
  for (let round = 0; round < rounds; round++) {
    raws.push(rawCommitPushPerMin());
    for (const s of sections) {
      const order = round % 2 ? [...s.counts].reverse() : s.counts;
      for (const w of order) {
        for (const [label, c] of round % 2 ? [...clis].reverse() : clis) {
          const r = await drain(c, w, s.entries, s.command, s.protocol);
          runs.set(`${label}/${s.key}/${w}`, [...(runs.get(`${label}/${s.key}/${w}`) ?? []), r]);
          console.error(`  round ${round + 1}: ${label} ${s.key} ${w} workers: ${r.perMin.toFixed(0)}/min (load ${load()})`);
        }
      }
    }
  }
  const raw = median(raws);
  console.log(`raw git commit+push of one process on a local bare remote: ${raw.toFixed(0)}/min (rounds: ${raws.map((r) => r.toFixed(0)).join(', ')})\n`);
  for (const s of sections) {
    for (const [label] of clis) {
      console.log(`${s.title}${label ? `, ${label}` : ''}`);
      console.log('workers  entries/min  vs 1 worker  vs raw push  git processes/entry  pushes/entry  fetches/entry  lost races/entry  gave up');
      const ones = runs.get(`${label}/${s.key}/${s.counts[0]}`)!;
      for (const w of s.counts) {
        const rs = runs.get(`${label}/${s.key}/${w}`)!;
        const m = (f: (r: Run) => number) => median(rs.map(f));
        const vsOne = median(rs.map((r, i) => r.perMin / ones[i]!.perMin));
        const vsRaw = median(rs.map((r, i) => r.perMin / raws[i]!));
        console.log(
          [
            fmt(w, 7),
            fmt(
              m((r) => r.perMin),
              11,
            ),
            `${fmt(vsOne, 10, 2)}×`,
            fmt(vsRaw, 10, 2),
            fmt(
              m((r) => r.gitPerEntry),
              19,
              1,
            ),
            fmt(
              m((r) => r.pushesPerEntry),
              12,
              2,
            ),
            fmt(
              m((r) => r.fetchesPerEntry),
              13,
              2,
            ),
            fmt(
              m((r) => r.lostPerEntry),
              16,
              2,
            ),
            fmt(Math.max(...rs.map((r) => r.gaveUp)), 7),
          ].join('  '),
        );
      }
      console.log('');
    }
  }
  console.log(`load ${load()} at the end`);
  rmSync(home, { recursive: true, force: true });
}

void main();
