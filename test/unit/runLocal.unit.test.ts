import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runLocal } from '../../src/core/process/runLocal';
import { CancelledError } from '../../src/core/process/errors';
import { existsSync } from 'node:fs';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test('runLocal streams lines and returns the exit code', async () => {
  const seen: string[] = [];
  const r = await runLocal('echo one; echo two >&2; exit 3', { onStdout: (l) => seen.push(l), onStderr: (l) => seen.push('E:' + l) });
  assert.equal(r.code, 3);
  assert.deepEqual(seen.sort(), ['E:two', 'one']);
  assert.equal(r.stdout, 'one\n');
});

test('cancelling runLocal kills the whole process group, children included', async () => {
  const ac = new AbortController();
  let childPid = 0;
  const p = runLocal('sleep 300 & echo $!; wait', {
    signal: ac.signal,
    onStdout: (l) => {
      childPid = Number(l);
      ac.abort();
    },
  });
  await assert.rejects(p, CancelledError);
  assert.ok(childPid > 0);
  for (let i = 0; i < 50 && alive(childPid); i++) await new Promise((r) => setTimeout(r, 50));
  assert.equal(alive(childPid), false, 'background child must be gone');
});

test('runLocal timeout marks the result and stops the command', async () => {
  const r = await runLocal('sleep 30', { timeoutMs: 200 });
  assert.equal(r.timedOut, true);
  assert.notEqual(r.code, 0);
  assert.ok(existsSync('/bin/bash'));
});
