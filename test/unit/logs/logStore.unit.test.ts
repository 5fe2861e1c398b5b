import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LogStore } from '../../../src/core/logs/logStore';

const q = (text: string, regex = false, caseSensitive = false) => ({ text, regex, caseSensitive });

test('appends are batched into one change per window; close flushes first', async () => {
  const store = new LogStore({ batchMs: 20 });
  const events: string[] = [];
  store.onChange((e) => events.push(e.type === 'appended' ? `appended:${e.ids.join(',')}` : e.type));
  const id = store.create({ title: 't', source: 'local', kind: 'command' });
  for (let i = 0; i < 1000; i++) store.append(id, [`l${i}`]);
  assert.deepEqual(events, ['streams']);
  await new Promise((r) => setTimeout(r, 60));
  assert.deepEqual(events, ['streams', `appended:${id}`]);
  store.append(id, ['last']);
  store.close(id, 'done', 0);
  assert.deepEqual(events.slice(2), [`appended:${id}`, 'streams']);
  assert.equal(store.info(id)!.state, 'done');
  assert.equal(store.info(id)!.end, 1001);
  store.dispose();
});

test('range returns kept lines with their absolute numbers and stderr flag', () => {
  const store = new LogStore({ maxLinesPerStream: 5 });
  const id = store.create({ title: 't', source: 'local', kind: 'command' });
  store.append(id, ['a', 'b', 'c', 'd']);
  store.append(id, ['e', 'f', 'g'], true);
  assert.deepEqual(
    store.range(id, 0, 100).map((l) => `${l.n}:${l.text}:${l.err}`),
    ['2:c:false', '3:d:false', '4:e:true', '5:f:true', '6:g:true'],
  );
  assert.equal(store.info(id)!.dropped, 2);
  store.dispose();
});

test('filter ignores ANSI codes, scans only new lines, forgets dropped ones, reports bad regexes', () => {
  const store = new LogStore({ maxLinesPerStream: 100 });
  const id = store.create({ title: 't', source: 'local', kind: 'command' });
  store.append(id, ['\x1b[31mERROR\x1b[0m disk full', 'ok', 'error: again', 'E\x1b[1mRROR split by a code']);
  assert.deepEqual(store.filter(id, q('error')).matches, [0, 2, 3]);
  assert.deepEqual(store.filter(id, q('ERROR', false, true)).matches, [0, 3]);
  assert.deepEqual(store.filter(id, q('^error', true)).matches, [0, 2, 3]);
  for (let i = 0; i < 150; i++) store.append(id, [i % 50 === 0 ? `error ${i}` : `fine ${i}`]);
  // 154 lines, 100 kept: lines 0-53 are gone, so are their matches (0 and 2).
  assert.deepEqual(store.filter(id, q('^error', true)).matches, [54, 104]);
  const bad = store.filter(id, q('([', true));
  assert.deepEqual(bad.matches, []);
  assert.match(bad.error ?? '', /Invalid regular expression/);
  store.dispose();
});

test('a million lines stay within the line cap and filter incrementally', () => {
  const store = new LogStore({ maxLinesPerStream: 200_000 });
  const id = store.create({ title: 'flood', source: 'local', kind: 'command' });
  for (let i = 0; i < 1_000_000; i += 1000)
    store.append(
      id,
      Array.from({ length: 1000 }, (_, j) => `step ${i + j}${(i + j) % 100_000 === 0 ? ' checkpoint' : ''}`),
    );
  const info = store.info(id)!;
  assert.equal(info.end, 1_000_000);
  assert.equal(info.end - info.first, 200_000);
  assert.deepEqual(store.filter(id, q('checkpoint')).matches, [800_000, 900_000]);
  store.append(id, ['final checkpoint']);
  // The new line pushed line 800,000 out of the cap.
  assert.deepEqual(store.filter(id, q('checkpoint')).matches, [900_000, 1_000_000]);
  store.dispose();
});
