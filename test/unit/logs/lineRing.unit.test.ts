import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LineRing } from '../../../src/core/logs/lineRing';

const textErr = (l: { text: string; err: boolean } | undefined) => l && { text: l.text, err: l.err };

test('each line keeps when it arrived', () => {
  const ring = new LineRing(10, 1 << 20);
  ring.push('a', false, 1234);
  assert.equal(ring.get(0)?.at, 1234);
});

test('keeps at most maxLines; line numbers stay absolute after old lines are dropped', () => {
  const ring = new LineRing(10_000, Number.MAX_SAFE_INTEGER);
  for (let i = 0; i < 25_000; i++) ring.push(`line ${i}`, i % 7 === 0);
  assert.equal(ring.size, 10_000);
  assert.equal(ring.first, 15_000);
  assert.equal(ring.end, 25_000);
  assert.equal(ring.get(14_999), undefined, 'dropped lines are gone');
  assert.deepEqual(textErr(ring.get(15_000)), { text: 'line 15000', err: false });
  assert.deepEqual(textErr(ring.get(24_997)), { text: 'line 24997', err: true }, 'stderr flag follows its line across chunks');
  assert.equal(ring.get(25_000), undefined, 'not yet written');
});

test('the byte cap drops old lines too, but never the last one', () => {
  const ring = new LineRing(1_000_000, 10_000);
  for (let i = 0; i < 1_000; i++) ring.push('x'.repeat(100), false);
  assert.ok(ring.byteSize <= 10_000, `byteSize ${ring.byteSize}`);
  assert.ok(ring.size > 10 && ring.size < 1_000);
  ring.push('y'.repeat(100_000), false);
  assert.equal(ring.size, 1, 'a single huge line is kept');
  assert.equal(ring.get(ring.end - 1)!.text.length, 100_000);
});

test('clear keeps numbering going; lowering maxLines trims at once', () => {
  const ring = new LineRing(100, Number.MAX_SAFE_INTEGER);
  for (let i = 0; i < 50; i++) ring.push(String(i), false);
  ring.setMaxLines(10);
  assert.equal(ring.first, 40);
  ring.clear();
  assert.equal(ring.size, 0);
  ring.push('after', false);
  assert.equal(ring.first, 50);
  assert.deepEqual(textErr(ring.get(50)), { text: 'after', err: false });
});
