// The run monitor decides from two voices — the notebook's status file and the page — and from
// silence (no status yet, a stale heartbeat, the clock).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { monitorRun } from '../../../src/core/colab/monitor';
import { ColabError } from '../../../src/core/colab/colabErrors';
import { DriveError } from '../../../src/core/colab/driveErrors';
import type { RunStatus } from '../../../src/core/notebook/statusWriter';

const now = () => new Date().toISOString();
const st = (state: RunStatus['state'], cell: number, extra: Partial<RunStatus> = {}): RunStatus => ({
  run: 'r',
  state,
  cell,
  total: 4,
  error: null,
  traceback: null,
  gpu: 'T4',
  updatedAt: now(),
  ...extra,
});
const seq = (...xs: (RunStatus | undefined | Error)[]) => {
  let i = 0;
  return async () => {
    const x = xs[Math.min(i++, xs.length - 1)];
    if (x instanceof Error) throw x;
    return x;
  };
};
const code = async (p: Promise<unknown>) =>
  (
    (await p.then(
      () => undefined,
      (e: unknown) => e,
    )) as ColabError
  ).code;

test('follows the status to its end and reports each change once', async () => {
  const seen: string[] = [];
  const a = st('running', 1);
  const final = await monitorRun({
    readStatus: seq(undefined, a, a, st('running', 2), st('done', 4)),
    timeoutMs: 5000,
    pollMs: 1,
    onStatus: (s) => seen.push(`${s.state}:${s.cell}`),
  });
  assert.equal(final.state, 'done');
  assert.deepEqual(seen, ['running:1', 'running:2', 'done:4']);
  const failed = await monitorRun({ readStatus: seq(st('failed', 3, { error: 'KeyError: x' })), timeoutMs: 5000, pollMs: 1 });
  assert.equal(failed.error, 'KeyError: x');
});

test('the page speaks first: a dialog ends the run with its code and advice', async () => {
  const err = await monitorRun({
    readStatus: seq(st('running', 1)),
    pageProblem: async () => ({ code: 'no-gpu', message: 'Colab cannot connect to a GPU backend' }),
    timeoutMs: 5000,
    pollMs: 1,
  }).catch((e: ColabError) => e);
  assert.ok(err instanceof ColabError);
  assert.equal(err.code, 'no-gpu');
  assert.match(err.message, /^Colab cannot connect to a GPU backend — Colab has no GPU/);
});

test('silence: no status at all, a stale heartbeat, the overall timeout', async () => {
  assert.equal(await code(monitorRun({ readStatus: seq(undefined), timeoutMs: 5000, startTimeoutMs: 20, pollMs: 5 })), 'no-status');
  const old = new Date(Date.now() - 60_000).toISOString();
  assert.equal(
    await code(monitorRun({ readStatus: seq(st('running', 2, { updatedAt: old, heartbeatAt: old })), timeoutMs: 5000, staleAfterMs: 30_000, pollMs: 1 })),
    'runtime-disconnected',
  );
  const t = (await monitorRun({ readStatus: seq(st('running', 2)), timeoutMs: 30, pollMs: 5 }).catch((e: unknown) => e)) as ColabError;
  assert.equal(t.code, 'timeout');
  assert.match(t.message, /did not finish within 0 s \(at cell 2\/4\)/);
});

test('Drive hiccups are logged and polled through; lost access ends the run', async () => {
  const hiccups: string[] = [];
  const final = await monitorRun({
    readStatus: seq(new DriveError('Drive failed (HTTP 503)', 503, 'backendError'), st('done', 4)),
    timeoutMs: 5000,
    pollMs: 1,
    onReadError: (e) => hiccups.push(e.message),
  });
  assert.equal(final.state, 'done');
  assert.deepEqual(hiccups, ['Drive failed (HTTP 503)']);
  await assert.rejects(monitorRun({ readStatus: seq(new DriveError('refused', 401)), timeoutMs: 5000, pollMs: 1 }), /refused/);
});

test('cancel stops polling at once', async () => {
  const ctl = new AbortController();
  setTimeout(() => ctl.abort(), 20);
  await assert.rejects(
    monitorRun({ readStatus: seq(st('running', 1)), timeoutMs: 60_000, pollMs: 10_000, signal: ctl.signal }),
    (e: Error) => e.name === 'CancelledError',
  );
});
