import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { startSshHosts, sshdSkipReason, type SshTestHosts } from '../../support/sshd';
import { SshConnectionPool } from '../../../src/core/ssh/connectionPool';
import { acceptNewHostKeys, refuseUnknownHostKeys, type UnknownHostKey } from '../../../src/core/ssh/hostKeyPolicy';
import { AuthFailedError, HostKeyChangedError, HostKeyRejectedError, HostUnreachableError } from '../../../src/core/ssh/errors';
import { sshFingerprint } from '../../../src/core/ssh/knownHosts';
import { SshRunner } from '../../../src/core/hosts/sshRunner';
import type { HostSpec } from '../../../src/core/hosts/types';

const skip = sshdSkipReason();
const spec = (name: string, extra: Partial<HostSpec> = {}): HostSpec => ({ name, kind: 'ssh', source: 'ssh-config', ...extra });
const fingerprintOf = (publicKey: string) => sshFingerprint(Buffer.from(publicKey.split(' ')[1]!, 'base64'));

describe('host keys, auth and reachability against real sshd', { skip }, () => {
  let hosts: SshTestHosts;
  const pools: SshConnectionPool[] = [];
  const newPool = (opts: Partial<ConstructorParameters<typeof SshConnectionPool>[0]> = {}) => {
    const p = new SshConnectionPool({ hostKeyPolicy: refuseUnknownHostKeys, agentSocket: null, connectTimeoutSec: 5, ...opts });
    pools.push(p);
    return p;
  };

  before(async () => {
    hosts = await startSshHosts(2);
  });
  after(async () => {
    for (const p of pools) p.dispose();
    await hosts?.stop();
  });

  test('unknown host key: the policy sees the SHA256 fingerprint; declining refuses the connection', async () => {
    const emptyKnownHosts = join(hosts.dir, 'empty_known_hosts');
    writeFileSync(emptyKnownHosts, '');
    const asked: UnknownHostKey[] = [];
    const pool = newPool({ knownHostsFile: emptyKnownHosts, hostKeyPolicy: { confirmUnknownHost: async (k) => (asked.push(k), false) } });
    const runner = new SshRunner(spec('airlock-test-1'), pool, { sshConfigPath: hosts.sshConfigPath });
    await assert.rejects(runner.exec('true'), (err: unknown) => {
      assert.ok(err instanceof HostKeyRejectedError);
      assert.match(err.message, /not accepted/);
      return true;
    });
    const h1 = hosts.hosts[0]!;
    assert.equal(asked.length, 1);
    assert.deepEqual(asked[0], {
      host: '127.0.0.1',
      port: h1.port,
      pattern: `[127.0.0.1]:${h1.port}`,
      keyType: 'ssh-ed25519',
      fingerprint: fingerprintOf(h1.publicKey()),
    });
    assert.equal(readFileSync(emptyKnownHosts, 'utf8'), '', 'a declined key is not written');
    assert.equal(pool.connectionCount, 0);
  });

  test('unknown host key accepted by the policy is appended to known_hosts and not asked again', async () => {
    const file = join(hosts.dir, 'accept_known_hosts');
    writeFileSync(file, '# my hosts\n');
    let asked = 0;
    const policy = { confirmUnknownHost: async () => (asked++, true) };
    const runner = new SshRunner(spec('airlock-test-2'), newPool({ knownHostsFile: file, hostKeyPolicy: policy }), { sshConfigPath: hosts.sshConfigPath });
    assert.equal((await runner.exec('echo ok')).stdout, 'ok\n');
    const h2 = hosts.hosts[1]!;
    assert.equal(readFileSync(file, 'utf8'), `# my hosts\n[127.0.0.1]:${h2.port} ${h2.publicKey()}\n`);
    const again = new SshRunner(spec('airlock-test-2'), newPool({ knownHostsFile: file, hostKeyPolicy: policy }), { sshConfigPath: hosts.sshConfigPath });
    assert.equal((await again.exec('echo again')).stdout, 'again\n');
    assert.equal(asked, 1);
  });

  test('a changed host key is refused with HostKeyChangedError naming the file, line and the fix', async () => {
    const file = join(hosts.dir, 'changed_known_hosts');
    copyFileSync(hosts.knownHostsPath, file);
    const h2 = hosts.hosts[1]!;
    let asked = 0;
    await h2.rotateHostKey();
    const runner = new SshRunner(
      spec('airlock-test-2'),
      newPool({ knownHostsFile: file, hostKeyPolicy: { confirmUnknownHost: async () => (asked++, true) } }),
      {
        sshConfigPath: hosts.sshConfigPath,
      },
    );
    await assert.rejects(runner.exec('true'), (err: unknown) => {
      assert.ok(err instanceof HostKeyChangedError, String(err));
      assert.equal(err.fingerprint, fingerprintOf(h2.publicKey()));
      assert.equal(err.line, 2, 'host 2 is the second line of the test known_hosts');
      assert.ok(err.message.includes(`${file}:2`));
      assert.ok(err.message.includes(`ssh-keygen -R '[127.0.0.1]:${h2.port}'`));
      assert.ok(err.message.includes(err.fingerprint));
      return true;
    });
    assert.equal(asked, 0, 'a changed key is never offered to the unknown-key policy');
  });

  test('accept-new never trusts a key of another type for a known host (OpenSSH: changed, not new)', async () => {
    const file = join(hosts.dir, 'type_known_hosts');
    copyFileSync(hosts.knownHostsPath, file);
    const before = readFileSync(file, 'utf8');
    const h2 = hosts.hosts[1]!;
    // Known by its ed25519 key; the reinstalled server now has only an ECDSA key.
    await h2.rotateHostKey('ecdsa');
    assert.match(h2.publicKey(), /^ecdsa-sha2-nistp256 /);
    let asked = 0;
    const runner = new SshRunner(
      spec('airlock-test-2'),
      newPool({ knownHostsFile: file, hostKeyPolicy: { confirmUnknownHost: async () => (asked++, true) } }),
      { sshConfigPath: hosts.sshConfigPath },
    );
    await assert.rejects(runner.exec('true'), (err: unknown) => {
      assert.ok(err instanceof HostKeyChangedError, String(err));
      assert.equal(err.keyType, 'ecdsa-sha2-nistp256');
      assert.equal(err.knownKeyType, 'ssh-ed25519');
      assert.equal(err.line, 2);
      assert.ok(err.message.includes(`${file}:2, which holds its ssh-ed25519 key`), err.message);
      return true;
    });
    assert.equal(asked, 0, 'accept-new (any policy) is never asked about a known host');
    assert.equal(readFileSync(file, 'utf8'), before, 'known_hosts is not touched');
    // The same through the sweep/CLI accept-new policy.
    const sweepLike = new SshRunner(spec('airlock-test-2'), newPool({ knownHostsFile: file, hostKeyPolicy: acceptNewHostKeys }), {
      sshConfigPath: hosts.sshConfigPath,
    });
    await assert.rejects(sweepLike.exec('true'), HostKeyChangedError);
    assert.equal(readFileSync(file, 'utf8'), before);
    // OpenSSH itself, as the oracle, refuses the same connection with the same file.
    const ssh = spawnSync(
      'ssh',
      [
        '-F',
        hosts.sshConfigPath,
        '-o',
        `UserKnownHostsFile=${file}`,
        '-o',
        'StrictHostKeyChecking=accept-new',
        '-o',
        'BatchMode=yes',
        'airlock-test-2',
        'true',
      ],
      { encoding: 'utf8' },
    );
    assert.notEqual(ssh.status, 0, 'ssh refuses too');
    await h2.rotateHostKey('ed25519');
    writeFileSync(hosts.knownHostsPath, hosts.hosts.map((h) => `[127.0.0.1]:${h.port} ${h.publicKey()}\n`).join(''));
  });

  test('GlobalKnownHostsFile and every UserKnownHostsFile are read: a key there matches; a conflict with it is refused', async () => {
    const h1 = hosts.hosts[0]!;
    const user1 = join(hosts.dir, 'g_user1');
    const user2 = join(hosts.dir, 'g_user2');
    const global = join(hosts.dir, 'g_global');
    writeFileSync(user1, '');
    writeFileSync(user2, '');
    writeFileSync(global, `[127.0.0.1]:${h1.port} ${h1.publicKey()}\n`);
    const config = join(hosts.dir, 'g_ssh_config');
    writeFileSync(
      config,
      [
        `Host g1`,
        '  HostName 127.0.0.1',
        `  Port ${h1.port}`,
        `  User ${hosts.user}`,
        `  IdentityFile ${hosts.clientKeyPath}`,
        `  UserKnownHostsFile ${user1} ${user2}`,
        `  GlobalKnownHostsFile ${global}`,
        '',
      ].join('\n'),
    );
    let asked = 0;
    const policy = { confirmUnknownHost: async () => (asked++, true) };
    const ok = new SshRunner(spec('g1'), newPool({ hostKeyPolicy: policy }), { sshConfigPath: config });
    assert.equal((await ok.exec('echo global')).stdout, 'global\n');
    assert.equal(asked, 0, 'known from the global file: nothing to ask');
    // The key moves to the second user file: still known.
    writeFileSync(global, '');
    writeFileSync(user2, `[127.0.0.1]:${h1.port} ${h1.publicKey()}\n`);
    assert.equal((await new SshRunner(spec('g1'), newPool({ hostKeyPolicy: policy }), { sshConfigPath: config }).exec('echo second')).stdout, 'second\n');
    assert.equal(asked, 0);
    // The global file holds another key for the host: accept-new must refuse, naming that file.
    writeFileSync(user2, '');
    const other = join(hosts.dir, 'g_other_key');
    assert.equal(spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', other]).status, 0);
    writeFileSync(global, `[127.0.0.1]:${h1.port} ${readFileSync(`${other}.pub`, 'utf8').split(' ').slice(0, 2).join(' ')}\n`);
    await assert.rejects(new SshRunner(spec('g1'), newPool({ hostKeyPolicy: acceptNewHostKeys }), { sshConfigPath: config }).exec('true'), (err: unknown) => {
      assert.ok(err instanceof HostKeyChangedError, String(err));
      assert.equal(err.knownHostsFile, global);
      return true;
    });
    assert.equal(readFileSync(user1, 'utf8'), '', 'nothing was added to the user file');
    // OpenSSH agrees (the oracle): same config, accept-new, refused.
    const ssh = spawnSync('ssh', ['-F', config, '-o', 'StrictHostKeyChecking=accept-new', '-o', 'BatchMode=yes', 'g1', 'true'], { encoding: 'utf8' });
    assert.notEqual(ssh.status, 0);
    assert.match(ssh.stderr, /REMOTE HOST IDENTIFICATION HAS CHANGED|Host key verification failed/);
  });

  test('a host whose sshd is stopped is unreachable with "connection refused"', async () => {
    const h1 = hosts.hosts[0]!;
    await h1.stop();
    try {
      const runner = new SshRunner(spec('airlock-test-1'), newPool(), { sshConfigPath: hosts.sshConfigPath });
      await assert.rejects(runner.exec('true'), (err: unknown) => {
        assert.ok(err instanceof HostUnreachableError);
        assert.equal(err.kind, 'refused');
        assert.match(err.message, /connection refused/);
        return true;
      });
    } finally {
      await h1.start();
    }
  });

  test('a key the server does not know fails with AuthFailedError that says what to do', async () => {
    const runner = new SshRunner(spec('airlock-test-1', { identityFiles: [join(hosts.dir, 'airlock-test-1', 'ssh_host_ed25519_key')] }), newPool(), {
      sshConfigPath: hosts.sshConfigPath,
    });
    await assert.rejects(runner.exec('true'), (err: unknown) => {
      assert.ok(err instanceof AuthFailedError, String(err));
      assert.match(err.message, /authorized_keys/);
      assert.doesNotMatch(err.message, /PRIVATE KEY/);
      return true;
    });
  });

  test('a server that accepts TCP but never speaks SSH times out as unreachable', async () => {
    const sockets: Socket[] = [];
    const silent: Server = createServer((sock) => sockets.push(sock));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    const port = (silent.address() as { port: number }).port;
    try {
      const runner = new SshRunner(
        { name: 'silent', kind: 'ssh', source: 'workspace', hostName: '127.0.0.1', port, identityFiles: [hosts.clientKeyPath] },
        newPool({ connectTimeoutSec: 1 }),
        {
          sshConfigPath: hosts.sshConfigPath,
        },
      );
      await assert.rejects(runner.exec('true'), (err: unknown) => {
        assert.ok(err instanceof HostUnreachableError, String(err));
        assert.equal(err.kind, 'timeout');
        assert.match(err.message, /timed out/);
        return true;
      });
    } finally {
      for (const s of sockets) s.destroy();
      silent.close();
    }
  });

  test('a name that does not resolve is unreachable with a DNS reason', async () => {
    const runner = new SshRunner({ name: 'nowhere', kind: 'ssh', source: 'workspace', hostName: 'no-such-host.invalid' }, newPool(), {
      sshConfigPath: hosts.sshConfigPath,
    });
    await assert.rejects(runner.exec('true'), (err: unknown) => {
      assert.ok(err instanceof HostUnreachableError, String(err));
      assert.equal(err.kind, 'dns');
      assert.match(err.message, /does not resolve/);
      return true;
    });
  });

  test('an encrypted key is skipped with a clear note, and used when a passphrase provider unlocks it', async () => {
    const key = join(hosts.dir, 'id_encrypted');
    const passphrase = 'correct horse battery staple';
    const gen = spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', passphrase, '-f', key]);
    assert.equal(gen.status, 0);
    appendFileSync(join(hosts.dir, 'authorized_keys'), readFileSync(`${key}.pub`));
    const h = spec('airlock-test-1', { identityFiles: [key] });
    await assert.rejects(new SshRunner(h, newPool(), { sshConfigPath: hosts.sshConfigPath }).exec('true'), (err: unknown) => {
      assert.ok(err instanceof AuthFailedError, String(err));
      assert.ok(err.message.includes(`${key} is encrypted and no passphrase was given`));
      assert.ok(!err.message.includes(passphrase));
      return true;
    });
    const asked: string[] = [];
    const unlocked = new SshRunner(h, newPool({ askPassphrase: async (file) => (asked.push(file), passphrase) }), { sshConfigPath: hosts.sshConfigPath });
    assert.equal((await unlocked.exec('echo in')).stdout, 'in\n');
    assert.deepEqual(asked, [key]);
  });
});
