import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSshHosts, sshdSkipReason, type SshTestHosts } from '../../support/sshd';
import { SshConnectionPool } from '../../../src/core/ssh/connectionPool';
import { refuseUnknownHostKeys } from '../../../src/core/ssh/hostKeyPolicy';
import { SshRunner } from '../../../src/core/hosts/sshRunner';
import { CancelledError } from '../../../src/core/process/errors';
import type { HostSpec } from '../../../src/core/hosts/types';

const skip = sshdSkipReason();

function aliasSpec(name: string, extra: Partial<HostSpec> = {}): HostSpec {
  return { name, kind: 'ssh', source: 'ssh-config', ...extra };
}

/** Whether a pid is still a live (non-zombie) process on the remote side. */
async function alive(runner: SshRunner, pid: string): Promise<boolean> {
  const r = await runner.exec(`ps -o stat= -p ${pid} || true`);
  const stat = r.stdout.trim();
  return stat !== '' && !stat.startsWith('Z');
}

describe('SshRunner over real sshd', { skip }, () => {
  let hosts: SshTestHosts;
  let pool: SshConnectionPool;
  let runner: SshRunner;
  let local: string;

  before(async () => {
    hosts = await startSshHosts(2);
    pool = new SshConnectionPool({ hostKeyPolicy: refuseUnknownHostKeys, agentSocket: null });
    runner = new SshRunner(aliasSpec('airlock-test-1'), pool, { sshConfigPath: hosts.sshConfigPath, killGraceMs: 500 });
    local = mkdtempSync(join(tmpdir(), 'airlock-sftp-'));
  });
  after(async () => {
    pool?.dispose();
    await hosts?.stop();
    if (local) rmSync(local, { recursive: true, force: true });
  });

  test('exec streams stdout and stderr lines and returns the exit code', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const r = await runner.exec('echo one; echo two >&2; printf "three\\nfour"; exit 7', {
      onStdout: (l) => out.push(l),
      onStderr: (l) => err.push(l),
    });
    assert.equal(r.code, 7);
    assert.deepEqual(out, ['one', 'three', 'four']);
    assert.deepEqual(err, ['two'], 'the process-group marker line is stripped from stderr');
    assert.equal(r.stderr, 'two\n');
    assert.equal(r.timedOut, false);
  });

  test('env, cwd (with ~) and input reach the remote command', async () => {
    const r = await runner.exec('echo "$GREETING" "$(pwd)" "$(cat)"', {
      env: { GREETING: "it's a test" },
      cwd: '~',
      input: 'from-stdin',
    });
    const home = (await runner.exec('echo $HOME')).stdout.trim();
    assert.equal(r.stdout.trim(), `it's a test ${home} from-stdin`);
  });

  test('many channels share one connection', async () => {
    const before = pool.connectionsOpened;
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => runner.exec(`echo ch${i}`)));
    assert.deepEqual(
      results.map((r) => r.stdout.trim()),
      Array.from({ length: 12 }, (_, i) => `ch${i}`),
    );
    assert.equal(pool.connectionsOpened - before, before === 0 ? 1 : 0);
    assert.equal(pool.connectionCount, 1);
  });

  test('cancelling kills the remote process group, background children included', async () => {
    const ctl = new AbortController();
    let pids: { leader: string; child: string } | undefined;
    const run = runner.exec('sleep 300 & echo "pids $$ $!"; sleep 300', {
      signal: ctl.signal,
      onStdout: (l) => {
        const m = /^pids (\d+) (\d+)$/.exec(l);
        if (m) {
          pids = { leader: m[1]!, child: m[2]! };
          ctl.abort();
        }
      },
    });
    await assert.rejects(run, CancelledError);
    assert.ok(pids, 'the command printed its pids before being cancelled');
    assert.equal(await alive(runner, pids.child), false, 'the background sleep is gone');
    assert.equal(await alive(runner, pids.leader), false, 'the command shell is gone');
  });

  test('a timeout kills the group and reports timedOut', async () => {
    let child = '';
    const r = await runner.exec('sleep 300 & echo $!; wait', { timeoutMs: 3000, onStdout: (l) => (child = l.trim()) });
    assert.equal(r.timedOut, true);
    assert.notEqual(r.code, 0);
    assert.match(child, /^\d+$/);
    assert.equal(await alive(runner, child), false);
  });

  test('SFTP upload then download round-trips a file, creating directories, with ~ resolved remotely', async () => {
    const src = join(local, 'src.bin');
    const payload = Buffer.from(Array.from({ length: 300_000 }, (_, i) => i % 251));
    writeFileSync(src, payload);
    const remote = `~/airlock-sftp-test-${process.pid}/nested/file.bin`;
    try {
      await runner.upload(src, remote);
      const size = await runner.exec(`stat -c %s ~/airlock-sftp-test-${process.pid}/nested/file.bin`);
      assert.equal(size.stdout.trim(), String(payload.length));
      const dst = join(local, 'deep', 'er', 'dst.bin');
      await runner.download(remote, dst);
      assert.deepEqual(readFileSync(dst), payload);
      await assert.rejects(runner.download('~/does-not-exist-airlock', join(local, 'x')), /no such file/);
    } finally {
      await runner.exec(`rm -rf ~/airlock-sftp-test-${process.pid}`);
    }
  });

  test('ProxyJump: host 2 reached through host 1', async () => {
    const jumpPool = new SshConnectionPool({ hostKeyPolicy: refuseUnknownHostKeys, agentSocket: null });
    try {
      const h2 = hosts.hosts[1]!;
      // host 2 is addressed by alias; the jump goes through host 1's alias (its own settings from the config).
      const viaJump = new SshRunner(aliasSpec('airlock-test-2', { proxyJump: 'airlock-test-1' }), jumpPool, { sshConfigPath: hosts.sshConfigPath });
      const r = await viaJump.exec('echo "$SSH_CONNECTION"');
      const [clientIp, , serverIp, serverPort] = r.stdout.trim().split(' ');
      assert.equal(serverPort, String(h2.port));
      assert.equal(serverIp, '127.0.0.1');
      assert.equal(clientIp, '127.0.0.1');
      assert.equal(jumpPool.connectionCount, 2, 'one connection to the jump host, one tunnelled to the target');
    } finally {
      jumpPool.dispose();
    }
  });

  test('a connection that dies is dropped and the next use reconnects', async () => {
    const p = new SshConnectionPool({ hostKeyPolicy: refuseUnknownHostKeys, agentSocket: null });
    try {
      const r2 = new SshRunner(aliasSpec('airlock-test-2'), p, { sshConfigPath: hosts.sshConfigPath });
      assert.equal((await r2.exec('echo a')).stdout.trim(), 'a');
      await hosts.hosts[1]!.stop();
      await hosts.hosts[1]!.start();
      assert.equal((await r2.exec('echo b')).stdout.trim(), 'b');
      assert.equal(p.connectionsOpened, 2);
    } finally {
      p.dispose();
    }
  });

  test('more commands than sshd MaxSessions wait for a free session on the same connection', async () => {
    const limited = await startSshHosts(1, { aliasPrefix: 'airlock-limited', sshdConfig: ['MaxSessions 2'] });
    const p = new SshConnectionPool({ hostKeyPolicy: refuseUnknownHostKeys, agentSocket: null });
    try {
      const r = new SshRunner(aliasSpec('airlock-limited-1'), p, { sshConfigPath: limited.sshConfigPath });
      const results = await Promise.all(Array.from({ length: 6 }, (_, i) => r.exec(`sleep 0.3; echo s${i}`)));
      assert.deepEqual(
        results.map((x) => x.stdout.trim()),
        ['s0', 's1', 's2', 's3', 's4', 's5'],
      );
      assert.equal(p.connectionsOpened, 1, 'refused sessions never cost the shared connection');
    } finally {
      p.dispose();
      await limited.stop();
    }
  });
});
