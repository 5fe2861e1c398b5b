import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { homedir } from 'node:os';
import { innerScript, killGroupScript, parsePgidMarker, wrapRemoteCommand } from '../../../src/core/hosts/remoteCommand';

// The wrapper is what a remote login shell runs; running it with a local `sh -c` checks the quoting for real.
const sh = (cmd: string) => spawnSync('sh', ['-c', cmd], { encoding: 'utf8', env: { ...process.env, HOME: homedir() } });

describe('remote command wrapper', () => {
  test('prints the process-group marker first on stderr, then runs the command with env and cwd', () => {
    const r = sh(wrapRemoteCommand(`echo "$A|$(pwd)|$1"; echo 'x"y' >&2; exit 4`, { env: { A: "quote ' and $dollar" }, cwd: '/tmp' }));
    assert.equal(r.status, 4);
    assert.equal(r.stdout, "quote ' and $dollar|/tmp|\n");
    const [marker, ...rest] = r.stderr.split('\n');
    const pgid = parsePgidMarker(marker!);
    assert.ok(pgid && pgid > 1, marker);
    assert.deepEqual(rest, ['x"y', '']);
  });

  test('the command runs in its own process group whose id is the marker', () => {
    const r = sh(wrapRemoteCommand('ps -o pgid= -p $$'));
    assert.equal(Number(r.stdout.trim()), parsePgidMarker(r.stderr.split('\n')[0]!));
    assert.notEqual(Number(r.stdout.trim()), process.pid);
  });

  test('~ in cwd is expanded by the remote shell; a missing cwd fails instead of running elsewhere', () => {
    assert.equal(sh(wrapRemoteCommand('pwd', { cwd: '~' })).stdout.trim(), homedir());
    const bad = sh(wrapRemoteCommand('echo ran', { cwd: '/definitely/not/here' }));
    assert.equal(bad.status, 1);
    assert.equal(bad.stdout, '');
  });

  test('invalid env names are refused; marker parsing ignores other lines', () => {
    assert.throws(() => innerScript('true', { env: { 'BAD-NAME': 'x' } }), /not valid/);
    assert.equal(parsePgidMarker('hello'), undefined);
    assert.equal(parsePgidMarker('__AIRLOCK_PGID=abc'), undefined);
    assert.match(killGroupScript(1234, 1000), /kill -TERM -- -1234.*\$i -lt 10 .*kill -KILL -- -1234/s);
  });
});
