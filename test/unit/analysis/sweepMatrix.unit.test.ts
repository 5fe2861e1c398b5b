// The sequenced sweep's own analysis and files: statistics.mean (not sum/len), ratio falls back to the
// logged ratio when raw is 0, step_count is a float in the CSV and an int in analysis_summary.txt.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  analyzeCaseDir,
  emptySweepMetrics,
  renderCaseSummary,
  renderSweepMatrix,
  sweepColumns,
  sweepMatrixCsv,
  type SweepRow,
} from '../../../src/core/analysis/sweepMatrix';
import { readMatrixCsv } from '../../../src/core/analysis/matrixCsv';

const ints = (o: Partial<Record<string, bigint>>) => ({
  batch_size: 24n,
  micro_batch_size: 8n,
  compression: 0n,
  offload: 1n,
  policy_w_gpu_percent: 100n,
  policy_w_cpu_percent: 0n,
  policy_cache_gpu_percent: 100n,
  policy_cache_cpu_percent: 0n,
  policy_act_gpu_percent: 100n,
  policy_act_cpu_percent: 0n,
  eval_tokens: 200n,
  ...o,
});

describe('sweep matrix', () => {
  test('case metrics of unseen logs equal CPython statistics.mean results', async () => {
    const m = await analyzeCaseDir('test/fixtures/sweep/synthetic_a');
    assert.deepEqual(m, {
      step_count: 5,
      mean_step_latency_ms: 99.97,
      mean_network_total_ms: 58.785000000000004,
      mean_send_total_kb: 1453.6825,
      mean_recv_total_kb: 1446.0275,
      mean_queue_wait_ms: 0.3416666666666667,
      mean_tx_wire_over_raw_ratio: 0.8267299107142857,
      mean_rx_wire_over_raw_ratio: 0.7842726934523809,
    });
    const c0 = await analyzeCaseDir('test/fixtures/sweep/bloombee/case_000');
    assert.equal(c0.mean_queue_wait_ms, 0.35);
    assert.equal(c0.step_count, 3);
    assert.deepEqual(await analyzeCaseDir('test/fixtures/sweep/does-not-exist'), {
      ...emptySweepMetrics(),
      mean_tx_wire_over_raw_ratio: 1,
      mean_rx_wire_over_raw_ratio: 1,
    });
  });

  test('analysis_summary.txt, sweep_matrix.csv (21 columns) and sweep_matrix.txt', async () => {
    const a: SweepRow = {
      case_name: 'a_case_with_a_rather_long_name',
      case_tag: 't_000_a',
      error: '',
      ...ints({}),
      ...(await analyzeCaseDir('test/fixtures/sweep/synthetic_a')),
    };
    const b: SweepRow = { case_name: 'b', case_tag: 't_001_b', error: 'boom', ...ints({ compression: 1n, batch_size: 84n }), ...emptySweepMetrics() };
    assert.equal(
      renderCaseSummary(a),
      [
        'case_name=a_case_with_a_rather_long_name',
        'case_tag=t_000_a',
        'batch_size=24',
        'micro_batch_size=8',
        'compression=0',
        'offload=1',
        'policy_w_gpu_percent=100',
        'policy_w_cpu_percent=0',
        'policy_cache_gpu_percent=100',
        'policy_cache_cpu_percent=0',
        'policy_act_gpu_percent=100',
        'policy_act_cpu_percent=0',
        'eval_tokens=200',
        '',
        'mean_step_latency_ms=99.97',
        'mean_network_total_ms=58.79',
        'mean_send_total_kb=1453.68',
        'mean_recv_total_kb=1446.03',
        'mean_queue_wait_ms=0.34',
        'mean_tx_wire_over_raw_ratio=0.83',
        'mean_rx_wire_over_raw_ratio=0.78',
        'step_count=5',
        '',
      ].join('\n'),
    );
    const csv = sweepMatrixCsv([a, b]);
    assert.equal(sweepColumns.length, 21);
    assert.equal(csv.split('\r\n')[2], 'b,t_001_b,84,8,1,1,100,0,100,0,100,0,200,0.0,0.0,0.0,0.0,0.0,1.0,1.0,0.0');
    assert.ok(csv.split('\r\n')[1]!.endsWith(',0.8267299107142857,0.7842726934523809,5.0'));
    const table = readMatrixCsv(csv);
    assert.deepEqual(table.header, [...sweepColumns]);
    assert.equal(table.numeric[0], false);
    assert.equal(table.numeric[2], true);
    assert.equal(table.values[0]![13], 99.97);
    const txt = renderSweepMatrix('t', [a, b]).split('\n');
    assert.equal(txt[1], 'Sweep Matrix (run_tag=t)');
    assert.equal(txt[3], 'case_name                 off  cmp     bs     mb  c_gpu  c_cpu   eval    step_ms     net_ms   queue_ms    send_kb    recv_kb');
    assert.equal(txt[5], 'a_case_with_a_rather_lon    1    0     24      8    100      0    200      99.97      58.79       0.34    1453.68    1446.03');
    assert.equal(txt[8], 'Baseline: a_case_with_a_rather_long_name');
    assert.equal(txt[11], 'b                           -100.00    -100.00    -100.00    -100.00    -100.00');
    assert.equal(txt[12], 'Interpretation: negative d_step%/d_net%/d_queue% is better.');
  });
});
