import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseHostsFile, writeWorkspaceHost } from '../../../src/core/hosts/hostsFile';
import { loadHostInventory } from '../../../src/core/hosts/inventory';

const file = '.airlock/hosts.json';

describe('.airlock/hosts.json', () => {
  test('valid entries load with their lines; bad fields are reported with file, line and field', () => {
    const text = [
      '{',
      '  // lab machines',
      '  "hosts": [',
      '    { "name": "a100", "host": "10.0.0.5", "user": "me", "port": 2222, "tier": "a100" },',
      '    {',
      '      "name": "bad-port",',
      '      "port": 70000',
      '    },',
      '    { "name": "typo", "hostname": "x" },',
      '    { "name": 5 },',
      '    { "host": "no-name" },',
      '    { "name": "a100" },',
      '    { "name": "local" },',
      '    "just-a-string",',
      '  ],',
      '}',
    ].join('\n');
    const { entries, errors } = parseHostsFile(text, file);
    assert.deepEqual(
      entries.map((e) => [e.name, e.line]),
      [
        ['a100', 4],
        ['typo', 9],
      ],
    );
    assert.deepEqual(entries[0], { name: 'a100', host: '10.0.0.5', user: 'me', port: 2222, tier: 'a100', line: 4 });
    assert.deepEqual(
      errors.map((e) => e.message),
      [
        '.airlock/hosts.json:7: hosts[1].port must be an integer 1-65535',
        '.airlock/hosts.json:9: hosts[2].hostname is not a known field (expected one of: name, port, host, user, identityFile, proxyJump, workDir, tier, description, scheduler, pricePerHour, stopCommand, idleWarnMinutes, probePath)',
        '.airlock/hosts.json:10: hosts[3].name must be a string',
        '.airlock/hosts.json:11: hosts[4].name is required',
        '.airlock/hosts.json:12: hosts[5].name "a100" is already used by an earlier entry',
        '.airlock/hosts.json:13: hosts[6].name "local" is reserved for this machine; pick another name',
        '.airlock/hosts.json:14: hosts[7] must be an object with at least "name"',
      ],
    );
    assert.deepEqual([errors[0]!.file, errors[0]!.line, errors[0]!.field], [file, 7, 'hosts[1].port']);
  });

  test('a syntax error names its line and keeps the entries before it', () => {
    const { entries, errors } = parseHostsFile('{ "hosts": [\n  { "name": "ok" },\n  { "name": "x" "port": 22 }\n] }', file);
    assert.deepEqual(
      entries.map((e) => e.name),
      ['ok', 'x'],
    );
    assert.ok(errors.length >= 1);
    assert.match(errors[0]!.message, /^\.airlock\/hosts\.json:3: JSON syntax error: CommaExpected$/);
  });

  test('wrong top-level shapes are reported, not thrown', () => {
    assert.match(parseHostsFile('[]', file).errors[0]!.message, /:1: the file must be an object/);
    assert.match(parseHostsFile('{\n"hosts": {}\n}', file).errors[0]!.message, /:2: hosts must be an array/);
    assert.deepEqual(parseHostsFile('', file), { entries: [], errors: [] });
  });
});

describe('writeWorkspaceHost and the inventory', () => {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'airlock-inv-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('adds and updates entries preserving comments and formatting', async () => {
    const path = join(dir, 'ws1', '.airlock', 'hosts.json');
    assert.deepEqual(await writeWorkspaceHost(path, { name: 'box', host: '10.0.0.9' }), { created: true });
    assert.deepEqual(
      parseHostsFile(readFileSync(path, 'utf8'), file).entries.map((e) => e.host),
      ['10.0.0.9'],
    );
    writeFileSync(path, '{\n  // my boxes\n  "hosts": [\n    { "name": "box", "host": "10.0.0.9" /* keep */ }\n  ]\n}\n');
    assert.deepEqual(await writeWorkspaceHost(path, { name: 'box', host: '10.0.0.10', port: 2200 }), { created: false });
    assert.deepEqual(await writeWorkspaceHost(path, { name: 'second', description: 'via bastion', proxyJump: 'bastion' }), { created: true });
    const text = readFileSync(path, 'utf8');
    assert.ok(text.includes('// my boxes'));
    assert.ok(text.includes('/* keep */'));
    const parsed = parseHostsFile(text, file);
    assert.deepEqual(parsed.errors, []);
    assert.deepEqual(
      parsed.entries.map(({ line: _l, ...e }) => e),
      [
        { name: 'box', host: '10.0.0.10', port: 2200 },
        { name: 'second', description: 'via bastion', proxyJump: 'bastion' },
      ],
    );
  });

  test('inventory: local first, then workspace entries, then ssh aliases; a workspace entry overrides its alias', async () => {
    const ws = join(dir, 'ws2');
    mkdirSync(join(ws, '.airlock'), { recursive: true });
    writeFileSync(
      join(ws, '.airlock', 'hosts.json'),
      '{ "hosts": [\n { "name": "gpu1", "workDir": "/data", "tier": "a100" },\n { "name": "bad", "port": 0 }\n] }',
    );
    const sshConfig = join(dir, 'ssh_config');
    writeFileSync(
      sshConfig,
      'Host gpu1\n  HostName 10.0.0.5\n  User alice\nHost gpu2\n  HostName 10.0.0.6\n  Port 2200\n  ProxyJump gpu1\nHost *\n  User bob\n',
    );
    const inv = await loadHostInventory({ workspaceDir: ws, sshConfigPath: sshConfig, defaultWorkDir: '~/work' });
    assert.deepEqual(
      inv.hosts.map((h) => [h.name, h.source, h.workDir]),
      [
        ['local', 'builtin', '~/work'],
        ['gpu1', 'workspace', '/data'],
        ['gpu2', 'ssh-config', '~/work'],
      ],
    );
    const gpu2 = inv.hosts[2]!;
    assert.deepEqual([gpu2.hostName, gpu2.port, gpu2.user, gpu2.proxyJump, gpu2.origin], ['10.0.0.6', 2200, 'bob', 'gpu1', { file: sshConfig, line: 4 }]);
    assert.equal(inv.hosts[1]!.origin?.line, 2);
    assert.deepEqual(
      inv.errors.map((e) => e.message),
      ['.airlock/hosts.json:3: hosts[1].port must be an integer 1-65535'],
    );
    const noAliases = await loadHostInventory({ workspaceDir: ws, sshConfigPath: sshConfig, includeSshConfigAliases: false });
    assert.deepEqual(
      noAliases.hosts.map((h) => h.name),
      ['local', 'gpu1'],
    );
  });
});

describe('hosts.json at the edges', () => {
  test('an unknown top-level key is reported with its line; deep nesting is a file:line error, not a stack overflow', () => {
    const { entries, errors } = parseHostsFile('{\n  "hosts": [{ "name": "a" }],\n  "hostz": []\n}\n', file);
    assert.deepEqual(
      entries.map((e) => e.name),
      ['a'],
    );
    assert.deepEqual(
      errors.map((e) => e.message),
      [`${file}:3: hostz is not a known field (ignored)`],
    );
    const deep = parseHostsFile(`{"hosts": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`, file);
    assert.equal(deep.errors.length, 1);
    assert.match(deep.errors[0]!.message, /^\.airlock\/hosts\.json:1: is nested more than \d+ levels deep$/);
  });

  test('Add Host refuses to write into a file with a syntax error, naming the line, and leaves it untouched', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'airlock-hosts-broken-'));
    try {
      const path = join(dir, 'hosts.json');
      const broken = '{\n  "hosts": [\n    { "name": "a", }\n    { "name": "b" }\n  ]\n}\n';
      writeFileSync(path, broken);
      await assert.rejects(
        writeWorkspaceHost(path, { name: 'c', host: '10.0.0.3' }),
        (e: Error) => e.name === 'ConfigError' && e.message.startsWith(`${path}:4: JSON syntax error`),
      );
      assert.equal(readFileSync(path, 'utf8'), broken);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
