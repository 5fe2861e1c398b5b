// Following the notebook's output log on Drive: only new bytes per poll, whole lines, characters
// split between reads, progress bars redrawn with \r, and a log that was rewritten.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OutputTail } from '../../../src/core/colab/outputTail';

function driveWith(initial?: Buffer) {
  let content = initial;
  const ranges: number[] = [];
  const drive = {
    findChild: async () => (content ? { id: 'log', name: 'airlock_output.log', mimeType: 'text/plain' } : undefined),
    downloadFrom: async (_id: string, offset: number) => (ranges.push(offset), content!.subarray(Math.min(offset, content!.length))),
    get: async () => ({ id: 'log', name: 'airlock_output.log', mimeType: 'text/plain', size: content!.length }),
  };
  return { drive, ranges, set: (b: Buffer) => (content = b) };
}

test('nothing until the log exists; then only new bytes, handed over as whole lines', async () => {
  const d = driveWith();
  const tail = new OutputTail(d.drive, 'folder');
  assert.deepEqual(await tail.read(), []);
  d.set(Buffer.from('epoch 1\nepoch 2\nepo'));
  assert.deepEqual(await tail.read(), ['epoch 1', 'epoch 2']);
  d.set(Buffer.from('epoch 1\nepoch 2\nepoch 3\r\n'));
  assert.deepEqual(await tail.read(), ['epoch 3']);
  assert.deepEqual(d.ranges, [0, 19], 'the second read asks only for what it has not seen');
});

test('a character split between two reads comes out whole; \\r redraws keep their last state; final flushes the rest', async () => {
  const full = Buffer.from('loss ünïcode\n 10%|█   \r 50%|█████ \r100%|██████████\nlast line');
  const cut = full.indexOf(Buffer.from('ü')) + 1; // inside the two bytes of ü
  const d = driveWith(full.subarray(0, cut));
  const tail = new OutputTail(d.drive, 'folder');
  assert.deepEqual(await tail.read(), []);
  d.set(full);
  assert.deepEqual(await tail.read(), ['loss ünïcode', '100%|██████████']);
  assert.deepEqual(await tail.read(true), ['last line']);
});

test('a log that shrank was written anew (the notebook ran again): read from the start', async () => {
  const d = driveWith(Buffer.from('first run line 1\nfirst run line 2\n'));
  const tail = new OutputTail(d.drive, 'folder');
  assert.equal((await tail.read()).length, 2);
  d.set(Buffer.from('second run\n'));
  assert.deepEqual(await tail.read(), ['second run']);
});
