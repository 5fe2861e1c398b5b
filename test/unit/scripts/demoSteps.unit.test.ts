// scripts/demo.sh's steps (scripts/demo-steps.sh): a long step is never silent — it says what it
// does, ticks while it runs, and ends with "done in N s" or "FAILED (exit N)" with the step's name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

const run = (body: string) =>
  spawnSync('bash', ['-c', `. scripts/demo-steps.sh; ${body}`], { encoding: 'utf8', env: { ...process.env, AIRLOCK_DEMO_TICK_SEC: '0.3' } });

test('a long step announces itself, ticks while it runs and reports its time', () => {
  const r = run('demo_step 2/5 "installing things" sleep 1.2');
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines[0], '[demo] 2/5 installing things');
  assert.ok(lines.filter((l) => l.startsWith('[demo]     … still working: installing things')).length >= 2, r.stdout);
  assert.match(lines.at(-1)!, /^\[demo\] 2\/5 done in \d+ s$/);
});

test('a failing step names itself and passes its exit code on', () => {
  const r = run('demo_step 3/5 "building" bash -c "exit 7"; echo "rc=$?"');
  assert.match(r.stderr, /\[demo\] 3\/5 FAILED \(exit 7\): building/);
  assert.match(r.stdout, /rc=7/);
  assert.doesNotMatch(r.stdout, /done in/);
});
