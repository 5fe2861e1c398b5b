// What keeps the analysis' memory flat: ValueBag (a column as distinct values with counts) against
// statistics.mean / statistics.median over the full list (the frozen previous version's), including
// the order of -0.0 and 0.0 that Python's stable sort keeps and the switch to one double a value
// for columns of mostly distinct values; and the client log scanned on a worker thread giving the
// same report as one thread.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateCaseLogs } from '../../../bench/logGen';
import { ValueBag } from '../../../src/core/analysis/pyStats';
import { threadTuning } from '../../../src/core/analysis/caseLogs';
import { latencyBreakdown } from '../../../src/core/analysis/latencyReport';
import { collectCaseMetrics, parseCaseSpec, tradeoffCsv } from '../../../src/core/analysis/tradeoff';
import { exactMean as oldExactMean, median as oldMedian } from '../../support/analysisOracle/pyStats';

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const same = (a: number, b: number) => Object.is(a, b);

describe('ValueBag', () => {
  test('mean and median equal the list versions on seeded columns (repeats, zeros of both signs, negatives, odd and even counts)', () => {
    const r = rng(11);
    for (let trial = 0; trial < 400; trial++) {
      const n = 1 + Math.floor(r() * 60);
      const pool = [0, -0, 0.1, 0.2, 0.3, 12.34, -1.5, 1e-310, 7e300, 2 ** 53 + 2, 1 / 3];
      const xs = Array.from({ length: n }, () => (r() < 0.6 ? pool[Math.floor(r() * pool.length)]! : Math.round((r() - 0.3) * 1e4) / 100));
      const bag = ValueBag.of(xs);
      assert.equal(bag.count, n);
      assert.ok(same(bag.mean(), oldExactMean(xs)), `mean of [${xs.join(', ')}]: ${bag.mean()} vs ${oldExactMean(xs)}`);
      assert.ok(same(bag.median(), oldMedian(xs)), `median of [${xs.map((x) => (Object.is(x, -0) ? '-0' : x)).join(', ')}]`);
    }
  });

  test('which zero is the median follows the zeros order, as a stable sort does', () => {
    assert.ok(same(ValueBag.of([-0, 0, 0]).median(), 0));
    assert.ok(same(ValueBag.of([0, -0, 0]).median(), -0));
    assert.ok(same(ValueBag.of([-0, -0]).median(), -0));
    assert.ok(same(ValueBag.of([-0, 0]).median(), 0));
    assert.ok(same(ValueBag.of([-1, -0, 5]).median(), -0));
    assert.ok(same(ValueBag.of([]).median(), 0));
    assert.ok(same(ValueBag.of([]).mean(), 0));
  });

  test('a column of mostly distinct values (past 65,536) keeps each value once and still agrees', () => {
    const r = rng(12);
    const xs = Array.from({ length: 200_000 }, () => r() * 1000 - 10);
    xs.push(0, -0, 0);
    const bag = ValueBag.of(xs);
    assert.ok(same(bag.median(), oldMedian(xs)));
    assert.ok(same(bag.mean(), oldExactMean(xs)));
    assert.equal(bag.count, xs.length);
  });

  test('repeated values are summed exactly as a product (v times its count)', () => {
    const xs = [...Array.from({ length: 100_001 }, () => 0.1), ...Array.from({ length: 33_333 }, () => 1e-5), 123456.789];
    assert.ok(same(ValueBag.of(xs).mean(), oldExactMean(xs)));
  });
});

describe('client log on a worker thread', () => {
  test('latency report and trade-off CSV are byte-identical to scanning all three logs in one thread', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'airlock-threads-'));
    const saved = threadTuning.minClientBytes;
    try {
      const f = generateCaseLogs(join(dir, 'case'), { bytesPerLog: 400_000, seed: 21, perturb: true });
      const spec = parseCaseSpec(`name=t,client=${f.client},server1=${f.server1},server2=${f.server2},batch=84`);
      threadTuning.minClientBytes = Infinity;
      const oneLatency = await latencyBreakdown(f.client, f.server1, f.server2);
      const oneCsv = tradeoffCsv([await collectCaseMetrics(spec)]);
      assert.equal(threadTuning.clientScansOnWorker, 0, 'small logs stay in this thread');
      threadTuning.minClientBytes = 0;
      assert.equal(await latencyBreakdown(f.client, f.server1, f.server2), oneLatency);
      assert.equal(tradeoffCsv([await collectCaseMetrics(spec)]), oneCsv);
      assert.equal(threadTuning.clientScansOnWorker, 2, 'both scans ran on a worker thread');
      assert.match(oneLatency, /tx_raw_kb +\d/, 'the client sections have rows');
    } finally {
      threadTuning.minClientBytes = saved;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
