// A remote that stays unreachable for longer than the lease must not make a second host run an
// entry whose owner is alive: everyone was cut off alike, so the owner gets a grace period after the
// remote returns to push its lease (or its result) before anyone may take the entry over.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { spawnSync } from 'node:child_process';
import { cliBundle } from '../../support/cliBundle';
import { makeGitQueue, type GitQueue } from '../../support/gitQueue';
import { runWorker } from '../../../src/core/phases/worker';
import type { WorkerEvent } from '../../../src/core/phases/workerTypes';

let q: GitQueue | undefined;
after(() => q?.dispose());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('an outage longer than the lease: the cut-off owner keeps its entry, nobody runs it twice', { timeout: 90_000 }, async () => {
  const queue = (q = makeGitQueue({ phases: [] }));
  const runLog = join(queue.dir, 'runs.log');
  writeFileSync(
    join(queue.seed, '.airlock/phases.json'),
    JSON.stringify({
      leaseSec: 5,
      phases: [
        {
          name: 'p1',
          axes: { model: ['a_b'] },
          reruns: 1,
          command: `echo "start {entry} $AIRLOCK_HOST" >> ${runLog}; sleep 3; echo '{{"host": "'$AIRLOCK_HOST'"}}' > {result}`,
        },
      ],
    }),
  );
  queue.git(queue.seed, 'commit', '-qam', 'plan');
  queue.git(queue.seed, 'push', '-q', 'origin', 'main');
  const gen = spawnSync(process.execPath, [cliBundle(), 'phases', 'generate'], { cwd: queue.seed, encoding: 'utf8' });
  assert.equal(gen.status, 0, gen.stderr);
  const [a, c] = [queue.clone('a'), queue.clone('c')];
  const events: Record<string, WorkerEvent[]> = { A: [], C: [] };
  const work = (clone: string, host: 'A' | 'C') =>
    runWorker(
      { cloneDir: clone, planPath: join(clone, '.airlock/phases.json'), host, vramGb: 0, heartbeatSec: 1, backoffMs: 200, maxBackoffMs: 1000 },
      AbortSignal.timeout(60_000),
      (e) => events[host]!.push(e),
    );

  const first = work(a, 'A');
  while (!events.A!.some((e) => e.type === 'started')) await sleep(50);
  queue.disconnect();
  await sleep(8000); // longer than the 5 s lease: A's lease has expired when the remote returns
  queue.reconnect();
  const second = work(c, 'C');
  const [sa, sc] = await Promise.all([first, second]);

  const starts = readFileSync(runLog, 'utf8').trim().split('\n');
  assert.deepEqual(starts, ['start a_b_0.json A'], `ran once, by its owner\nA: ${JSON.stringify(events.A)}\nC: ${JSON.stringify(events.C)}`);
  assert.deepEqual(JSON.parse(queue.remoteFile('data/runs/a_b_0.json')), { host: 'A' });
  assert.deepEqual(queue.remoteClaims(), []);
  assert.equal(sa.done + sc.done, 1);
});
