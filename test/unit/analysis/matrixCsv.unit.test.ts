// The CSV writer matches Python's csv module (minimal quoting, CRLF) and the reader the Matrix panel
// uses round-trips it and tells numeric columns apart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cellNumber, readMatrixCsv, writeCsv } from '../../../src/core/analysis/matrixCsv';

test('writer quotes only what needs quoting and writes ints, floats and text like csv.DictWriter', () => {
  const text = writeCsv(
    ['name', 'n', 'x', 'path'],
    [
      { name: 'a,b "c"', n: 3n, x: 3, path: 'l1\nl2' },
      { name: 'plain', n: -1n, x: 1e-5 },
    ],
  );
  assert.equal(text, 'name,n,x,path\r\n"a,b ""c""",3,3.0,"l1\nl2"\r\nplain,-1,1e-05,\r\n');
  const t = readMatrixCsv(text);
  assert.deepEqual(t.header, ['name', 'n', 'x', 'path']);
  assert.deepEqual(t.rows, [
    ['a,b "c"', '3', '3.0', 'l1\nl2'],
    ['plain', '-1', '1e-05', ''],
  ]);
  assert.deepEqual(t.numeric, [false, true, true, false]);
  assert.deepEqual(t.values[1], [null, -1, 1e-5, null]);
});

test('reader: LF files, BOM, short rows padded, trailing blank line ignored, Python inf/nan are numbers', () => {
  const t = readMatrixCsv('\uFEFFa,b,c\n1,inf\n2,nan,x\n\n');
  assert.deepEqual(t.rows, [
    ['1', 'inf', ''],
    ['2', 'nan', 'x'],
  ]);
  assert.deepEqual(t.numeric, [true, true, false]);
  assert.equal(cellNumber('-inf'), -Infinity);
  assert.equal(cellNumber('1.5e+16'), 1.5e16);
  assert.equal(cellNumber('abc'), null);
  assert.deepEqual(readMatrixCsv('').header, []);
});
