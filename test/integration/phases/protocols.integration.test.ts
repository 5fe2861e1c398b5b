// Which protocol a queue uses, and what happens at the seams: a queue generated before the ref
// protocol (TODO lists in data/phase/) keeps the branch protocol; `generate --protocol refs`
// migrates it while a branch-protocol worker still holds a claim; a remote that refuses entry refs
// gets the branch protocol; results still in entry refs count as done for every reader.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, test } from 'node:test';
import { cliBundle } from '../../support/cliBundle';
import { makeGitQueue, type GitQueue } from '../../support/gitQueue';
import { readPhaseResults, readQueueStatus } from '../../../src/core/phases/admin';
import { newClaim } from '../../../src/core/phases/claims';
import { loadPlan } from '../../../src/core/phases/plan';
import { runWorker } from '../../../src/core/phases/worker';
import type { WorkerEvent } from '../../../src/core/phases/workerTypes';

let q: GitQueue | undefined;
afterEach(() => q?.dispose());

const plan = { phases: [{ name: 'p', axes: { m: ['a', 'b', 'c', 'd'] }, command: `echo "$AIRLOCK_HOST {entry}" >> runs.log; echo '{{"v": 1}}' > {result}` }] };
const entries = ['a_0.json', 'b_0.json', 'c_0.json', 'd_0.json'];

function cli(cwd: string, ...args: string[]) {
  return spawnSync(process.execPath, [cliBundle(), ...args], { cwd, encoding: 'utf8', env: { ...process.env, AIRLOCK_VRAM_GB: '0' } });
}

async function work(clone: string, host: string, extra: Partial<Parameters<typeof runWorker>[0]> = {}, signal = new AbortController().signal) {
  const events: WorkerEvent[] = [];
  const summary = await runWorker(
    { cloneDir: clone, planPath: join(clone, '.airlock/phases.json'), host, vramGb: 0, waitForClaims: false, backoffMs: 100, maxBackoffMs: 400, ...extra },
    signal,
    (e) => events.push(e),
  );
  return { summary, events };
}

/** What `generate` wrote before the ref protocol: data/phase/<phase>.txt on the branch. */
function branchProtocolQueue(queue: GitQueue): void {
  mkdirSync(join(queue.seed, 'data/phase'), { recursive: true });
  writeFileSync(join(queue.seed, 'data/phase/p.txt'), `${entries.join('\n')}\n`);
  queue.git(queue.seed, 'add', '.');
  queue.git(queue.seed, 'commit', '-qm', 'generate p');
  queue.git(queue.seed, 'push', '-q', 'origin', 'main');
}

describe('queue protocols', { timeout: 600_000 }, () => {
  test('a queue generated with --protocol refs: claims and results are entry refs, folded into the branch when workers leave', async () => {
    q = makeGitQueue(plan);
    const g = cli(q.seed, 'phases', 'generate', '--protocol', 'refs');
    assert.equal(g.status, 0, g.stderr);
    assert.deepEqual(q.remoteFiles('data/phase'), ['data/phase/refs/p.txt'], 'branch-protocol workers read data/phase/p.txt only: they see nothing to take');
    const clone = q.clone('w');
    const { summary, events } = await work(clone, 'h1');
    assert.equal(summary.done, 4);
    assert.ok(
      events.some((e) => e.type === 'compacted'),
      'results folded into the branch',
    );
    assert.deepEqual([...q.remoteRefs().values()], ['done', 'done', 'done', 'done']);
    assert.deepEqual(
      q
        .remoteFiles('data/runs')
        .filter((p) => p.endsWith('.json'))
        .sort(),
      entries.map((e) => `data/runs/${e}`),
    );
    const log = q.git(q.remote, 'log', '--format=%s', 'main');
    assert.doesNotMatch(log, /^claim /m, 'no claim went through the branch');
  });

  test('a queue generated before the ref protocol is drained on the branch protocol, next to its old workers', async () => {
    q = makeGitQueue(plan);
    branchProtocolQueue(q);
    // An old worker holds d with a live lease (a claim file, as every worker before did).
    q.plantClaim('d_0.json', newClaim('old-worker', 600), 'branch');
    const [w1, w2] = [q.clone('w1'), q.clone('w2')];
    const [r1, r2] = await Promise.all([work(w1, 'h1'), work(w2, 'h2')]);
    assert.equal(r1.summary.done + r2.summary.done, 3, "a, b and c; d is the old worker's");
    assert.equal(q.remoteRefs().size, 0, 'no entry ref: the old protocol throughout');
    assert.deepEqual(q.remoteClaims(), ['d_0.json'], "the old worker's claim stands");
    assert.match(q.git(q.remote, 'log', '--format=%s', 'main'), /^claim a_0\.json$/m, 'claims are commits on the branch, as old workers expect');
    const ran = q
      .git(q.remote, 'log', '--format=%s', 'main')
      .split('\n')
      .filter((l) => l.startsWith('finish '))
      .sort();
    assert.deepEqual(ran, ['finish a_0.json', 'finish b_0.json', 'finish c_0.json']);
  });

  test('generate --protocol refs migrates a queue while an old worker holds a claim: nothing runs twice, its finish still lands', async () => {
    q = makeGitQueue(plan);
    branchProtocolQueue(q);
    q.plantClaim('d_0.json', newClaim('old-worker', 600), 'branch');
    const g = cli(q.seed, 'phases', 'generate', '--protocol', 'refs');
    assert.equal(g.status, 0, g.stderr);
    assert.deepEqual(q.remoteFiles('data/phase'), ['data/phase/refs/p.txt'], 'the old TODO list is gone: old workers take nothing new');
    const clone = q.clone('w');
    const first = await work(clone, 'h1');
    assert.equal(first.summary.done, 3);
    assert.ok(!first.events.some((e) => e.type === 'claimed' && e.entry === 'd_0.json'), "the old worker's live claim is respected");
    // The old worker finishes d the way it always did: a commit adding the result and removing its claim.
    const old = q.clone('old');
    q.git(old, 'rm', '-q', 'data/runs/claims/d_0.json.claim');
    writeFileSync(join(old, 'data/runs/d_0.json'), '{"v": 2}\n');
    q.git(old, 'add', '.');
    q.git(old, '-c', 'user.name=o', '-c', 'user.email=o@o', 'commit', '-qm', 'finish d_0.json');
    q.git(old, 'push', '-q', 'origin', 'main');
    const p = await loadPlan(join(clone, '.airlock/phases.json'));
    const st = await readQueueStatus(p, { cloneDir: clone });
    assert.deepEqual(st.phases[0]!.counts, { todo: 0, claimed: 0, running: 0, stale: 0, done: 4, failed: 0 });
    assert.deepEqual(q.remoteClaims(), []);
  });

  test('a remote that refuses entry refs: --protocol refs is refused, naming the refusal; the default branch protocol works there', async () => {
    q = makeGitQueue(plan);
    const hook = join(q.remote, 'hooks/pre-receive');
    // A host that accepts only branches and tags (some do, with a hook like this one).
    writeFileSync(hook, '#!/bin/sh\nwhile read old new ref; do case "$ref" in refs/heads/*|refs/tags/*) ;; *) echo "refusing $ref"; exit 1;; esac; done\n');
    chmodSync(hook, 0o755);
    const refused = cli(q.seed, 'phases', 'generate', '--protocol', 'refs');
    assert.equal(refused.status, 2, refused.stderr);
    assert.match(refused.stderr, /the remote refused refs\/airlock\/main\/.*pre-receive hook declined/);
    const g = cli(q.seed, 'phases', 'generate');
    assert.equal(g.status, 0, g.stderr);
    assert.deepEqual(q.remoteFiles('data/phase'), ['data/phase/p.txt']);
    const clone = q.clone('w');
    assert.equal((await work(clone, 'h1')).summary.done, 4);
  });

  test('results still in entry refs count as done for status (CLI and view) and the results table', async () => {
    q = makeGitQueue(plan);
    assert.equal(cli(q.seed, 'phases', 'generate', '--protocol', 'refs').status, 0);
    const clone = q.clone('w');
    // Stopped after two pushes: a stopped worker does not fold, so both results are only in refs.
    const ctl = new AbortController();
    let pushed = 0;
    await runWorker(
      { cloneDir: clone, planPath: join(clone, '.airlock/phases.json'), host: 'h1', vramGb: 0, waitForClaims: false },
      ctl.signal,
      (e) => e.type === 'pushed' && ++pushed === 2 && ctl.abort(),
    );
    assert.deepEqual(q.remoteFiles('data/runs'), [], 'nothing folded yet');
    const p = await loadPlan(join(clone, '.airlock/phases.json'));
    const st = await readQueueStatus(p, { cloneDir: clone });
    assert.equal(st.phases[0]!.counts.done, 2);
    assert.equal(st.phases[0]!.counts.todo + st.phases[0]!.counts.claimed, 2);
    const json = JSON.parse(cli(clone, 'phases', 'status', '--json').stdout) as { phases: { counts: { done: number }; total: number }[] };
    assert.deepEqual([json.phases[0]!.counts.done, json.phases[0]!.total], [2, 4]);
    const results = await readPhaseResults(p, 'p', st, { cloneDir: clone });
    assert.deepEqual(
      results.map((r) => r.json),
      [{ v: 1 }, { v: 1 }],
      'read from the entry refs',
    );
  });
});
