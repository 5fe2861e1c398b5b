// `airlock sweep run --dry-run` on the original's example configs prints the original's transcript
// (fixtures/bloombee/*.dryrun.txt) line for line, except for the deliberate fixes: background jobs are
// stopped (and stale ones killed) by process group, and the client reports its PID. The test applies
// exactly those substitutions to the original's output and then demands identity.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliBundle } from '../../support/cliBundle';
import { stopScript } from '../../../src/core/sweep/remoteScripts';

const fx = 'test/fixtures/sweep/bloombee';

/** The original's transcript with our three fixes applied (`quoted`: the remote command sits inside shlex quotes). */
function withFixes(original: string, quoted: boolean): string {
  const stop = (name: string, log: string) => (quoted ? stopScript(name, log, 2).replace(/'/g, `'"'"'`) : stopScript(name, log, 2));
  return original
    .replace(/kill -0 "\$\(cat (\S+?)\)"/g, 'kill -0 -- -"$(cat $1)"')
    .replace(/kill "\$\(cat (\S+?)\)" 2>\/dev\/null/g, 'kill -TERM -- -"$(cat $1)" 2>/dev/null')
    .replace(/set -euo pipefail; if \[ ! -f (\S+)\.pid \]; then\s+echo NO_PIDFILE (\S+);.*?echo STOPPED \S+ PID=\$PID/g, (_m, log: string, name: string) =>
      stop(name, log),
    )
    .replace(/(mkdir -p \S+; )(bash -lc )/g, '$1echo CLIENT_PID=$$$$; $2');
}

function dryRun(config: string, args: string[]) {
  const tmp = mkdtempSync(join(tmpdir(), 'airlock-dry-'));
  cpSync(join(fx, config), join(tmp, config));
  const r = spawnSync(process.execPath, [cliBundle(), 'sweep', 'run', config, '--dry-run', ...args], { cwd: tmp, encoding: 'utf8' });
  return { ...r, tmp };
}

describe('sweep dry-run matches the original scripts', () => {
  test('sequenced: run_sequenced_tradeoff_sweep.py --dry-run, all 8 cases, reinstall deduplicated per host/repo', () => {
    const r = dryRun('sequenced_tradeoff_windows_aliases.example.json', ['--local-root', 'collected_runs/dryrun/sequenced_runs']);
    try {
      assert.equal(r.status, 0, r.stderr);
      // A fourth fix: the placeholder matrix goes beside the real run's folder, never over it.
      const expected = withFixes(readFileSync(join(fx, 'run_sequenced_tradeoff_sweep.windows_aliases.dryrun.txt'), 'utf8'), true).replace(
        /(matrix written: \S+\/tradeoff_weekly)\//g,
        '$1.dry-run/',
      );
      assert.equal(r.stdout, expected.endsWith('\n') ? expected : expected + '\n');
      assert.equal(r.stdout.split('\n').filter((l) => l.includes('STOPPED')).length, 24, 'three stops per case');
      // Like the original, a dry run still writes config_used.json, zeroed summaries and the matrix — but
      // only into <run_tag>.dry-run/, so a real run's folder is never touched.
      const root = join(r.tmp, 'collected_runs/dryrun/sequenced_runs');
      assert.equal(
        readFileSync(join(root, 'tradeoff_weekly.dry-run/config_used.json'), 'utf8'),
        readFileSync(join(fx, 'sequenced.config_used.expected.json'), 'utf8'),
      );
      assert.match(
        r.stderr,
        /dry run of tradeoff_weekly: 8 case\(s\) planned, nothing ran and no result was replaced — placeholders \(zeros\) in collected_runs\/dryrun\/sequenced_runs\/tradeoff_weekly\.dry-run/,
      );
      assert.ok(!existsSync(join(root, 'tradeoff_weekly')), 'no real run folder is created');
      assert.match(
        readFileSync(join(root, 'tradeoff_weekly.dry-run/sweep_matrix.csv'), 'utf8'),
        /\r\nbs84_off0_cmp1,tradeoff_weekly_007_bs84_off0_cmp1,84,0,1,0,100,0,100,0,100,0,200,0\.0,0\.0,0\.0,0\.0,0\.0,1\.0,1\.0,0\.0\r\n$/,
      );
      assert.ok(existsSync(join(root, 'tradeoff_weekly.dry-run/tradeoff_weekly_000_bs24_mb8_off1_cmp0/analysis_summary.txt')));
      assert.ok(!existsSync(join(root, 'tradeoff_weekly_000_bs24_mb8_off1_cmp0')), 'no real case folder is created');
    } finally {
      rmSync(r.tmp, { recursive: true, force: true });
    }
  });

  test('queue: cluster_launch_queue.py --dry-run, shared DHT, then the collect step that queue runs end with', () => {
    const r = dryRun('cluster_launch_config.example.json', []);
    try {
      assert.equal(r.status, 0, r.stderr);
      const expected = withFixes(readFileSync(join(fx, 'cluster_launch_queue.example.dryrun.txt'), 'utf8'), false)
        .trimEnd()
        .split('\n');
      const out = r.stdout.trimEnd().split('\n');
      assert.deepEqual(out.slice(0, expected.length), expected);
      const collect = out.slice(expected.length);
      assert.ok(
        collect.every((l) => l.startsWith('[collect] ')),
        collect.join('\n'),
      );
      assert.equal(collect[0], '[collect] run_tag=weekly_sensitivity cases=4 results_root=/home/cc/bb_sensitivity_runs local_root=collected_runs');
      assert.equal(
        collect[1],
        '[collect] $ scp -P 22 -o BatchMode=yes -o StrictHostKeyChecking=accept-new cc@169.236.184.234:/home/cc/bb_sensitivity_runs/weekly_sensitivity/shared_dht.log collected_runs/weekly_sensitivity/shared_dht.log',
      );
      assert.equal(collect.filter((l) => l.includes(' scp ')).length, 1 + 4 * 3);
      assert.equal(collect.filter((l) => l.includes('airlock analyze latency')).length, 4);
      assert.match(
        collect.at(-3)!,
        /airlock analyze tradeoff --case name=bs84_mb8_comp0_eval256,client=collected_runs\/weekly_sensitivity_000_bs84_mb8_comp0_eval256\/inference\.log,.*,compression=0,offload=1,batch=84,seq=512 --case .*compression=1,offload=1,batch=84,seq=512 .* --baseline bs84_mb8_comp0_eval256 --output-csv collected_runs\/weekly_sensitivity\/tradeoff_matrix\.csv$/,
      );
      assert.equal(collect.at(-1), '[collect] done.');
      assert.equal(existsSync(join(r.tmp, 'collected_runs')), false, 'a queue dry run writes nothing');
    } finally {
      rmSync(r.tmp, { recursive: true, force: true });
    }
  });

  test('--mode overrides the mode inferred from the schedule; --no-collect ends like the original', () => {
    const r = dryRun('cluster_launch_config.example.json', ['--no-collect', '--run-tag', 'T1']);
    try {
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout.trimEnd().split('\n').at(-1), '[cluster-launch] Cleanup completed.');
      assert.match(r.stdout, /^\[cluster-launch\] run_tag=T1 cases=4 /);
      const seq = dryRun('cluster_launch_config.example.json', ['--mode', 'sequenced', '--local-root', 'out']);
      assert.equal(seq.status, 0, seq.stderr);
      assert.match(
        seq.stdout,
        /^\[sweep\] run_tag=weekly_sensitivity cases=4 stage_waits=30\/30\/30s results_root=\/home\/cc\/bb_sensitivity_runs local_root=out dry_run=True\n/,
      );
      rmSync(seq.tmp, { recursive: true, force: true });
    } finally {
      rmSync(r.tmp, { recursive: true, force: true });
    }
  });
});
