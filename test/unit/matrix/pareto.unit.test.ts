import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deltaPct, guessBetter, paretoFront, sortOrder, verdict } from '../../../src/core/matrix/pareto';

test('column directions are guessed from BloomBee and common metric names', () => {
  for (const c of ['latency_ms', 'client_total_s', 'step_time_mean', 'ttft_ms', 'peak_mem_gb', 'loss', 'send_kb', 'recv_kb', 'tx_wire_over_raw'])
    assert.equal(guessBetter(c), 'min', c);
  for (const c of ['throughput_tok_s', 'tokens_per_s', 'speedup', 'accuracy', 'f1']) assert.equal(guessBetter(c), 'max', c);
  assert.equal(guessBetter('compression'), undefined);
});

test('Δ% against the baseline and whether it is better', () => {
  assert.equal(deltaPct(90, 100), -10);
  assert.equal(deltaPct(5, -10), 150);
  assert.equal(deltaPct(1, 0), null);
  assert.equal(deltaPct(null, 3), null);
  assert.equal(verdict(-10, 'min'), 1);
  assert.equal(verdict(-10, 'max'), -1);
  assert.equal(verdict(12, undefined), 0);
});

test('sorting: numbers numerically, missing last both ways, stable ties', () => {
  const cells = [3, null, 1, 3, NaN, 2];
  const texts = ['3', '', '1', '3', 'nan', '2'];
  assert.deepEqual(sortOrder(cells, texts, true), [2, 5, 0, 3, 1, 4]);
  assert.deepEqual(sortOrder(cells, texts, false), [0, 3, 5, 2, 1, 4]);
  assert.deepEqual(sortOrder([null, null, null], ['b10', 'a', 'b9'], true), [1, 2, 0], 'text sorts naturally');
});

test('Pareto front: minimise latency, maximise throughput; dominated, missing and duplicate points excluded', () => {
  const lat = [10, 20, 15, 30, 12, null, 10];
  const thr = [50, 90, 40, 95, 70, 999, 50];
  // 0 (10,50) front; 4 (12,70) front; 1 (20,90) front; 3 (30,95) front; 2 (15,40) dominated by 0; 6 duplicates 0.
  assert.deepEqual(paretoFront(lat, thr, 'min', 'max'), [0, 4, 1, 3]);
  assert.deepEqual(paretoFront([1, 2, 3], [3, 2, 1], 'min', 'min'), [0, 1, 2], 'a trade-off line is all front');
  assert.deepEqual(paretoFront([1, 2, 3], [1, 2, 3], 'min', 'min'), [0], 'one point dominates the rest');
  assert.deepEqual(paretoFront([1, 2, 3], [1, 2, 3], 'max', 'max'), [2]);
});

test('Pareto front of 10,000 points matches the quadratic definition', () => {
  let seed = 7;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const xs = Array.from({ length: 10_000 }, () => Math.round(rnd() * 1000));
  const ys = Array.from({ length: 10_000 }, () => Math.round(rnd() * 1000));
  const fast = new Set(paretoFront(xs, ys, 'min', 'max'));
  const seen = new Set<string>();
  for (let i = 0; i < xs.length; i++) {
    const dominated = xs.some((x, j) => j !== i && x <= xs[i]! && ys[j]! >= ys[i]! && (x !== xs[i] || ys[j] !== ys[i]));
    const key = `${xs[i]},${ys[i]}`;
    const expected = !dominated && !seen.has(key);
    if (!dominated) seen.add(key);
    assert.equal(fast.has(i), expected, `point ${i} (${key})`);
  }
});
