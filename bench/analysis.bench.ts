// `airlock analyze` and the collect step on big logs: prints ratios and peak memory measured in this
// one run (never asserted). Whole processes, interleaved, median of AIRLOCK_BENCH_RUNS.
//   npx tsx bench/analysis.bench.ts
// Environment:
//   AIRLOCK_BENCH_SIZES      MB per log, comma-separated (default "10,100"; add 1000 for 1 GB)
//   AIRLOCK_BENCH_RUNS       runs per measurement (default 3; sizes >= 1000 MB run once)
//   AIRLOCK_BENCH_CASES      cases of the collect step (default 4; each its own three logs)
//   AIRLOCK_BENCH_BASELINE_MAX_MB  sizes above this run ours only (the original takes minutes a GB)
//   AIRLOCK_BENCH_KEEP       set: keep the temp dir with the logs and outputs (to inspect a difference)
//   AIRLOCK_BLOOMBEE_SCRIPTS a directory with the original analyze_latency_breakdown.py and
//                            analyze_tradeoff_matrix.py: with python3 on PATH the baseline is the
//                            original; otherwise it is the previous version of ours (test/support/analysisOracle)
// Logs come from the seeded generator (bench/logGen.ts) in a temp dir that is deleted afterwards.
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { analysisWorkerOptions, nodeOptions, repoRoot } from '../scripts/bundles.mjs';
import { generateCaseLogs } from './logGen';

const sizes = (process.env.AIRLOCK_BENCH_SIZES ?? '10,100').split(',').map(Number);
const runsFor = (mb: number) => (mb >= 1000 ? 1 : Number(process.env.AIRLOCK_BENCH_RUNS ?? 3));
const caseCount = Number(process.env.AIRLOCK_BENCH_CASES ?? 4);
const baselineMaxMB = Number(process.env.AIRLOCK_BENCH_BASELINE_MAX_MB ?? Infinity);
const scripts = process.env.AIRLOCK_BLOOMBEE_SCRIPTS;
const python = scripts && spawnSync('python3', ['--version']).status === 0 && existsSync(join(scripts, 'analyze_latency_breakdown.py')) ? scripts : undefined;
const baseline = python ? 'original (python3)' : 'previous ours';

const benchDir = join(repoRoot, '.test-tmp', 'bench-analysis');
mkdirSync(benchDir, { recursive: true });
const runner = join(benchDir, 'runner.js');
buildSync({ ...nodeOptions(true), entryPoints: [join(repoRoot, 'bench/support/analysisRunner.ts')], outfile: runner, sourcemap: false, logLevel: 'error' });
buildSync({ ...analysisWorkerOptions(benchDir, true), sourcemap: false, logLevel: 'error' });

interface Sample {
  ms: number;
  rssMiB: number;
}

/** Runs one whole process; its stdout goes to `stdoutFile` when given (the original prints the latency report). */
function measure(cmd: string, args: string[], stdoutFile?: string): Sample {
  const fd = stdoutFile === undefined ? 'ignore' : openSync(stdoutFile, 'w');
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 26, stdio: ['ignore', fd, 'pipe'] });
  const ms = performance.now() - t0;
  if (typeof fd === 'number') closeSync(fd);
  if (r.status !== 0) throw new Error(`${cmd} ${args.slice(0, 3).join(' ')} failed: ${r.stderr}`);
  const last = r.stderr.trim().split('\n').pop()!;
  return { ms, rssMiB: JSON.parse(last).maxRssKiB / 1024 };
}

// ru_maxrss of the Python process (and of the children collect_and_analyze.py would start).
const pyWrap = `import json, os, resource, runpy, sys
script, *rest = sys.argv[1:]
sys.argv = [script, *rest]
sys.path.insert(0, os.path.dirname(os.path.abspath(script)))  # as \`python3 script\` does (the tradeoff script imports the latency one)
try:
    runpy.run_path(script, run_name="__main__")
finally:
    ru = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    sys.stderr.write("\\n" + json.dumps({"maxRssKiB": ru}) + "\\n")`;

const logs = (d: string) => ['--client-log', join(d, 'inference.log'), '--server1-log', join(d, 'server1.log'), '--server2-log', join(d, 'server2.log')];
const pySpec = (d: string) =>
  `name=${d.split('/').pop()},client=${join(d, 'inference.log')},server1=${join(d, 'server1.log')},server2=${join(d, 'server2.log')},compression=1,offload=0,batch=84,seq=512`;

function baselineRun(what: string, dirs: string[], out: string): Sample {
  if (!python) return measure(process.execPath, [runner, 'old', what, out, ...dirs]);
  const py = (script: string, args: string[], stdoutFile?: string) => measure('python3', ['-c', pyWrap, join(python, script), ...args], stdoutFile);
  if (what === 'latency') return py('analyze_latency_breakdown.py', logs(dirs[0]!), out);
  if (what === 'tradeoff') return py('analyze_tradeoff_matrix.py', [...dirs.flatMap((d) => ['--case', pySpec(d)]), '--output-csv', out]);
  // collect_and_analyze.py runs the two scripts one after the other.
  const parts = [
    ...dirs.map((d, i) => py('analyze_latency_breakdown.py', logs(d), `${out}.${i}.txt`)),
    py('analyze_tradeoff_matrix.py', [...dirs.flatMap((d) => ['--case', pySpec(d)]), '--output-csv', out]),
  ];
  return { ms: parts.reduce((a, p) => a + p.ms, 0), rssMiB: Math.max(...parts.map((p) => p.rssMiB)) };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

/** Interleaved runs of ours and the baseline; median time and the larger peak RSS of each. */
function compare(what: string, dirs: string[], runs: number, tmp: string, mb: number) {
  const ours: Sample[] = [];
  const base: Sample[] = [];
  let failed: string | undefined = mb > baselineMaxMB ? 'not run (AIRLOCK_BENCH_BASELINE_MAX_MB)' : undefined;
  for (let i = 0; i < runs; i++) {
    ours.push(measure(process.execPath, [runner, 'new', what, join(tmp, `new-${what}`), ...dirs]));
    if (failed) continue;
    try {
      base.push(baselineRun(what, dirs, join(tmp, `old-${what}`)));
    } catch (err) {
      // The previous version cannot read a log over 512 MiB ("Cannot create a string longer than ...").
      failed = `fails: ${/Cannot create a string[^\n]*/.exec((err as Error).message)?.[0] ?? (err as Error).message.split('\n')[0]}`;
    }
  }
  if (failed) return { speedup: NaN, ours, base, failed };
  // Same output as the baseline, byte for byte (the bench would be meaningless otherwise): the latency
  // report(s) and the trade-off CSV, whether the baseline is the original or our previous version.
  const same = (f: string) => readFileSync(join(tmp, `new-${what}${f}`)).equals(readFileSync(join(tmp, `old-${what}${f}`)));
  const files = what === 'collect' ? ['', ...dirs.map((_, i) => `.${i}.txt`)] : [''];
  const differ = files.filter((f) => !same(f));
  if (differ.length > 0)
    throw new Error(`${what}: output differs from the ${baseline}: ${differ.map((f) => `new-${what}${f} / old-${what}${f}`).join(', ')} in ${tmp}`);
  return { speedup: median(base.map((s) => s.ms)) / median(ours.map((s) => s.ms)), ours, base, failed };
}

console.log(
  `Analysis bench: ours vs ${baseline}; whole processes, median of interleaved runs, this machine (${process.env.AIRLOCK_BENCH_SIZES ?? '10,100'} MB per log)`,
);
console.log(
  '| MB per log | latency speed-up | tradeoff speed-up | collect speed-up (cases) | peak RSS latency ours / base | tradeoff ours / base | collect ours / base |',
);
console.log('|---|---|---|---|---|---|---|');
for (const mb of sizes) {
  const tmp = mkdtempSync(join(tmpdir(), 'airlock-bench-analysis-'));
  try {
    const runs = runsFor(mb);
    const cases = Array.from({ length: mb >= 1000 ? 1 : caseCount }, (_, i) => join(tmp, `case_${i}`));
    for (const [i, d] of cases.entries()) generateCaseLogs(d, { bytesPerLog: mb * 1e6, seed: 1 + i });
    const lat = compare('latency', cases.slice(0, 1), runs, tmp, mb);
    const tr = compare('tradeoff', cases.slice(0, 1), runs, tmp, mb);
    const col = compare('collect', cases, runs, tmp, mb);
    const peak = (xs: Sample[]) => Math.max(...xs.map((s) => s.rssMiB)).toFixed(0);
    const rss = (c: typeof lat) => `${peak(c.ours)} MiB / ${c.failed ? (c.failed.startsWith('fails') ? 'fails' : 'not run') : `${peak(c.base)} MiB`}`;
    const x = (c: typeof lat) =>
      c.failed ? `ours ${(median(c.ours.map((s) => s.ms)) / 1000).toFixed(1)} s, baseline ${c.failed}` : `${c.speedup.toFixed(1)}x`;
    console.log(`| ${mb} | ${x(lat)} | ${x(tr)} | ${x(col)} (${cases.length}) | ${rss(lat)} | ${rss(tr)} | ${rss(col)} |`);
  } finally {
    if (!process.env.AIRLOCK_BENCH_KEEP) rmSync(tmp, { recursive: true, force: true });
  }
}
console.log("speed-up = baseline time / our time (higher is better); collect = the analysis step of `sweep collect` over the cases' local logs.");
