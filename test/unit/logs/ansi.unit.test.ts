import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseAnsi, stripAnsi } from '../../../src/core/logs/ansi';

test('SGR colours become styles; text is kept verbatim (HTML is not special here)', () => {
  assert.deepEqual(parseAnsi('\x1b[1;32mok\x1b[0m <b>&amp;</b>'), [
    { text: 'ok', style: { bold: true, fg: 2 } },
    { text: ' <b>&amp;</b>', style: {} },
  ]);
});

test('bright, 256-colour and truecolour foreground/background', () => {
  assert.deepEqual(
    parseAnsi('\x1b[91ma\x1b[38;5;196mb\x1b[48;2;1;2;3mc\x1b[39;49md').map((s) => s.style),
    [{ fg: 9 }, { fg: 'rgb(255,0,0)' }, { fg: 'rgb(255,0,0)', bg: 'rgb(1,2,3)' }, {}],
  );
});

test('cursor and OSC escapes are dropped; carriage returns keep only the last repaint (tqdm)', () => {
  assert.equal(stripAnsi('\x1b]0;title\x07\x1b[2Kdone\x1b[K'), 'done');
  assert.equal(stripAnsi(' 10%|█   |\r 55%|█████ |\r100%|██████████|'), '100%|██████████|');
  assert.deepEqual(parseAnsi('\x1b[2K\r 50%\r\x1b[32m100%\x1b[0m'), [{ text: '100%', style: { fg: 2 } }]);
});

test('an unterminated escape does not swallow the rest of the line', () => {
  assert.equal(stripAnsi('before \x1b[ after'), 'before [ after');
  assert.equal(stripAnsi('cut off \x1b'), 'cut off ');
  assert.equal(
    parseAnsi('x\x1b[31')
      .map((s) => s.text)
      .join(''),
    'x[31',
    'a lone ESC is never shown raw',
  );
});
