// The Matrix panel's table is parsed once, in the extension host: numbers, which columns are
// numeric, which column names a row. The webview renders what it receives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matrixTable } from '../../../src/core/matrix/matrixTable';

test('numeric columns: every non-empty cell a number and at least one; the first text column names rows', () => {
  const t = matrixTable({
    title: 'tradeoff_matrix.csv',
    source: '/w/tradeoff_matrix.csv',
    header: ['name', 'compression', 'step_latency_ms', 'note', 'empty'],
    rows: [
      ['baseline', '0', '97.0', 'ok', ''],
      ['lossless', '1', '', 'n/a', ''],
      ['int8', '2', '1e2', '', ''],
    ],
  });
  assert.deepEqual(t.numeric, [false, true, true, false, false]);
  assert.deepEqual(
    t.values.map((r) => r[2]),
    [97, null, 100],
  );
  assert.equal(t.keyCol, 0);
  assert.deepEqual(t.rows[1], ['lossless', '1', '', 'n/a', ''], 'the text is kept as written');
});

test('a table whose first column is numeric names its rows by the first text column', () => {
  const t = matrixTable({
    title: 'p',
    source: 'p',
    header: ['idx', 'case', 'ms'],
    rows: [
      ['0', 'a', '1.5'],
      ['1', 'b', '2'],
    ],
  });
  assert.equal(t.keyCol, 1);
  assert.deepEqual(t.numeric, [true, false, true]);
});
