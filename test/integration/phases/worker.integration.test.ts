// The worker's promises, one at a time, against a real bare repository.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, test } from 'node:test';
import { cliBundle } from '../../support/cliBundle';
import { makeGitQueue, type GitQueue } from '../../support/gitQueue';
import { runWorker } from '../../../src/core/phases/worker';
import { readQueueStatus, releaseStaleClaims, requeueFailed } from '../../../src/core/phases/admin';
import { loadPlan } from '../../../src/core/phases/plan';
import { QueueRepo } from '../../../src/core/phases/queueRepo';
import { newClaim } from '../../../src/core/phases/claims';
import type { WorkerEvent } from '../../../src/core/phases/workerTypes';

const phase = (command: string, extra: object = {}) => ({ name: 'p1', axes: { model: ['m_1', 'm2'], level: ['x'] }, reruns: 1, command, ...extra });
const ok = `echo '{{"ok": 1}}' > {result}`;

let q: GitQueue | undefined;
afterEach(() => q?.dispose());

function cli(cwd: string, ...args: string[]) {
  return spawnSync(process.execPath, [cliBundle(), ...args], { cwd, encoding: 'utf8', env: { ...process.env, AIRLOCK_VRAM_GB: '0' } });
}

function setup(plan: object, protocol: 'refs' | 'branch'): { queue: GitQueue; clone: string } {
  q = makeGitQueue(plan);
  const g = cli(q.seed, 'phases', 'generate', '--protocol', protocol);
  assert.equal(g.status, 0, g.stderr);
  return { queue: q, clone: q.clone('w') };
}

async function work(clone: string, extra: Partial<Parameters<typeof runWorker>[0]> = {}, signal = new AbortController().signal) {
  const events: WorkerEvent[] = [];
  const summary = await runWorker(
    { cloneDir: clone, planPath: join(clone, '.airlock/phases.json'), host: 'h1', vramGb: 0, backoffMs: 100, maxBackoffMs: 400, ...extra },
    signal,
    (e) => events.push(e),
  );
  return { summary, events };
}

for (const protocol of ['refs', 'branch'] as const)
  describe(`phase worker (${protocol} protocol)`, { timeout: 600_000 }, () => {
    test('a failing command is recorded as failed with its log, and requeue makes it run again', async () => {
      const { queue, clone } = setup({ phases: [phase(`echo boom >&2; [ {model} = m2 ] && exit 3; ${ok}`)] }, protocol);
      const { summary, events } = await work(clone);
      assert.deepEqual({ done: summary.done, failed: summary.failed }, { done: 1, failed: 1 });
      assert.ok(events.some((e) => e.type === 'failed' && /exited with 3/.test(e.reason)));
      assert.deepEqual(queue.remoteFiles('data/runs/failed').sort(), ['data/runs/failed/m2_x_0.json', 'data/runs/failed/m2_x_0.log']);
      assert.match(queue.remoteFile('data/runs/failed/m2_x_0.log'), /boom/);
      assert.match(queue.remoteFile('data/runs/m_1_x_0.log'), /boom/, 'stdout and stderr are saved next to the result');
      assert.deepEqual(queue.remoteClaims(), []);
      const plan = await loadPlan(join(clone, '.airlock/phases.json'));
      const st = await readQueueStatus(plan, { cloneDir: clone });
      assert.deepEqual(st.phases[0]!.counts, { todo: 0, claimed: 0, running: 0, stale: 0, done: 1, failed: 1 });
      assert.deepEqual(await requeueFailed(plan, { cloneDir: clone }), ['m2_x_0.json']);
      assert.equal((await readQueueStatus(plan, { cloneDir: clone })).phases[0]!.counts.todo, 1);
    });

    test('SIGTERM stops the command and releases the claim at once', async () => {
      const { queue, clone } = setup({ phases: [phase(`echo started; sleep 60; ${ok}`)] }, protocol);
      const child = spawn(process.execPath, [cliBundle(), 'worker', '--host', 'h1', '--once'], { cwd: clone, env: { ...process.env, AIRLOCK_VRAM_GB: '0' } });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d));
      child.stderr.on('data', (d: Buffer) => (out += d));
      while (!out.includes('started')) await new Promise((r) => setTimeout(r, 50));
      assert.equal(queue.remoteClaims().length, 1, 'claimed while running');
      child.kill('SIGTERM');
      const code = await new Promise((r) => child.on('exit', r));
      assert.equal(code, 130, out);
      assert.match(out, /released the claim/);
      assert.deepEqual(queue.remoteClaims(), []);
      assert.equal(spawnSync('pgrep', ['-f', 'sleep 60']).status, 1, 'the command was stopped');
    });

    test('a result that cannot be pushed is kept and pushed by the next start', async () => {
      const { queue, clone } = setup({ phases: [phase(`touch started; sleep 0.5; ${ok}; touch finished`)] }, protocol);
      const ctl = new AbortController();
      const run = work(clone, { once: true }, ctl.signal);
      // Take the remote away while the command runs (its claim is pushed): the finish push cannot succeed.
      const waitFor = async (file: string) => {
        for (let t = Date.now(); !existsSync(join(clone, file)); await new Promise((r) => setTimeout(r, 20)))
          assert.ok(Date.now() - t < 30_000, `${file} never appeared`);
      };
      await waitFor('started');
      queue.disconnect();
      await waitFor('finished');
      await new Promise((r) => setTimeout(r, 1000));
      ctl.abort(); // the user gives up waiting (Ctrl+C) while it retries
      const first = await run;
      assert.equal(first.summary.pending, 1, 'the result is kept locally');
      assert.ok(first.events.some((e) => e.type === 'retry'));
      const pendingDir = join(clone, '.git/airlock/h1/pending');
      assert.equal(readdirSync(pendingDir).length, 1);
      queue.reconnect();
      const second = await work(clone, { maxEntries: 0 });
      assert.equal(
        second.summary.pending,
        0,
        `kept, not pushed: ${JSON.stringify(second.events.filter((e) => e.type === 'pending' || e.type === 'retry').slice(0, 3))}`,
      );
      assert.equal(readdirSync(pendingDir).length, 0);
      const results = queue.remoteFiles('data/runs').filter((p) => p.endsWith('.json') && !p.includes('/claims/'));
      assert.equal(results.length, 1, 'the kept result reached the remote');
      assert.deepEqual(queue.remoteClaims(), []);
    });

    // QueueRepo's own promise: defined once, under the branch protocol that uses it for every step.
    if (protocol === 'branch')
      test('a branch lock a dead push left on the remote stops retries with the file to remove, instead of spinning', async () => {
        const { queue, clone } = setup({ phases: [phase(ok)] }, protocol);
        const { writeFileSync } = await import('node:fs');
        const lock = join(queue.remote, 'refs/heads/main.lock');
        writeFileSync(lock, '');
        const repo = new QueueRepo({ dir: clone, staleLockMs: 1000 });
        await repo.open();
        const err = await repo
          .commitAndPush(
            'note',
            () => [{ path: 'note.txt', content: 'x' }],
            async () => true,
          )
          .then(
            () => undefined,
            (e: Error) => e,
          );
        // The event (not a wall-clock bound) that proves it gave up on the stale lock instead of retrying it as a
        // lost race: the error names the lock's age threshold and the file to remove.
        assert.match(String(err?.message), /the remote's branch has been locked for 1 s \(.*refs\/heads\/main\.lock exists\).*remove that file on the remote/);
        // Once the lock is gone, the same change goes through.
        const { rmSync } = await import('node:fs');
        rmSync(lock);
        assert.equal(
          await repo.commitAndPush(
            'note',
            () => [{ path: 'note.txt', content: 'x' }],
            async () => true,
          ),
          'pushed',
        );
      });

    test('an expired claim is taken over; a live one is left alone; release-stale clears expired ones', async () => {
      const { queue, clone } = setup({ leaseSec: 5, phases: [phase(ok)] }, protocol);
      const stale = { ...newClaim('ghost', 5, Date.now() - 60_000), pid: 999_999 };
      const live = newClaim('busy', 600);
      queue.plantClaim('m_1_x_0.json', stale, protocol);
      queue.plantClaim('m2_x_0.json', live, protocol);
      const { events } = await work(clone, { waitForClaims: false });
      assert.ok(events.some((e) => e.type === 'claimed' && e.entry === 'm_1_x_0.json' && e.how === 'takeover' && e.from === 'ghost'));
      assert.ok(!events.some((e) => e.type === 'claimed' && e.entry === 'm2_x_0.json'), 'a live claim is never taken');
      assert.deepEqual(queue.remoteClaims(), ['m2_x_0.json']);
      assert.deepEqual(await releaseStaleClaims({ cloneDir: clone }, Date.now() + 601_000), ['m2_x_0.json']);
      assert.deepEqual(queue.remoteClaims(), []);
    });

    test('runner allow lists and the VRAM rule decide which entries a host takes', async () => {
      const { queue, clone } = setup(
        {
          phases: [phase(ok), { ...phase(ok), name: 'big', axes: { model: ['huge'], level: ['x'] }, vramGb: 40 }],
          runners: { h1: { allow: { model: ['m_1', 'huge'] } } },
        },
        protocol,
      );
      const { events } = await work(clone, { vramGb: 24 });
      const start = events.find((e) => e.type === 'start');
      assert.deepEqual(start?.type === 'start' && start.skipped, [{ phase: 'big', reason: 'needs 40 GB of GPU memory; this host has 24 GB' }]);
      const claimed = events.filter((e) => e.type === 'claimed').map((e) => (e.type === 'claimed' ? e.entry : ''));
      assert.deepEqual(claimed, ['m_1_x_0.json'], 'm2 is not allowed on h1; huge needs 40 GB');
      assert.ok(existsSync(join(clone, '.git/airlock/h1')));
      assert.equal(queue.remoteFiles('data/runs/m_1_x_0.json').length, 1);
    });

    test('two workers racing for a single entry: exactly one runs it', async () => {
      const { queue, clone } = setup(
        { phases: [{ ...phase(`echo "$AIRLOCK_HOST" >> ${'$HOME'}/.airlock-race-${process.pid}; ${ok}`), axes: { model: ['only'], level: ['x'] } }] },
        protocol,
      );
      const clone2 = queue.clone('w2');
      const [a, b] = await Promise.all([work(clone, { host: 'h1', waitForClaims: false }), work(clone2, { host: 'h2', waitForClaims: false })]);
      assert.equal(a.summary.done + b.summary.done, 1);
      const ran = spawnSync('bash', ['-c', `cat $HOME/.airlock-race-${process.pid}; rm -f $HOME/.airlock-race-${process.pid}`], { encoding: 'utf8' })
        .stdout.trim()
        .split('\n');
      assert.equal(ran.length, 1, `ran on ${ran.join(', ')}`);
    });

    test('an entry lost in a race is waited for, not given up: when its winner releases it, the loser runs it', async () => {
      // A Slurm job array on the cluster once ended with an entry undone: task 1 lost the race for
      // the last entry, saw nothing free, and left; task 0 (the winner) was then scancelled and
      // released it to no one. The lost entry was hidden from "what is left to wait for".
      const { queue, clone } = setup({ leaseSec: 20, phases: [{ ...phase(ok), axes: { model: ['only'], level: ['x'] } }] }, protocol);
      queue.stageLostRace('only_x_0.json', newClaim('winner', 20), protocol);
      const events: WorkerEvent[] = [];
      const summary = await runWorker(
        { cloneDir: clone, planPath: join(clone, '.airlock/phases.json'), host: 'h1', vramGb: 0, backoffMs: 100, maxBackoffMs: 400 },
        AbortSignal.timeout(60_000),
        (e) => {
          events.push(e);
          // The winner lets go once the loser is waiting for it (scancel, SIGTERM).
          if (e.type === 'waiting' && queue.remoteClaims().includes('only_x_0.json')) queue.dropClaim('only_x_0.json', protocol);
        },
      );
      const said = events.filter((e) => e.type !== 'output').map((e) => e.type);
      assert.ok(said.includes('lost'), `the race was lost first: ${said.join(' ')}`);
      assert.ok(said.indexOf('waiting') > said.indexOf('lost'), `then it waited: ${said.join(' ')}`);
      assert.equal(summary.done, 1, `then it ran the entry: ${said.join(' ')}`);
      assert.deepEqual(queue.remoteClaims(), []);
    });
  });
