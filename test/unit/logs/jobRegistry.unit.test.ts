import assert from 'node:assert/strict';
import { test } from 'node:test';
import { JobRegistry } from '../../../src/core/jobs/jobRegistry';

test('jobs are listed while running, report progress, and leave the list when finished', () => {
  const jobs = new JobRegistry();
  let changes = 0;
  jobs.onChange(() => changes++);
  const a = jobs.start({ title: 'sweep', host: 'local' });
  const b = jobs.start({ title: 'tail' });
  jobs.progress(a.job.id, { done: 3, total: 8, message: 'case_003' });
  assert.deepEqual(
    jobs.running().map((j) => j.title),
    ['sweep', 'tail'],
  );
  assert.deepEqual(jobs.get(a.job.id)!.progress, { done: 3, total: 8, message: 'case_003' });
  jobs.finish(a.job.id, 'done');
  assert.deepEqual(
    jobs.running().map((j) => j.title),
    ['tail'],
  );
  jobs.progress(a.job.id, { done: 4, total: 8 }); // late progress of a finished job is ignored
  assert.equal(changes, 4);
  assert.equal(b.signal.aborted, false);
  assert.equal(jobs.cancel(b.job.id), true);
  assert.equal(b.signal.aborted, true);
  assert.equal(jobs.cancel('nope'), false);
});

test('cancelAll aborts every running job', () => {
  const jobs = new JobRegistry();
  const signals = [jobs.start({ title: 'a' }).signal, jobs.start({ title: 'b' }).signal];
  jobs.cancelAll();
  assert.deepEqual(
    signals.map((s) => s.aborted),
    [true, true],
  );
});
