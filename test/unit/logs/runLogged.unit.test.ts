import assert from 'node:assert/strict';
import { test } from 'node:test';
import { spawnSync } from 'node:child_process';
import { LocalRunner } from '../../../src/core/hosts/localRunner';
import { JobRegistry } from '../../../src/core/jobs/jobRegistry';
import { LogStore } from '../../../src/core/logs/logStore';
import { runLogged } from '../../../src/core/logs/runLogged';

const setup = () => ({ logs: new LogStore({ batchMs: 5 }), jobs: new JobRegistry(), runner: new LocalRunner() });

test('a command streams stdout and stderr into a stream, and the job ends done', async () => {
  const { logs, jobs, runner } = setup();
  const h = runLogged({ runner, logs, jobs, title: 'echo', command: 'echo one; echo two >&2; echo three' });
  assert.equal(jobs.running().length, 1);
  assert.equal(jobs.get(h.jobId)!.logStreamId, h.streamId);
  const r = await h.done;
  assert.equal(r?.code, 0);
  assert.deepEqual(
    logs
      .range(h.streamId, 0, 10)
      .map((l) => `${l.text}${l.err ? ' (err)' : ''}`)
      .sort(),
    ['one', 'three', 'two (err)'],
  );
  assert.equal(logs.info(h.streamId)!.state, 'done');
  assert.equal(jobs.running().length, 0);
  logs.dispose();
});

test('a failing command marks the stream failed and says the exit code', async () => {
  const { logs, jobs, runner } = setup();
  const h = runLogged({ runner, logs, jobs, title: 'fail', command: 'echo about to fail; exit 3' });
  assert.equal((await h.done)?.code, 3);
  const info = logs.info(h.streamId)!;
  assert.equal(info.state, 'failed');
  assert.equal(info.exitCode, 3);
  assert.match(logs.range(h.streamId, 0, 10).at(-1)!.text, /exited with 3/);
  logs.dispose();
});

test('cancelling the job kills the whole process group, children included', async () => {
  const { logs, jobs, runner } = setup();
  const marker = `airlock-cancel-${process.pid}-${Date.now()}`;
  const h = runLogged({ runner, logs, jobs, title: 'long', command: `(sleep 300; echo ${marker}) & echo started; sleep 300 # ${marker}` });
  while (!logs.range(h.streamId, 0, 5).some((l) => l.text === 'started')) await new Promise((r) => setTimeout(r, 20));
  assert.equal(jobs.cancel(h.jobId), true);
  assert.equal(await h.done, undefined);
  assert.equal(logs.info(h.streamId)!.state, 'cancelled');
  await new Promise((r) => setTimeout(r, 200));
  const left = spawnSync('pgrep', ['-f', marker], { encoding: 'utf8' }).stdout.trim();
  assert.equal(left, '', `processes left: ${left}`);
  logs.dispose();
});

test('a timeout stops the command and says so', async () => {
  const { logs, jobs, runner } = setup();
  const h = runLogged({ runner, logs, jobs, title: 'slow', command: 'sleep 30', timeoutMs: 300 });
  const r = await h.done;
  assert.equal(r?.timedOut, true);
  assert.equal(logs.info(h.streamId)!.state, 'failed');
  assert.match(logs.range(h.streamId, 0, 5).at(-1)!.text, /timed out/);
  logs.dispose();
});
