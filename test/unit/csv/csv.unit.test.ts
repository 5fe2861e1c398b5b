// The one CSV writer: Python csv-module quoting, and OWASP formula neutralisation for spreadsheet
// exports that never touches a number.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { csvField, csvRows, isNumberText } from '../../../src/core/csv/csv';
import { readMatrixCsv } from '../../../src/core/analysis/matrixCsv';

const awkward = ['plain', 'with,comma', 'with "quote"', 'line\nbreak', 'cr\rhere', '', ' spaced ', 'ünï', "it's"];

test('quoting equals CPython csv.writer (minimal quoting, CRLF, a lone empty field as "")', () => {
  const rows = [awkward, [''], ['a', ''], ['=1+1', '-2', '@x']];
  const py = spawnSync(
    '/usr/bin/python3',
    ['-c', 'import csv,json,sys,io\nb=io.StringIO()\ncsv.writer(b).writerows(json.load(sys.stdin))\nsys.stdout.write(b.getvalue())'],
    { input: JSON.stringify(rows), encoding: 'utf8' },
  );
  assert.equal(py.status, 0, py.stderr);
  assert.equal(csvRows(rows), py.stdout);
  assert.deepEqual(readMatrixCsv(csvRows([awkward, awkward])).rows, [awkward]);
});

test('formula cells are neutralised for spreadsheets (= + - @ TAB CR), numbers never', () => {
  const n = (s: string) => csvField(s, { neutralizeFormulas: true });
  assert.equal(n('=HYPERLINK("http://x","click")'), `"'=HYPERLINK(""http://x"",""click"")"`);
  assert.equal(n("+cmd|' /C calc'!A0"), `'+cmd|' /C calc'!A0`);
  assert.equal(n('-2+3+cmd|x'), `'-2+3+cmd|x`);
  assert.equal(n('@SUM(A1:A9)'), `'@SUM(A1:A9)`);
  assert.equal(n('\t=1'), `'\t=1`);
  assert.equal(n('\r=1'), `"'\r=1"`);
  for (const num of ['-1', '-1.5', '+3', '-0.35000000000000003', '1e-3', '-2.5E+10', '-inf', 'nan', '42']) {
    assert.equal(isNumberText(num), true, num);
    assert.equal(n(num), num, `${num} stays a number`);
  }
  for (const safe of ['name', 'gpt2-medium', 'a=b', 'x-1']) assert.equal(n(safe), safe, safe);
  // Off by default: the analysis matrices stay exactly what the BloomBee scripts write.
  assert.equal(csvField('=1'), '=1');
  assert.equal(csvRows([['h'], ['=1+1', '-5']], { neutralizeFormulas: true }), "h\r\n'=1+1,-5\r\n");
});
