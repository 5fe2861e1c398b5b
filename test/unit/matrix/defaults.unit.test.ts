// What the Matrix panel opens with: directions only where a name says so (a sweep's parameters and a
// pivot's model names say nothing), a latency metric against a ratio/bytes metric on the plot, a
// note saying which file is open, and the Phase Results pivot's default field.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { defaultAxes, guessBetter } from '../../../src/core/matrix/pareto';
import { matrixTable } from '../../../src/core/matrix/matrixTable';
import { readMatrixCsv } from '../../../src/core/analysis/matrixCsv';
import { sweepColumns } from '../../../src/core/analysis/sweepMatrix';
import { pivotResults, resultFields } from '../../../src/core/phases/pivot';
import type { Entry } from '../../../src/core/phases/entries';

const axesOf = (t: ReturnType<typeof matrixTable>) => defaultAxes(t.header, t.numeric, t.better);

test('sweep parameters have no direction; eval_tokens is not a throughput', () => {
  for (const c of [
    'eval_tokens',
    'batch_size',
    'micro_batch_size',
    'compression',
    'offload',
    'seq',
    'policy_w_gpu_percent',
    'llama_3_8b',
    'qwen2_7b',
    'phi_3_mini',
  ])
    assert.equal(guessBetter(c), undefined, c);
  for (const c of ['tokens_per_s', 'tok/s', 'throughput_tok_s', 'tokens_per_sec']) assert.equal(guessBetter(c), 'max', c);
});

test('sweep_matrix.csv: step latency against the wire/raw ratio, and a note that says which file it is', () => {
  const row = sweepColumns.map((c) => (c === 'case_name' || c === 'case_tag' ? 'x' : '1'));
  const t = matrixTable({ title: 'sweep_matrix.csv', source: '/w/demo/sweep_matrix.csv', header: [...sweepColumns], rows: [row, row] });
  assert.deepEqual(axesOf(t), { x: 'mean_step_latency_ms', y: 'mean_tx_wire_over_raw_ratio' });
  assert.equal(t.better[t.header.indexOf('eval_tokens')], null);
  assert.match(t.note, /^sweep_matrix\.csv: written by Run Sweep .*Collect writes tradeoff_matrix\.csv/);
});

test('tradeoff_matrix.csv (the example): step_latency_ms against tx_wire_over_raw', () => {
  const csv = readMatrixCsv(readFileSync('examples/results/demo/tradeoff_matrix.csv', 'utf8'));
  const t = matrixTable({ title: 'tradeoff_matrix.csv', source: 'x', header: csv.header, rows: csv.rows });
  assert.deepEqual(axesOf(t), { x: 'step_latency_ms', y: 'tx_wire_over_raw' });
  assert.match(t.note, /^tradeoff_matrix\.csv: written by Collect/);
  assert.equal(matrixTable({ title: 'other.csv', source: 'x', header: ['a'], rows: [['1']] }).note, '');
});

test('Phase Results: the first real result field is the default, directions come from the field only', () => {
  const results = [
    { level: 'easy', model: 'llama_3_8b', rerun: 0, accuracy: 71, latency_ms: 40 },
    { level: 'hard', model: 'qwen2_7b', rerun: 1, accuracy: 60, latency_ms: 52 },
  ];
  const fields = resultFields(results, ['level', 'model', 'config']);
  assert.deepEqual(fields, ['accuracy', 'latency_ms', 'rerun']);
  const entry = (r: (typeof results)[number]) => ({ values: { level: r.level, model: r.model } }) as unknown as Entry;
  const pivot = (field: string) =>
    pivotResults({
      phase: 'smoke',
      rowAxis: 'level',
      colAxis: 'model',
      field,
      axisValues: { level: ['easy', 'hard'], model: ['llama_3_8b', 'qwen2_7b', 'phi_3_mini'] },
      results: results.map((r) => ({ entry: entry(r), json: r })),
    });
  assert.deepEqual(pivot('accuracy').better, [null, 'max', 'max', 'max', null]);
  assert.deepEqual(pivot('latency_ms').better, [null, 'min', 'min', 'min', null]);
  const t = matrixTable({
    title: 'p',
    source: 'p',
    header: pivot('latency_ms').columns,
    rows: [['easy', '40', '', '', '1']],
    better: pivot('latency_ms').better,
  });
  assert.deepEqual(t.better, [null, 'min', null, null, null], 'an empty column is not numeric');
  assert.match(pivot('accuracy').note, /mean of accuracy/);
});
