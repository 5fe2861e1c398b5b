// A worker killed with SIGKILL cannot stop its command (it runs in its own process group). The next
// worker of that host must stop the leftover before it resumes the entry, or the benchmark would
// run twice side by side on one GPU.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { cliBundle } from '../../support/cliBundle';
import { makeGitQueue, type GitQueue } from '../../support/gitQueue';

let q: GitQueue | undefined;
after(() => q?.dispose());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const alive = (pid: number) => existsSync(`/proc/${pid}`) && !/^\S+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));

test('a restarted worker stops the run its SIGKILLed predecessor left behind, then resumes the entry', { timeout: 60_000 }, async () => {
  const queue = (q = makeGitQueue({ phases: [] }));
  const runs = join(queue.dir, 'runs.log');
  const fast = join(queue.dir, 'fast');
  writeFileSync(
    join(queue.seed, '.airlock/phases.json'),
    JSON.stringify({
      phases: [
        { name: 'p1', axes: { model: ['m'] }, command: `[ -e ${fast} ] || {{ sleep 30 & echo "$! $AIRLOCK_HOST" >> ${runs}; wait; }}; echo '{{}}' > {result}` },
      ],
    }),
  );
  queue.git(queue.seed, 'commit', '-qam', 'plan');
  queue.git(queue.seed, 'push', '-q', 'origin', 'main');
  const cli = cliBundle();
  assert.equal(spawnSync(process.execPath, [cli, 'phases', 'generate'], { cwd: queue.seed }).status, 0);
  const clone = queue.clone('w');
  const env = { ...process.env, AIRLOCK_VRAM_GB: '0' };

  const first = spawn(process.execPath, [cli, 'worker', '--host', 'h1', '--once'], { cwd: clone, env, stdio: 'ignore' });
  while (!existsSync(runs)) await sleep(50);
  const orphan = Number(readFileSync(runs, 'utf8').split(' ')[0]);
  first.kill('SIGKILL');
  await new Promise((r) => first.on('exit', r));
  assert.ok(alive(orphan), 'the command outlives a SIGKILLed worker');

  writeFileSync(fast, '');
  const second = spawnSync(process.execPath, [cli, 'worker', '--host', 'h1', '--once'], { cwd: clone, env, encoding: 'utf8', timeout: 30_000 });
  assert.equal(second.status, 0, second.stderr);
  assert.match(second.stderr, /stopped a run of m_0\.json left by an earlier worker/);
  assert.match(second.stderr, /claimed m_0\.json \(resume from h1\)/);
  assert.ok(!alive(orphan), 'the leftover run was stopped');
  assert.deepEqual(queue.remoteClaims(), []);
  assert.deepEqual(
    queue.remoteFiles('data/runs').filter((p) => p.endsWith('.json')),
    ['data/runs/m_0.json'],
  );
});
