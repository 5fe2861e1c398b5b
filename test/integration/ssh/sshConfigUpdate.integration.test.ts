// ~/.ssh/config updates, checked the way OpenSSH resolves them: `ssh -G -F CONFIG ALIAS` (the real
// client) is the oracle for which HostName/Port/User an alias gets after each update.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SshConfigUpdateError, sshConfigBackupsKept, upsertSshConfigHost } from '../../../src/core/ssh/sshConfig';
import { loadHostInventory } from '../../../src/core/hosts/inventory';

const sshMissing = spawnSync('ssh', ['-V'], { encoding: 'utf8' }).error ? 'the OpenSSH client (ssh) is not installed' : undefined;

/** What OpenSSH resolves for `alias` with `config` as the only config file. */
function sshG(config: string, alias: string): Record<string, string> {
  const r = spawnSync('ssh', ['-G', '-F', config, alias], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return Object.fromEntries(
    r.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => [l.slice(0, l.indexOf(' ')), l.slice(l.indexOf(' ') + 1)]),
  );
}

describe('~/.ssh/config updates, verified with ssh -G', { skip: sshMissing }, () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'airlock-sshG-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('a CRLF config: the existing block is updated in place (no duplicate), CRLF kept, ssh sees the new address', async () => {
    const config = join(dir, 'crlf_config');
    writeFileSync(config, 'Host gpu1\r\n    HostName 10.0.0.1\r\n    User alice\r\n\r\nHost other\r\n    HostName 10.9.9.9\r\n');
    const r = await upsertSshConfigHost(config, 'gpu1', { HostName: '10.0.0.2', Port: 2222 });
    assert.equal(r.created, false);
    const text = readFileSync(config, 'utf8');
    assert.equal(text.match(/^Host gpu1\r$/gm)?.length, 1, 'one block, not a duplicate');
    assert.equal(text.replace(/\r\n/g, '').includes('\n'), false, 'every line still ends in CRLF');
    assert.equal(text, 'Host gpu1\r\n    HostName 10.0.0.2\r\n    User alice\r\n    Port 2222\r\n\r\nHost other\r\n    HostName 10.9.9.9\r\n');
    const g = sshG(config, 'gpu1');
    assert.equal(g.hostname, '10.0.0.2');
    assert.equal(g.port, '2222');
    assert.equal(g.user, 'alice');
  });

  test('an alias defined in an Included file is edited there, not shadowed by a new block in the main file', async () => {
    const inc = join(dir, 'conf.d');
    mkdirSync(inc);
    writeFileSync(join(inc, 'lab.conf'), '# lab machines\nHost lab1\n  HostName 192.168.1.10\n  User lab\n');
    const config = join(dir, 'inc_config');
    const mainText = `Include ${inc}/*.conf\n\nHost *\n  ServerAliveInterval 30\n`;
    writeFileSync(config, mainText);
    const r = await upsertSshConfigHost(config, 'lab1', { HostName: '192.168.1.99' });
    assert.equal(r.file, join(inc, 'lab.conf'));
    assert.equal(readFileSync(config, 'utf8'), mainText, 'the main file is untouched');
    assert.equal(readFileSync(join(inc, 'lab.conf'), 'utf8'), '# lab machines\nHost lab1\n  HostName 192.168.1.99\n  User lab\n');
    assert.equal(sshG(config, 'lab1').hostname, '192.168.1.99');
  });

  test('a symlinked config (dotfiles repo) stays a symlink; the target is updated', async () => {
    const repo = join(dir, 'dotfiles');
    mkdirSync(repo);
    const real = join(repo, 'ssh_config');
    writeFileSync(real, 'Host pod\n  HostName 1.1.1.1\n  Port 40001\n');
    const config = join(dir, 'link_config');
    symlinkSync(real, config);
    await upsertSshConfigHost(config, 'pod', { HostName: '2.2.2.2', Port: 40002 });
    assert.ok(lstatSync(config).isSymbolicLink(), 'still a link');
    assert.equal(readlinkSync(config), real);
    assert.match(readFileSync(real, 'utf8'), /HostName 2\.2\.2\.2\n {2}Port 40002/);
    const g = sshG(config, 'pod');
    assert.equal(g.hostname, '2.2.2.2');
    assert.equal(g.port, '40002');
  });

  test(`every update keeps a timestamped backup; the newest ${sshConfigBackupsKept} are kept`, async () => {
    const sub = join(dir, 'backups');
    mkdirSync(sub);
    const config = join(sub, 'config');
    writeFileSync(config, 'Host b\n  HostName 10.0.0.0\n');
    const t0 = Date.UTC(2026, 11, 2, 1, 0, 0);
    for (let i = 1; i <= sshConfigBackupsKept + 2; i++) await upsertSshConfigHost(config, 'b', { HostName: `10.0.0.${i}` }, { now: new Date(t0 + i * 1000) });
    const backups = readdirSync(sub)
      .filter((f) => f.startsWith('config.airlock-backup-'))
      .sort();
    assert.equal(backups.length, sshConfigBackupsKept);
    // The newest backup holds the state before the last update; the oldest kept one the third state.
    assert.match(readFileSync(join(sub, backups.at(-1)!), 'utf8'), new RegExp(`HostName 10\\.0\\.0\\.${sshConfigBackupsKept + 1}\\n`));
    assert.match(readFileSync(join(sub, backups[0]!), 'utf8'), /HostName 10\.0\.0\.2\n/);
    assert.equal(sshG(config, 'b').hostname, `10.0.0.${sshConfigBackupsKept + 2}`);
  });

  test('an update that ssh would not use (an earlier block wins) is refused and the file put back', async () => {
    const config = join(dir, 'shadow_config');
    const text = 'Host gpu*\n  HostName 10.1.1.1\n\nHost gpu7\n  User me\n';
    writeFileSync(config, text);
    await assert.rejects(upsertSshConfigHost(config, 'gpu7', { HostName: '10.7.7.7' }), (err: unknown) => {
      assert.ok(err instanceof SshConfigUpdateError, String(err));
      assert.match(err.message, /HostName of gpu7 would still be 10\.1\.1\.1, not 10\.7\.7\.7/);
      return true;
    });
    assert.equal(readFileSync(config, 'utf8'), text);
    assert.equal(sshG(config, 'gpu7').hostname, '10.1.1.1', 'ssh agrees that the earlier block wins');
  });

  test('an unterminated quote hides only its line: local and the other hosts are listed, the line reported', async () => {
    const config = join(dir, 'quote_config');
    writeFileSync(config, 'Host good1\n  HostName 10.0.0.1\n\nHost broken\n  IdentityFile "~/.ssh/my key\n\nHost good2\n  HostName 10.0.0.2\n');
    const inv = await loadHostInventory({ sshConfigPath: config });
    assert.deepEqual(
      inv.hosts.map((h) => h.name),
      ['local', 'good1', 'broken', 'good2'],
    );
    assert.equal(inv.hosts.find((h) => h.name === 'good2')?.hostName, '10.0.0.2');
    assert.deepEqual(
      inv.errors.map((e) => [e.file, e.line]),
      [[config, 5]],
    );
    assert.match(inv.errors[0]!.message, /unterminated quote/);
  });
});
