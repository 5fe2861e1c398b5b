// How a notebook run in the Notebooks view moves with the dispatch's events and the status file,
// and what a reload makes of a run that was going.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  applyDispatchEvent,
  applyStatus,
  describeRun,
  markInterrupted,
  runIsActive,
  runProgress,
  type NotebookRunRecord,
} from '../../../src/core/notebook/notebookRun';
import type { RunStatus } from '../../../src/core/notebook/statusWriter';
import { isCancelled, CancelledError } from '../../../src/core/process/errors';
import { ColabError, isColabError } from '../../../src/core/colab/colabErrors';
import { isParamError, ParamError } from '../../../src/core/notebook/pyLiteral';

const colabRun = (): NotebookRunRecord => ({
  id: 'r1',
  kind: 'colab',
  notebook: 'train.ipynb',
  source: 'train.ipynb',
  target: 'Colab · T4',
  state: 'uploading',
  startedAt: 1000,
});
const status = (s: Partial<RunStatus>): RunStatus => ({
  run: 'train-1',
  state: 'running',
  cell: 1,
  total: 5,
  error: null,
  traceback: null,
  gpu: 'Tesla T4',
  updatedAt: '2026-12-01T10:00:00Z',
  ...s,
});

test('dispatch events: rendered → uploaded (starting, links kept) → status (running, cells, GPU) → done', () => {
  const r = colabRun();
  assert.match(
    applyDispatchEvent(r, { type: 'rendered', runId: 'train-20261201-100000', changed: ['BATCH_SIZE'] })!,
    /run train-20261201-100000 · set BATCH_SIZE/,
  );
  assert.equal(r.runId, 'train-20261201-100000');
  const line = applyDispatchEvent(r, {
    type: 'uploaded',
    runId: 'x',
    fileId: 'F',
    folderId: 'D',
    notebookUrl: 'https://colab/drive/F',
    folderUrl: 'https://drive/D',
  })!;
  assert.match(line, /uploaded to Drive: https:\/\/colab\/drive\/F\n.*results folder: https:\/\/drive\/D/);
  assert.deepEqual([r.state, r.fileId, r.folderId], ['starting', 'F', 'D']);
  assert.ok(runIsActive(r));
  assert.equal(
    applyDispatchEvent(r, { type: 'status', status: status({ cell: 2 }) }),
    '[airlock] running · cell 3/5 · Tesla T4',
    'two cells finished: the third runs',
  );
  assert.deepEqual([r.state, r.cell, r.total, r.gpu], ['running', 2, 5, 'Tesla T4']);
  assert.equal(describeRun(r), 'Colab · T4 · running · cell 3/5 · Tesla T4');
  assert.equal(describeRun({ ...r, gpuRequest: 'T4' }), 'Colab · T4 · running · cell 3/5', 'the GPU asked for is not repeated');
  assert.equal(describeRun({ ...r, gpuRequest: 'A100' }), 'Colab · T4 · running · cell 3/5 · Tesla T4', 'a different GPU is shown');
  assert.equal(applyDispatchEvent(r, { type: 'output', line: 'epoch 1', stream: 'stdout' }), 'epoch 1');
  applyDispatchEvent(r, { type: 'status', status: status({ state: 'done', cell: 5 }) });
  assert.equal(r.state, 'done');
  assert.equal(r.endedAt, Date.parse('2026-12-01T10:00:00Z'));
  assert.ok(!runIsActive(r));
});

test('a failed status keeps the error; a later check that finds it done clears it', () => {
  const r = colabRun();
  applyStatus(r, status({ state: 'failed', cell: 3, error: 'ValueError: bad lr' }));
  assert.deepEqual([r.state, r.error], ['failed', 'ValueError: bad lr']);
  const again = { ...colabRun(), state: 'interrupted' as const, error: 'the editor closed' };
  applyStatus(again, status({ state: 'done', cell: 5 }), false);
  assert.equal(again.state, 'done');
  assert.equal(again.error, undefined);
});

test('a reload turns a run that was going into "interrupted" (never a false "running"); Check Status tells where it is', () => {
  const r = { ...colabRun(), state: 'running' as const, streamId: 's1' };
  markInterrupted(r);
  assert.equal(r.state, 'interrupted');
  assert.match(r.error!, /may still be running on Colab: Check Status/);
  assert.equal(r.streamId, undefined, "the old window's log stream is gone");
  // Read back later while it still runs: stays interrupted (nobody follows it), says where it was.
  applyStatus(r, status({ cell: 4, heartbeatAt: '2026-12-01T10:05:00Z' }), false);
  assert.equal(r.state, 'interrupted');
  assert.match(r.error!, /still running on Colab when checked \(cell 4\/5, status written 2026-12-01T10:05:00Z\)/);
  const done = { ...colabRun(), state: 'done' as const };
  markInterrupted(done);
  assert.equal(done.state, 'done', 'finished runs stay as they were');
  const jupyter = { ...colabRun(), kind: 'jupyter' as const, state: 'starting' as const };
  markInterrupted(jupyter);
  assert.equal(jupyter.error, 'the editor closed while it ran');
});

test('errors from the separately bundled Colab module are recognised by name, not class', () => {
  // What the Colab bundle throws is an instance of its own copy of each class.
  const foreign = (name: string, extra: object = {}) => Object.assign(new Error('x'), { name }, extra);
  assert.ok(isCancelled(new CancelledError()) && isCancelled(foreign('CancelledError')) && isCancelled(foreign('AbortError')));
  assert.ok(!isCancelled(new Error('boom')));
  assert.ok(isColabError(new ColabError('no-gpu', 'm')) && isColabError(foreign('ColabError', { code: 'timeout' })));
  assert.ok(!isColabError(foreign('ColabError')), 'a ColabError has a code');
  assert.ok(isParamError(new ParamError('m')) && isParamError(foreign('ParamError')) && !isParamError(new Error('m')));
});

test('one progress reading per run: the cell running (1-based), never past the last, all cells once done', () => {
  assert.equal(runProgress({ state: 'running', cell: 0, total: 4 })?.label, 'cell 1/4');
  assert.equal(runProgress({ state: 'running', cell: 3, total: 4 })?.label, 'cell 4/4');
  assert.equal(runProgress({ state: 'running', cell: 4, total: 4 })?.label, 'cell 4/4', 'all finished but not yet done');
  assert.equal(runProgress({ state: 'done', cell: 5, total: 4 })?.label, 'cell 4/4', 'a counter running over total');
  assert.equal(runProgress({ state: 'failed', cell: 1, total: 4 })?.label, 'cell 2/4', 'where it stopped');
  assert.deepEqual(runProgress({ state: 'running', cell: 1, total: 4 }), { at: 2, total: 4, label: 'cell 2/4' });
  assert.equal(runProgress({ state: 'starting' }), undefined);
});
