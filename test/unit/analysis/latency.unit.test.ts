// `airlock analyze latency` against the original's own output (case_000) and against logs it has never
// seen (synthetic_a: top-2 span selection, compression, three stages, CRLF, missing optional fields;
// empty: every "No ... found" branch). Key numbers of synthetic_a were recomputed independently with
// CPython's statistics module and are asserted below, so the expected file is not self-confirming.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { latencyBreakdown } from '../../../src/core/analysis/latencyReport';
import { cliBundle } from '../../support/cliBundle';

const fx = 'test/fixtures/sweep';
const logs = (dir: string) => [`${dir}/inference.log`, `${dir}/server1.log`, `${dir}/server2.log`] as const;

describe('analyze latency', () => {
  test('case_000: identical to the original analyze_latency_breakdown.py output, via the CLI', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'airlock-lat-'));
    try {
      const tag = 'weekly_sensitivity_000_bs84_mb8_comp0_eval256';
      cpSync(`${fx}/bloombee/case_000`, join(tmp, tag), { recursive: true });
      const r = spawnSync(
        process.execPath,
        [
          cliBundle(),
          'analyze',
          'latency',
          '--client-log',
          `${tag}/inference.log`,
          '--server1-log',
          `${tag}/server1.log`,
          '--server2-log',
          `${tag}/server2.log`,
        ],
        { cwd: tmp, encoding: 'utf8' },
      );
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout, readFileSync(`${fx}/bloombee/case_000/latency_breakdown.txt`, 'utf8'));
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  test('synthetic logs: every section matches the expected text', async () => {
    const text = await latencyBreakdown(...logs(`${fx}/synthetic_a`));
    assert.equal(text, readFileSync(`${fx}/synthetic_a/latency_breakdown.expected.txt`, 'utf8'));
  });

  test('synthetic logs: numbers recomputed independently with CPython', async () => {
    const text = await latencyBreakdown(...logs(`${fx}/synthetic_a`));
    const row = (label: string) =>
      text
        .split('\n')
        .find((l) => l.startsWith(label + ' '))
        ?.trim()
        .split(/\s+/)
        .slice(1);
    // statistics.mean / statistics.median of the per-step sums of the two slowest spans.
    assert.deepEqual(row('send_total_kb'), ['1453.68', '1213.06', '4']);
    assert.deepEqual(row('network_total_ms'), ['58.79', '54.22', '4']);
    assert.deepEqual(row('network_stack_total_ms'), ['61.49', '56.73', '4']);
    assert.deepEqual(row('stage1_network_ms'), ['23.34', '26.69', '4']);
    assert.deepEqual(row('step_latency_ms'), ['99.97', '97.13', '5'], 'the malformed STEP_LATENCY line is ignored');
    assert.deepEqual(row('queue_wait_ms'), ['0.34', '0.22', '6']);
    assert.match(text, /\n {3}tx {19}0\.99 {9}0\.83 {7}0\.74 {8}4\n {3}rx {19}0\.98 /, 'pearson 0.9902…, 0.9801…');
    assert.match(text, /compute_ms_mean=28\.09, elapsed_ms_mean=31\.06, .*samples=4/);
    assert.match(text, /stage2_compute_ms_mean=30\.85, overlap_ms_mean=13\.50, /);
    assert.match(text, /implied_non_network_ms {11}: 38\.48\noverlap_adjusted_s1s2_compute_ms : 48\.41/);
    assert.match(text, /modes=full_batch:1,micro_batch:5 \| sources=server1:3,server2:3 \| queue_sources=pool:1,push:4,queue:1/);
  });

  test('empty logs: every section says what it did not find, no derived proxies', async () => {
    const text = await latencyBreakdown(...logs(`${fx}/empty`));
    assert.equal(text, readFileSync(`${fx}/empty/latency_breakdown.expected.txt`, 'utf8'));
    assert.doesNotMatch(text, /Derived proxies/);
  });

  test('a missing log exits 2 naming it; a number Python could not parse names file and line', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'airlock-lat-'));
    try {
      const cli = (...a: string[]) => spawnSync(process.execPath, [cliBundle(), 'analyze', 'latency', ...a], { cwd: tmp, encoding: 'utf8' });
      const missing = cli('--client-log', 'nope.log', '--server1-log', 'nope.log', '--server2-log', 'nope.log');
      assert.equal(missing.status, 2);
      assert.match(missing.stderr, /cannot read log nope\.log: no such file/);
      writeFileSync(join(tmp, 'c.log'), 'ok\n[STEP_LATENCY] Process=0 | Step=1 | Latency=1.2.3ms\n');
      writeFileSync(join(tmp, 's.log'), '');
      const bad = cli('--client-log', 'c.log', '--server1-log', 's.log', '--server2-log', 's.log');
      assert.equal(bad.status, 2);
      assert.match(bad.stderr, /c\.log:2: could not convert string to float: '1\.2\.3'/);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
