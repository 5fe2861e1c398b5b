// Tooltips interpolate text other machines write (a claim's host, a failure reason, a hostname, a
// pod's name and metadata): the one helper escapes it so it stays text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { code, escapeMarkdown, inlineCode, markdown } from '../../../src/core/text/markdown';

const evil = '[Terminate all](command:airlock.pods.terminateMatching) ![x](https://e.vil/p.png) <img src=x onerror=alert(1)> $(zap) **bold**\n# heading';

test('escaped text has no live link, image, HTML, theme icon, emphasis or heading left', () => {
  const out = escapeMarkdown(evil);
  assert.doesNotMatch(out, /(?<!\\)\[/, 'every [ is escaped');
  assert.doesNotMatch(out, /(?<!\\)[<>]/, 'no raw angle bracket');
  assert.doesNotMatch(out, /(?<!\\)\$\(/, 'no theme icon');
  assert.doesNotMatch(out, /(?<!\\)\*/, 'no emphasis');
  assert.doesNotMatch(out, /\n/, 'no new block (heading) from a line break');
  assert.equal(out.replace(/\\(.)/g, '$1'), evil.replace(/\n/g, ' '), 'unescaping gives the text back (nothing lost)');
});

test('the template escapes interpolated values and keeps its own Markdown', () => {
  const host = 'gpu-1](command:x)';
  assert.equal(markdown`Claimed by **${host}** (pid ${42})`, 'Claimed by **gpu\\-1\\]\\(command\\:x\\)** (pid 42)');
});

test('inline code cannot be closed early by backticks in the value', () => {
  assert.equal(inlineCode('a`b'), '``a`b``');
  assert.equal(inlineCode('`x`'), '`` `x` ``');
  assert.equal(markdown`Image ${code('img:1 `[x](command:y)`')}`, 'Image `` img:1 `[x](command:y)` ``');
  assert.equal(inlineCode('two\nlines'), '`two lines`');
});
