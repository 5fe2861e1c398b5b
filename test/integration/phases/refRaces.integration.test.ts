// Races on one entry's ref, staged exactly with real git processes. The chaos test at 16 workers on
// the ref protocol once ran an entry twice with none of its workers killed: a lease refresh that met
// another push holding the entry ref's lock on the remote (git's `Unable to create '….lock': File
// exists` — e.g. a claim racing for the same entry) was read as "the claim is gone", so the owner
// stopped its run while its claim stayed; once that claim's lease ran out the entry ran again.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { cliBundle } from '../../support/cliBundle';
import { makeGitQueue, type GitQueue } from '../../support/gitQueue';
import { runWorker } from '../../../src/core/phases/worker';
import type { WorkerEvent } from '../../../src/core/phases/workerTypes';

let q: GitQueue | undefined;
after(() => q?.dispose());

test('a lease refresh that meets another push holding the entry ref lock keeps the claim: the entry runs once', { timeout: 60_000 }, async () => {
  const runLog = join(tmpdir(), `airlock-refraces-${process.pid}.log`);
  const queue = (q = makeGitQueue({
    leaseSec: 5,
    phases: [{ name: 'p', axes: { m: ['x'] }, command: `echo "start {entry} $AIRLOCK_HOST" >> ${runLog}; sleep 4; echo '{{"ok": 1}}' > {result}` }],
  }));
  const gen = spawnSync(process.execPath, [cliBundle(), 'phases', 'generate', '--protocol', 'refs'], { cwd: queue.seed, encoding: 'utf8' });
  assert.equal(gen.status, 0, gen.stderr);
  const ref = 'refs/airlock/main/x_0.json';
  // The remote holds the ref's lock for 3 s in the transaction of one push (the commit named in
  // `hold`), then aborts it: the ref never changes, yet every other update of it meanwhile finds
  // the lock taken, as when two pushes reach one entry's ref at the same instant.
  const hook = join(queue.remote, 'hooks/reference-transaction');
  writeFileSync(hook, `#!/bin/sh\n[ "$1" = prepared ] && [ -s "$GIT_DIR/hold" ] && grep -q "$(cat "$GIT_DIR/hold") ${ref}$" && { sleep 3; exit 1; }\nexit 0\n`);
  chmodSync(hook, 0o755);
  const other = queue.clone('other');
  const holder = queue.git(other, 'commit-tree', '4b825dc642cb6eb9a060e54bf8d69288fbee4904', '-m', 'holder').trim();
  writeFileSync(join(queue.remote, 'hold'), holder);

  const clone = queue.clone('a');
  const events: WorkerEvent[] = [];
  let held: Promise<string> | undefined;
  const summary = await runWorker(
    { cloneDir: clone, planPath: join(clone, '.airlock/phases.json'), host: 'A', vramGb: 0, heartbeatSec: 0.5, backoffMs: 100, maxBackoffMs: 400 },
    AbortSignal.timeout(50_000),
    (e) => {
      events.push(e);
      if (e.type === 'started')
        held = new Promise((resolve) => {
          // A forced push (no lease): it takes the lock whatever the ref holds.
          const p = spawn('git', ['push', '--porcelain', 'origin', `+${holder}:${ref}`], { cwd: other, stdio: ['ignore', 'pipe', 'pipe'] });
          let out = '';
          p.stdout.on('data', (d: Buffer) => (out += d.toString()));
          p.stderr.on('data', (d: Buffer) => (out += d.toString()));
          p.on('exit', () => resolve(out));
        });
    },
  );
  const holderOut = await held!;
  const said = JSON.stringify(events.filter((e) => e.type !== 'output'));
  assert.match(holderOut, /aborted by hook/, 'the holding push reached the transaction and was aborted there');
  assert.ok(
    events.some((e) => e.type === 'retry' && /holds the lock/.test(e.error)),
    `a lease refresh met the lock while the run went on: ${said}\nholder: ${holderOut}`,
  );
  assert.ok(!events.some((e) => e.type === 'claim-lost'), `the owner kept its claim: ${said}`);
  assert.deepEqual(readFileSync(runLog, 'utf8').trim().split('\n'), ['start x_0.json A'], `ran once: ${said}`);
  assert.equal(summary.done, 1);
  assert.deepEqual(queue.remoteClaims(), [], 'no claim left');
  assert.equal(queue.remoteRefs().get('x_0.json'), 'done');
});
