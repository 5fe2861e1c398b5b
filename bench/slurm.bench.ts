// Per-entry overhead of a phase worker in a Slurm array task against `sbatch --wrap` of the bare
// command, on the loopback test cluster, in ONE run. (a) N jobs `sbatch --wrap '<cmd>'` submitted at
// once and run one at a time, wall time until all are COMPLETED, per job. (b) one array task running the script
// `airlock phases submit` writes (clone in $TMPDIR, `airlock worker`) draining N entries of the same
// command, wall time from sbatch to the task's end, per entry. Prints, never asserts.
//   npx tsx bench/slurm.bench.ts [entries]
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { cliBundle } from '../test/support/cliBundle';
import { makeGitQueue } from '../test/support/gitQueue';
import { startSlurmCluster } from '../test/support/slurmCluster';
import { sbatchArgv, workerArrayScript } from '../src/core/slurm/workerArray';

const n = Number(process.argv[2] ?? 20);
const command = 'sleep 0.5';

void (async () => {
  const cli = cliBundle();
  const cluster = await startSlurmCluster();
  try {
    const ended = (ids: string[]) => () => {
      const rows = cluster.run('squeue', '-h', '--states=all', '-j', ids.join(','), '-o', '%T').trim().split('\n').filter(Boolean);
      return rows.length >= ids.length && rows.every((s) => s === 'COMPLETED') ? true : undefined;
    };
    // (a) bare sbatch --wrap, submitted at once and run one after another (--dependency=singleton),
    // as the one worker of (b) runs its entries.
    let t0 = performance.now();
    const ids = Array.from({ length: n }, () =>
      cluster.run('sbatch', '--parsable', '-J', 'bare', '--dependency=singleton', '-o', '/dev/null', '--wrap', command).trim(),
    );
    await cluster.waitFor('the bare jobs', ended(ids), 600_000);
    const bare = (performance.now() - t0) / n;

    // (b) one worker in one array task drains n entries.
    const q = makeGitQueue({
      phases: [{ name: 'bench', axes: { i: Array.from({ length: n }, (_, i) => `e${i}`) }, reruns: 1, command: `${command}; echo '{{"ok": 1}}' > {result}` }],
    });
    spawnSync(process.execPath, [cli, 'phases', 'generate'], { cwd: q.seed, encoding: 'utf8' });
    const opts = { workers: 1, remoteUrl: q.remote, cliPath: cli, vramGb: 0 };
    const script = join(cluster.home, 'workers.sbatch');
    writeFileSync(script, workerArrayScript(opts), { mode: 0o755 });
    t0 = performance.now();
    const job = cluster.run('sbatch', ...sbatchArgv(opts, cluster.home), script).trim();
    await cluster.waitFor('the array task', ended([job]), 600_000);
    const worker = (performance.now() - t0) / n;
    q.dispose();

    const f = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
    console.log(
      `load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}; ${n} entries of "${command}"`,
    );
    console.log('| way | wall time per entry | ratio |');
    console.log('|---|---|---|');
    console.log(`| sbatch --wrap, one job per entry, one at a time | ${f(bare)} | 1.00 |`);
    console.log(`| one array task, airlock worker | ${f(worker)} | ${(worker / bare).toFixed(2)} |`);
  } finally {
    await cluster.stop();
  }
})();
