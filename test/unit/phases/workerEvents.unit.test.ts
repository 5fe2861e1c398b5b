import assert from 'node:assert/strict';
import { test } from 'node:test';
import { changesQueue, describeEvent, initialWorkerView, parseWorkerEventLine, reduceWorkerEvent } from '../../../src/core/phases/workerEvents';
import { localWorkerArgs } from '../../../src/core/phases/workerProcess';
import type { WorkerEvent } from '../../../src/core/phases/workerTypes';

const run: WorkerEvent[] = [
  { type: 'start', host: 'h', phases: ['p'], skipped: [] },
  { type: 'claimed', entry: 'a_0.json', phase: 'p', how: 'new' },
  { type: 'started', entry: 'a_0.json', command: 'run a' },
  { type: 'output', entry: 'a_0.json', line: 'step 1', stream: 'stdout' },
  { type: 'finished', entry: 'a_0.json', durationMs: 1200 },
  { type: 'pushed', entry: 'a_0.json' },
  { type: 'claimed', entry: 'b_0.json', phase: 'p', how: 'takeover', from: 'ghost' },
  { type: 'started', entry: 'b_0.json', command: 'run b' },
  { type: 'claim-lost', entry: 'b_0.json' },
  { type: 'lost', entry: 'c_0.json' },
  { type: 'idle', reason: 'no entry left for this host' },
];

test('events reduce into per-worker state: counts, the entry held, and what it does now', () => {
  const views = run.map(
    (
      (v) => (e: WorkerEvent) =>
        (v = reduceWorkerEvent(v, e))
    )(initialWorkerView()),
  );
  assert.deepEqual(
    views.map((v) => [v.activity, v.entry ?? '-']),
    [
      ['starting', '-'],
      ['claiming', 'a_0.json'],
      ['running', 'a_0.json'],
      ['running', 'a_0.json'],
      ['publishing', 'a_0.json'],
      ['claiming', '-'],
      ['claiming', 'b_0.json'],
      ['running', 'b_0.json'],
      ['claiming', '-'],
      ['claiming', '-'],
      ['idle', '-'],
    ],
  );
  const last = views.at(-1)!;
  assert.deepEqual([last.done, last.failed, last.lost, last.claimLost], [1, 0, 1, 1]);
  assert.equal(views[3], views[2], 'an output line changes no state');
  assert.equal(views[8]!.summary, 'lost the claim on b_0.json (another host took it over); stopped it');
});

test('a lost claim re-reads the queue (the old text match /claimed|pushed|released|failed/ missed it)', () => {
  const lostClaim: WorkerEvent = { type: 'claim-lost', entry: 'b_0.json' };
  assert.equal(changesQueue(lostClaim), true);
  assert.doesNotMatch(describeEvent(lostClaim)!, /claimed|pushed|released|failed/, 'the line the editor used to match on says none of those words');
  assert.deepEqual(
    run.filter(changesQueue).map((e) => e.type),
    ['claimed', 'pushed', 'claimed', 'claim-lost', 'lost'],
  );
  assert.equal(
    changesQueue({ type: 'output', entry: 'a', line: 'claimed pushed released failed', stream: 'stdout' }),
    false,
    "words in a command's output are not events",
  );
});

test('--events jsonl lines round-trip; other lines are not events', () => {
  for (const e of run) assert.deepEqual(parseWorkerEventLine(JSON.stringify(e)), e);
  assert.equal(parseWorkerEventLine('[worker] claimed a_0.json'), undefined);
  assert.equal(parseWorkerEventLine('{"type":"no-such-event"}'), undefined);
  assert.equal(parseWorkerEventLine('{not json'), undefined);
});

test('a worker started by the editor reads the plan the setting names', () => {
  const args = localWorkerArgs({ cliPath: '/x/cli.js', name: 'me', planPath: 'configs/bench.json', phases: ['p2'] });
  assert.deepEqual(args, ['/x/cli.js', 'worker', '--events', 'jsonl', '--host', 'me', '--config', 'configs/bench.json', '--phase', 'p2']);
});
