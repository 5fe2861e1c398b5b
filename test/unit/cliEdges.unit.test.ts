// The CLI's one stop mechanism and its one flag checker, without spawning anything.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installLifecycle, stoppedExitCode } from '../../src/cli/lifecycle';
import { inputFileFlag, numberFlag, outputDirFlag, outputFileFlag, secondsFlag } from '../../src/cli/flags';

function fakeProcess() {
  const proc = new EventEmitter() as EventEmitter & {
    stdout: EventEmitter & { write(s: string): boolean };
    stderr: EventEmitter & { write(s: string): boolean; text: string };
  };
  proc.stdout = Object.assign(new EventEmitter(), { write: () => true });
  proc.stderr = Object.assign(new EventEmitter(), {
    text: '',
    write(s: string) {
      this.text += s;
      return true;
    },
  });
  return proc;
}

describe('lifecycle', () => {
  for (const sig of ['SIGHUP', 'SIGTERM', 'SIGINT'] as const) {
    test(`${sig} aborts the command's signal; a second one forces exit ${stoppedExitCode}`, () => {
      const proc = fakeProcess();
      const forced: number[] = [];
      const life = installLifecycle({ proc: proc as unknown as NodeJS.Process, forceExit: (c) => forced.push(c) });
      assert.equal(life.signal.aborted, false);
      proc.emit(sig, sig);
      assert.equal(life.signal.aborted, true);
      assert.equal(life.reason(), sig);
      assert.match(proc.stderr.text, new RegExp(`${sig} received, stopping cleanly`));
      assert.deepEqual(forced, []);
      proc.emit('SIGINT', 'SIGINT');
      assert.deepEqual(forced, [stoppedExitCode]);
      life.dispose();
    });
  }

  test('a closed stdout (EPIPE) aborts the same way instead of an unhandled error event', () => {
    const proc = fakeProcess();
    const life = installLifecycle({ proc: proc as unknown as NodeJS.Process, forceExit: () => assert.fail('no force on EPIPE') });
    proc.stdout.emit('error', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
    proc.stdout.emit('error', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
    assert.equal(life.signal.aborted, true);
    assert.equal(life.reason(), 'EPIPE');
    life.dispose();
    // After dispose a late write error still has a listener: it cannot crash the process.
    assert.ok(proc.stdout.listenerCount('error') > 0);
  });
});

describe('flags', () => {
  test('numbers are finite and in range, named by flag', () => {
    assert.equal(numberFlag('--n', '3', { integer: true, min: 1 }), 3);
    assert.equal(numberFlag('--n', undefined), undefined);
    for (const bad of ['1e309', 'Infinity', 'NaN', '', 'abc', '-1'])
      assert.throws(() => numberFlag('--n', bad, { min: 0 }), /^UsageError: --n must be a number ≥ 0, got/, bad);
    assert.throws(() => numberFlag('--n', '1.5', { integer: true }), /--n must be a whole number/);
    assert.equal(secondsFlag('--timeout', '2.5', 600), 2500);
    assert.equal(secondsFlag('--timeout', undefined, 600), 600_000);
    assert.throws(() => secondsFlag('--timeout', '1e309', 600), /--timeout must be a number > 0 and ≤ 2147483, got "1e309"/);
  });

  test('paths: a directory where a file is expected, or the reverse, names the flag', () => {
    const dir = mkdtempSync(join(tmpdir(), 'airlock-flags-'));
    try {
      const file = join(dir, 'f');
      writeFileSync(file, 'x');
      assert.throws(() => inputFileFlag('--ssh-config', dir), new RegExp(`^UsageError: --ssh-config ${dir}: is a directory`));
      assert.throws(() => inputFileFlag('--ssh-config', join(dir, 'nope')), /no such file/);
      assert.throws(() => outputFileFlag('-o', dir), /-o .*: is a directory; a file path is expected/);
      assert.throws(() => outputFileFlag('-o', join(file, 'x.ipynb')), /a part of the path is a file, not a directory/);
      assert.throws(() => outputDirFlag('--local-root', file), /--local-root .*: is a file; a directory is expected/);
      assert.equal(outputFileFlag('-o', join(dir, 'new', 'deeper', 'out.json')), join(dir, 'new', 'deeper', 'out.json'));
      assert.equal(outputDirFlag('--local-root', join(dir, 'runs')), join(dir, 'runs'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
