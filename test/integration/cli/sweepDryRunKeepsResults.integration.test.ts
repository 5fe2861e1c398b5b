// `airlock sweep run --dry-run` after a real run of the example sweep (examples/sweeps/local_sweep.json,
// three cases on this machine, no SSH): every file of the real run is byte-for-byte and mtime the same
// afterwards, the placeholders are only in <run_tag>.dry-run/, and the output says it was a dry run.
// The same real run shows that the example's stand-in scripts give every case its own numbers.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { cliBundle } from '../../support/cliBundle';
import { readMatrixCsv } from '../../../src/core/analysis/matrixCsv';

const ws = mkdtempSync(join(tmpdir(), 'airlock-dry-keep-'));
after(() => rmSync(ws, { recursive: true, force: true }));
cpSync('examples/sweeps', join(ws, 'sweeps'), { recursive: true });
// The example's remote results root is a fixed /tmp path; this test keeps its own.
const configPath = join(ws, 'sweeps/local_sweep.json');
const config = JSON.parse(readFileSync(configPath, 'utf8')) as { schedule: Record<string, unknown> };
config.schedule.results_root = join(ws, 'remote');
// Short waits: the stand-in roles are up at once (a loaded machine still gets them started in order).
Object.assign(config.schedule, { wait_after_dht_sec: 0.3, wait_after_server1_sec: 0.3, wait_after_server2_sec: 0.3, teardown_wait_sec: 0 });
writeFileSync(configPath, JSON.stringify(config, null, 2));

/** Every file under dir: path → content and mtime. */
function snapshot(dir: string): Map<string, { bytes: string; mtimeMs: number }> {
  const out = new Map<string, { bytes: string; mtimeMs: number }>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(relative(dir, p), { bytes: readFileSync(p).toString('base64'), mtimeMs: statSync(p).mtimeMs });
    }
  };
  walk(dir);
  return out;
}

const cli = (args: string[]) =>
  // From the config's folder: `local` roles run in the CLI's working directory (repo_dir is relative).
  spawnSync(process.execPath, [cliBundle(), 'sweep', 'run', 'local_sweep.json', '--local-root', '../collected_runs', ...args], {
    cwd: join(ws, 'sweeps'),
    encoding: 'utf8',
    env: { ...process.env, STEP_SLEEP: '0' },
    timeout: 240_000,
  });

describe('a dry run never replaces a real run', { timeout: 300_000 }, () => {
  test('real run: three cases with their own numbers; then --dry-run leaves every file as it was', () => {
    const real = cli([]);
    assert.equal(real.status, 0, real.stderr);
    const root = join(ws, 'collected_runs');
    const matrix = readMatrixCsv(readFileSync(join(root, 'demo/sweep_matrix.csv'), 'utf8'));
    const col = (name: string) => matrix.rows.map((r) => Number(r[matrix.header.indexOf(name)]));
    assert.deepEqual(
      matrix.rows.map((r) => r[0]),
      ['baseline', 'lossless', 'offload b4'],
    );
    for (const metric of ['mean_step_latency_ms', 'mean_send_total_kb']) {
      const v = col(metric);
      assert.ok(v.every((x) => x > 0) && new Set(v).size === 3, `${metric} differs per case: ${v.join(', ')}`);
    }
    assert.deepEqual(col('mean_tx_wire_over_raw_ratio'), [1, 0.62, 0.62], 'the lossless wrapper sends fewer bytes');
    const [base, lossless, offload] = col('mean_step_latency_ms') as [number, number, number];
    assert.ok(base < lossless && lossless < offload, 'compression and offloading cost latency');

    const before = snapshot(root);
    assert.ok(before.size >= 3 * 4 + 3, `the real run wrote its files (${before.size})`);
    const dry = cli(['--dry-run']);
    assert.equal(dry.status, 0, dry.stderr);
    assert.match(
      dry.stderr,
      /dry run of demo: 3 case\(s\) planned, nothing ran and no result was replaced — placeholders \(zeros\) in \.\.\/collected_runs\/demo\.dry-run/,
    );
    assert.match(dry.stdout, /\[sweep\] matrix written: \.\.\/collected_runs\/demo\.dry-run\/sweep_matrix\.csv/);
    const afterRun = snapshot(root);
    for (const [path, was] of before) assert.deepEqual(afterRun.get(path), was, `${path} is unchanged`);
    const added = [...afterRun.keys()].filter((p) => !before.has(p));
    assert.ok(added.length > 0 && added.every((p) => p.startsWith('demo.dry-run/')), `only placeholders were added: ${added.join(', ')}`);
    assert.match(readFileSync(join(root, 'demo.dry-run/sweep_matrix.csv'), 'utf8'), /baseline,demo_000_baseline,1,0,0,0,100,0,100,0,100,0,200,0\.0/);
  });
});
