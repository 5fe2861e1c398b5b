import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The real CLI entry point in a child process (no SSH needed for these paths).
const cli = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'hosts', ...args], { encoding: 'utf8' });

describe('airlock hosts (no SSH)', () => {
  let ws: string;
  let sshConfig: string;
  before(() => {
    ws = mkdtempSync(join(tmpdir(), 'airlock-cli-'));
    mkdirSync(join(ws, '.airlock'));
    writeFileSync(
      join(ws, '.airlock', 'hosts.json'),
      '{\n  "hosts": [\n    { "name": "box", "host": "10.0.0.5", "port": 2200 },\n    { "name": "oops", "port": -1 }\n  ]\n}\n',
    );
    sshConfig = join(ws, 'ssh_config');
    writeFileSync(sshConfig, 'Host lab\n  HostName lab.example\n  User me\n');
  });
  after(() => rmSync(ws, { recursive: true, force: true }));

  test('list --json: local, workspace and ssh-config hosts; config problems on stderr and exit 2', () => {
    const r = cli(['list', '--json', '--workspace', ws, '--ssh-config', sshConfig]);
    assert.equal(r.status, 2);
    const out = JSON.parse(r.stdout) as { hosts: Array<{ name: string; source: string }>; errors: Array<{ line: number; field: string }> };
    assert.deepEqual(
      out.hosts.map((h) => `${h.name}:${h.source}`),
      ['local:builtin', 'box:workspace', 'lab:ssh-config'],
    );
    assert.deepEqual(
      out.errors.map((e) => [e.line, e.field]),
      [[4, 'hosts[1].port']],
    );
    assert.match(r.stderr, /\.airlock\/hosts\.json:4: hosts\[1\]\.port must be an integer 1-65535/);
  });

  test('list table and bad usage', () => {
    const table = cli(['list', '--workspace', ws, '--ssh-config', sshConfig]);
    assert.match(table.stdout, /^NAME\s+SOURCE\s+ADDRESS/);
    assert.match(table.stdout, /\nbox\s+workspace\s+10\.0\.0\.5:2200/);
    assert.match(table.stdout, /\nlab\s+ssh-config\s+me@lab\.example/);
    const unknownSub = cli(['frobnicate', '--workspace', ws, '--ssh-config', sshConfig]);
    assert.equal(unknownSub.status, 2);
    assert.match(unknownSub.stderr, /unknown subcommand "frobnicate"/);
    const unknownHost = cli(['exec', 'nope', '--workspace', ws, '--ssh-config', sshConfig, '--', 'true']);
    assert.equal(unknownHost.status, 2);
    assert.match(unknownHost.stderr, /no host named "nope" \(known: local, box, lab\)/);
  });

  test('exec on the local host streams output and returns its exit code', () => {
    const r = cli(['exec', 'local', '--workspace', ws, '--ssh-config', sshConfig, '--', 'echo hi; exit 5']);
    assert.equal(r.status, 5);
    assert.equal(r.stdout, 'hi\n');
  });
});
