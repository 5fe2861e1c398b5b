// Bad input to export / verify / import, in the pattern of test/integration/cli/badInput: exit 2,
// a message naming the file and line (or the flag), no stack trace, no output written.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { cliBundle } from '../../support/cliBundle';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}
const stackTrace = /^\s+at .+(:\d+:\d+\)?|\(native\))$/m;
let dir: string;

function cli(args: string[]): Run {
  const r = spawnSync(process.execPath, [cliBundle(), ...args], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, HOME: join(dir, 'home') },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
function refused(r: Run, what: RegExp, label: string): void {
  const all = `${label}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;
  assert.equal(r.code, 2, all);
  assert.match(r.stderr, what, all);
  assert.doesNotMatch(r.stderr + r.stdout, stackTrace, all);
  assert.doesNotMatch(r.stderr, /TypeError|RangeError|ENOENT|EISDIR|ENOTDIR/, all);
}
const write = (name: string, text: string | Uint8Array) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

describe('export / verify / import refuse bad input with exit 2', () => {
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'airlock-bundle-bad-'));
    mkdirSync(join(dir, 'home'));
    mkdirSync(join(dir, 'run'));
    spawnSync(
      'bash',
      ['-c', 'git init -q -b main && git config user.email t@e && git config user.name T && echo x > a.txt && git add a.txt && git commit -qm i'],
      { cwd: dir },
    );
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('export: no destination, an output that is a directory, --unpack without --host, an empty --drive', () => {
    refused(cli(['export', 'a.txt']), /-o FILE, --host NAME or --drive FOLDER/, 'no destination');
    mkdirSync(join(dir, 'out.zip'), { recursive: true });
    refused(cli(['export', 'a.txt', '-o', 'out.zip']), /--output out\.zip/, 'output is a directory');
    refused(cli(['export', 'a.txt', '--unpack', '/tmp/x', '-o', 'b.zip']), /--unpack needs --host/, '--unpack alone');
    refused(cli(['export', 'a.txt', '--drive', ' ']), /--drive needs a folder/, 'empty --drive');
    refused(cli(['export', 'a.txt', '--bogus']), /bogus/, 'unknown flag');
    assert.equal(existsSync(join(dir, 'b.zip')), false);
  });

  test('a malformed .airlock/airlock.json names file, line and field', () => {
    mkdirSync(join(dir, '.airlock'), { recursive: true });
    const cfg = join(dir, '.airlock', 'airlock.json');
    writeFileSync(cfg, '{\n  "bundle": {\n    "paths": [\n}\n');
    refused(cli(['export', '-o', 'c.zip']), /\.airlock\/airlock\.json:\d+: JSON syntax error/, 'syntax');
    writeFileSync(cfg, '{\n  "bundle": {\n    "paths": "experiments"\n  }\n}\n');
    refused(cli(['export', '-o', 'c.zip']), /\.airlock\/airlock\.json:3: bundle\.paths /, 'wrong type');
    writeFileSync(cfg, '{\n  "import": { "experiment": "../../etc" }\n}\n');
    refused(cli(['import', 'run']), /\.airlock\/airlock\.json:2: import\.experiment /, 'hostile experiment name');
    rmSync(cfg);
    assert.equal(existsSync(join(dir, 'c.zip')), false);
  });

  test('verify: missing --dir, a missing file, a directory, JSON that is not a manifest, a damaged bundle', () => {
    const good = write('ok.json', '{}');
    refused(cli(['verify', good]), /--dir is required/, 'no --dir');
    refused(cli(['verify', 'nope.json', '--dir', '.']), /nope\.json: no such file/, 'missing');
    refused(cli(['verify', 'run', '--dir', '.']), /run: is a directory/, 'directory');
    refused(cli(['verify', write('syntax.json', '{"format": '), '--dir', '.']), /syntax\.json is neither a bundle/, 'syntax');
    refused(cli(['verify', good, '--dir', '.']), /ok\.json: format must be "airlock-bundle\/1"/, 'not a manifest');
    const badHash = {
      format: 'airlock-bundle/1',
      commit: 'a'.repeat(40),
      paths: ['x'],
      files: [{ path: 'x', size: 1, sha256: 'zz' }],
    };
    refused(cli(['verify', write('hash.json', JSON.stringify(badHash)), '--dir', '.']), /files\[0\]\.sha256 must be 64 hex digits/, 'bad hash');
    const escape = { ...badHash, files: [{ path: '../../etc/passwd', size: 1, sha256: 'a'.repeat(64) }] };
    refused(cli(['verify', write('escape.json', JSON.stringify(escape)), '--dir', '.']), /files\[0\]\.path must be a relative path/, 'path escape');
    refused(
      cli(['verify', write('bin.zip', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0xff, 0x00])), '--dir', '.']),
      /bin\.zip is not a readable zip/,
      'damaged zip',
    );
    const noManifest = zipSync({ 'a.txt': Buffer.from('x') });
    refused(cli(['verify', write('plain.zip', noManifest), '--dir', '.']), /plain\.zip has no airlock-manifest\.json/, 'foreign zip');
  });

  test('import: no run, a bad --cost, a missing directory, no experiment', () => {
    refused(cli(['import']), /name one run directory/, 'no run');
    refused(cli(['import', 'run', '--exp', 'v1', '--cost', 'cheap']), /--cost must be a number/, 'bad cost');
    refused(cli(['import', 'missing-dir', '--exp', 'v1']), /RUN missing-dir: no such/, 'missing dir');
    refused(cli(['import', 'run']), /name the experiment/, 'no experiment');
    assert.equal(existsSync(join(dir, 'experiments')), false);
    assert.equal(existsSync(join(dir, 'journal.md')), false);
  });
});
