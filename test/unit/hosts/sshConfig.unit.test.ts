import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { listSshAliases, resolveSshHost, upsertSshConfigHost } from '../../../src/core/ssh/sshConfig';

const sample = `# Lab machines — keep this comment
Host gpu1 gpu1-alias
    HostName 10.0.0.5
    User alice
    IdentityFile ~/.ssh/lab_ed25519

Host bastion
  HostName bastion.example.org
  Port 2200 # odd port

Host gpu2
  HostName 10.0.0.6
  ProxyJump bastion

Host *.lab !secret.lab
  User labuser

Host *
  User default-user
  IdentityFile ~/.ssh/id_shared
`;

describe('ssh config', () => {
  let dir: string;
  let file: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'airlock-sshcfg-'));
    file = join(dir, 'config');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('lists concrete aliases with their lines, skipping wildcard and negated patterns', async () => {
    writeFileSync(file, sample);
    assert.deepEqual(await listSshAliases(file), [
      { alias: 'gpu1', line: 2 },
      { alias: 'gpu1-alias', line: 2 },
      { alias: 'bastion', line: 7 },
      { alias: 'gpu2', line: 11 },
    ]);
    assert.deepEqual(await listSshAliases(join(dir, 'missing')), []);
  });

  test('effective settings: first value wins, IdentityFile accumulates, defaults from Host *', async () => {
    writeFileSync(file, sample);
    assert.deepEqual(await resolveSshHost(file, 'gpu1'), {
      alias: 'gpu1',
      hostName: '10.0.0.5',
      user: 'alice',
      port: undefined,
      identityFiles: [join(homedir(), '.ssh/lab_ed25519'), join(homedir(), '.ssh/id_shared')],
      proxyJump: undefined,
      userKnownHostsFile: undefined,
    });
    const gpu2 = await resolveSshHost(file, 'gpu2');
    assert.equal(gpu2.proxyJump, 'bastion');
    assert.equal(gpu2.user, 'default-user');
    assert.equal((await resolveSshHost(file, 'bastion')).port, 2200);
    assert.equal((await resolveSshHost(file, 'x.lab')).user, 'labuser');
    assert.equal((await resolveSshHost(file, 'unknown-name')).hostName, 'unknown-name');
  });

  test('Include files are read where they appear', async () => {
    mkdirSync(join(dir, 'conf.d'), { recursive: true });
    writeFileSync(join(dir, 'conf.d', 'a.conf'), 'Host included\n  HostName 10.9.9.9\n  Port 2022\n');
    const withInclude = join(dir, 'config-inc');
    writeFileSync(withInclude, `Include ${join(dir, 'conf.d')}/*.conf\n\nHost other\n  HostName o\n`);
    const s = await resolveSshHost(withInclude, 'included');
    assert.equal(s.hostName, '10.9.9.9');
    assert.equal(s.port, 2022);
  });

  test('upsert updates one block in place, leaving every other byte alone, and keeps a backup', async () => {
    writeFileSync(file, sample);
    const r = await upsertSshConfigHost(file, 'gpu2', { HostName: '10.0.0.66', User: 'bob', Port: 2222 });
    assert.equal(r.created, false);
    assert.deepEqual(r.changes, [
      { field: 'HostName', before: '10.0.0.6', after: '10.0.0.66' },
      { field: 'User', after: 'bob' },
      { field: 'Port', after: '2222' },
    ]);
    const expected = sample.replace('  HostName 10.0.0.6\n  ProxyJump bastion\n', '  HostName 10.0.0.66\n  ProxyJump bastion\n  User bob\n  Port 2222\n');
    assert.equal(readFileSync(file, 'utf8'), expected);
    // Timestamped (a few are kept, see the ssh -G integration test), beside the config.
    assert.match(r.backupPath!, /\/config\.airlock-backup-\d{8}T\d{9}Z$/);
    assert.equal(r.file, file);
    assert.equal(readFileSync(r.backupPath!, 'utf8'), sample);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal((await resolveSshHost(file, 'gpu2')).hostName, '10.0.0.66');
  });

  test('upsert after an inline comment keeps the comment on its line', async () => {
    writeFileSync(file, sample);
    await upsertSshConfigHost(file, 'bastion', { User: 'ops' });
    assert.ok(readFileSync(file, 'utf8').includes('  Port 2200 # odd port\n  User ops\n\nHost gpu2'));
  });

  test('upsert with identical values writes nothing', async () => {
    writeFileSync(file, sample);
    const r = await upsertSshConfigHost(file, 'bastion', { HostName: 'bastion.example.org', Port: 2200 });
    assert.deepEqual(r, { created: false, changes: [], file });
  });

  test('a new block goes before the first block that matches the alias, so its values take effect', async () => {
    writeFileSync(file, sample);
    const r = await upsertSshConfigHost(file, 'gpu1-alias', { HostName: '10.0.0.7', IdentityFile: '~/.ssh/my key' });
    assert.equal(r.created, true);
    assert.equal(
      readFileSync(file, 'utf8'),
      `Host gpu1-alias\n    HostName 10.0.0.7\n    IdentityFile "~/.ssh/my key"\n\n${sample}`,
      'inserted above the comment that introduces the gpu1 block',
    );
    assert.equal((await resolveSshHost(file, 'gpu1-alias')).hostName, '10.0.0.7');
    assert.equal((await resolveSshHost(file, 'gpu1')).hostName, '10.0.0.5', 'the other name of the shared block is untouched');
  });

  test('an alias matched by no block is appended at the end', async () => {
    const noWildcard = sample.slice(0, sample.indexOf('Host *.lab'));
    writeFileSync(file, noWildcard);
    await upsertSshConfigHost(file, 'pod7', { HostName: '5.6.7.8', Port: 31022 });
    assert.equal(readFileSync(file, 'utf8'), `${noWildcard}Host pod7\n    HostName 5.6.7.8\n    Port 31022\n`);
  });

  test('upsert creates a missing file and directory, without a backup', async () => {
    const fresh = join(dir, 'new-ssh-dir', 'config');
    const r = await upsertSshConfigHost(fresh, 'pod1', { HostName: '1.2.3.4', Port: 40022, User: 'root' });
    assert.equal(r.backupPath, undefined);
    assert.equal(readFileSync(fresh, 'utf8'), 'Host pod1\n    HostName 1.2.3.4\n    Port 40022\n    User root\n');
    assert.equal(existsSync(`${fresh}.airlock-backup`), false);
  });

  test('upsert rejects aliases that are patterns', async () => {
    await assert.rejects(upsertSshConfigHost(file, 'gpu*', { HostName: 'x' }), /not a valid ssh alias/);
  });
});
