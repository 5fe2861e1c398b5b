import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineSplitter } from '../../src/core/process/lineSplitter';
import { shellQuote } from '../../src/core/process/exec';

test('LineSplitter joins chunks into lines and keeps a partial tail until flushed', () => {
  const lines: string[] = [];
  const s = new LineSplitter((l) => lines.push(l));
  s.push('ab');
  s.push('c\r\nde');
  s.push(Buffer.from('f\n\ng'));
  assert.deepEqual(lines, ['abc', 'def', '']);
  s.flush();
  assert.deepEqual(lines, ['abc', 'def', '', 'g']);
});

test('LineSplitter does not split a multi-byte character across chunks', () => {
  const lines: string[] = [];
  const s = new LineSplitter((l) => lines.push(l));
  const bytes = Buffer.from('γ€\n');
  s.push(bytes.subarray(0, 1));
  s.push(bytes.subarray(1));
  assert.deepEqual(lines, ['γ€']);
});

test('shellQuote leaves safe words alone and quotes the rest', () => {
  assert.equal(shellQuote('abc/d-e.f'), 'abc/d-e.f');
  assert.equal(shellQuote(''), "''");
  assert.equal(shellQuote("it's $HOME"), `'it'"'"'s $HOME'`);
});
