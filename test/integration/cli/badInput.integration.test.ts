// Bad input, every way a user meets it, through every CLI subcommand that reads a file or a flag:
// the built CLI must exit 2 with a message naming the file and line (or the flag), never print a
// stack trace, and never touch an output file. Unknown keys are FILE:LINE warnings on stderr.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { cliBundle } from '../../support/cliBundle';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

const stackTrace = /^\s+at .+(:\d+:\d+\)?|\(native\))$/m;
let dir: string;

function cli(args: string[], o: { cwd?: string; env?: Record<string, string> } = {}): Run {
  const r = spawnSync(process.execPath, [cliBundle(), ...args], {
    cwd: o.cwd ?? dir,
    encoding: 'utf8',
    timeout: 60_000,
    // An unreachable RunPod: a command that calls it before checking its flags fails with exit 1, not 2.
    env: { ...process.env, HOME: join(dir, 'home'), RUNPOD_API_KEY: 'rp_badinput_test', AIRLOCK_RUNPOD_ENDPOINT: 'http://127.0.0.1:9/graphql', ...o.env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Exit 2, `what` named on stderr, no stack trace anywhere. */
function refused(r: Run, what: RegExp, label: string): void {
  const all = `${label}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;
  assert.equal(r.code, 2, all);
  assert.match(r.stderr, what, all);
  assert.doesNotMatch(r.stderr + r.stdout, stackTrace, all);
  assert.doesNotMatch(r.stderr, /TypeError|RangeError|Maximum call stack|ENOENT|EISDIR|ENOTDIR/, all);
}

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const write = (name: string, text: string | Buffer) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

/** The malformed files every config reader must refuse: name → path. */
function corpus(kind: string, wrongType: string): Record<string, string> {
  const huge = `{\n"junk": [${'0,'.repeat(1_500_000)}0]\n}\n`;
  return {
    'a syntax error': write(`${kind}-syntax.json`, '{\n  "a": 1,\n  "b": [\n}\n'),
    'wrong types': write(`${kind}-types.json`, wrongType),
    'a huge file': write(`${kind}-huge.json`, huge),
    'deep nesting': write(`${kind}-deep.json`, `{"a": ${'['.repeat(200_000)}${']'.repeat(200_000)}}`),
    'an empty file': write(`${kind}-empty.json`, ''),
    'binary bytes': write(`${kind}-binary.json`, Buffer.from([0x7b, 0x00, 0xff, 0xfe, 0x10, 0x00, 0x22, 0x7d])),
    'a directory': (() => {
      const d = join(dir, `${kind}-dir.json`);
      mkdirSync(d, { recursive: true });
      return d;
    })(),
    'a missing file': join(dir, `${kind}-missing.json`),
  };
}

describe('bad input through the CLI: exit 2, file:line or flag, no stack trace, nothing written', { timeout: 300_000 }, () => {
  let out: string;
  let validSweep: Record<string, unknown>;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'airlock-badinput-'));
    mkdirSync(join(dir, 'home'));
    cliBundle();
    // An output file that already exists: every refused command must leave it as it was.
    out = write('precious.out', 'keep me\n');
    validSweep = {
      hosts: { dht: { host: 'local' }, server1: { host: 'local' }, server2: { host: 'local' }, client: { host: 'local' } },
      schedule: { run_tag: 'ok', results_root: join(dir, 'remote') },
      commands: { dht: 'true', server1: 'true', server2: 'true', client: 'true' },
      cases: [{ name: 'a', vars: {} }],
    };
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('sweep run / collect: every malformed config', () => {
    for (const [label, file] of Object.entries(corpus('sweep', '{\n  "hosts": [],\n  "commands": {},\n  "cases": []\n}\n'))) {
      for (const sub of ['run', 'collect']) {
        const r = cli(['sweep', sub, file, '--dry-run', '--run-tag', 't', '--local-root', join(dir, 'sweep-root')]);
        refused(r, new RegExp(`${esc(file)}:\\d+: `), `sweep ${sub} ${label}`);
      }
    }
    assert.ok(!existsSync(join(dir, 'sweep-root')), 'nothing was written under --local-root');
  });

  test('sweep: hostile env names and run tags are refused with file:line or the flag; nothing runs or escapes', () => {
    const touched = join(dir, 'pwned');
    const hostileEnv = write(
      'sweep-env.json',
      JSON.stringify({ ...validSweep, cases: [{ name: 'a', env: { all: { [`K;touch ${touched};X`]: '1' } } }] }, null, 2),
    );
    refused(
      cli(['sweep', 'run', hostileEnv, '--local-root', join(dir, 'env-root')]),
      new RegExp(`${esc(hostileEnv)}:\\d+: cases\\[0\\]\\.env\\.all\\.K;touch .* is not an environment variable name`),
      'env key',
    );
    assert.ok(!existsSync(touched), 'the hostile key ran nothing');
    for (const tag of ['../escape', '/tmp/abs-escape']) {
      const viaConfig = write('sweep-tag.json', JSON.stringify({ ...validSweep, schedule: { ...(validSweep.schedule as object), run_tag: tag } }, null, 2));
      refused(
        cli(['sweep', 'run', viaConfig, '--dry-run', '--local-root', join(dir, 'tag-root')]),
        new RegExp(`${esc(viaConfig)}:\\d+: schedule\\.run_tag must be a plain name`),
        `schedule.run_tag ${tag}`,
      );
      const valid = write('sweep-valid.json', JSON.stringify(validSweep, null, 2));
      refused(cli(['sweep', 'collect', valid, '--run-tag', tag, '--local-root', join(dir, 'tag-root')]), /--run-tag must be a plain name/, `--run-tag ${tag}`);
    }
    assert.ok(!existsSync(join(dir, 'escape')) && !existsSync('/tmp/abs-escape') && !existsSync(join(dir, 'tag-root')));
  });

  test('sweep: unknown keys are FILE:LINE warnings on stderr (top level, hosts.<role>.*, cases[].*), never on stdout', () => {
    const cfg = {
      ...validSweep,
      hostz: 1,
      hosts: { ...(validSweep.hosts as object), dht: { host: 'local', hostname: 'x' } },
      cases: [{ name: 'a', varz: {} }],
    };
    const file = write('sweep-unknown.json', JSON.stringify(cfg, null, 2));
    const text = readFileSync(file, 'utf8');
    const lineOf = (needle: string) => text.slice(0, text.indexOf(needle)).split('\n').length;
    const r = cli(['sweep', 'run', file, '--dry-run', '--local-root', join(dir, 'unknown-root')]);
    assert.equal(r.code, 0, r.stderr);
    for (const [field, needle] of [
      ['hostz', '"hostz"'],
      ['hosts.dht.hostname', '"hostname"'],
      ['cases[0].varz', '"varz"'],
    ]) {
      assert.ok(r.stderr.includes(`${file}:${lineOf(needle!)}: ${field} is not a known field (ignored)`), `${field}\n${r.stderr}`);
      assert.ok(!r.stdout.includes(field!), `${field} warning on stdout`);
    }
  });

  test('hosts list / probe / exec: a malformed .airlock/hosts.json names file and line', () => {
    for (const [label, file] of Object.entries(corpus('hosts', '{\n  "hosts": { "name": 1 }\n}\n'))) {
      // No hosts.json, or an empty one just created by the editor, is the normal case, not bad input.
      if (label === 'a missing file' || label === 'an empty file') continue;
      const ws = join(dir, `ws-${label.replace(/\W/g, '_')}`);
      mkdirSync(join(ws, '.airlock'), { recursive: true });
      if (label === 'a directory') mkdirSync(join(ws, '.airlock', 'hosts.json'));
      else cpSync(file, join(ws, '.airlock', 'hosts.json'));
      refused(cli(['hosts', 'list', '--workspace', ws]), /\.airlock\/hosts\.json:\d+: /, `hosts list ${label}`);
      refused(cli(['hosts', 'exec', 'nowhere', '--workspace', ws, '--', 'true']), /\.airlock\/hosts\.json:\d+: /, `hosts exec ${label}`);
    }
    const ws = join(dir, 'ws-unknown');
    mkdirSync(join(ws, '.airlock'), { recursive: true });
    writeFileSync(join(ws, '.airlock', 'hosts.json'), '{\n  "hosts": [],\n  "hostz": []\n}\n');
    const r = cli(['hosts', 'list', '--workspace', ws]);
    assert.match(r.stderr, /\.airlock\/hosts\.json:3: hostz is not a known field \(ignored\)/);
    assert.doesNotMatch(r.stdout, /hostz/);
  });

  test('phases generate / status and worker --config: every malformed plan', () => {
    for (const [label, file] of Object.entries(corpus('phases', '{\n  "phases": { "name": 1 }\n}\n'))) {
      for (const args of [
        ['phases', 'generate', '--config', file],
        ['phases', 'status', '--config', file],
        ['worker', '--config', file, '--once', '--host', 'h'],
      ]) {
        refused(cli(args), new RegExp(`${esc(file)}:\\d+: |--config ${esc(file)}: `), `${args.slice(0, 2).join(' ')} ${label}`);
      }
    }
    assert.ok(!existsSync(join(dir, 'data')), 'generate wrote no TODO file');
  });

  test('notebook render / run: malformed notebooks name file, line and field; -o is untouched', () => {
    const nbCells = (cells: string) => `{\n "cells": [\n${cells}\n ],\n "metadata": {},\n "nbformat": 4,\n "nbformat_minor": 5\n}\n`;
    const files: Record<string, string> = {
      ...corpus('nb', nbCells('  {"cell_type": "code",\n   "source": 5}')),
      'cells: [null]': write('nb-null.ipynb', nbCells('  null')),
    };
    for (const [label, file] of Object.entries(files)) {
      refused(cli(['notebook', 'render', file, '-o', out]), new RegExp(`${esc(file)}(:\\d+)?: `), `render ${label}`);
      refused(cli(['notebook', 'run', file, '--server', 'http://127.0.0.1:9/', '-o', out]), new RegExp(`${esc(file)}(:\\d+)?: `), `run ${label}`);
    }
    refused(cli(['notebook', 'render', files['wrong types']!, '-o', out]), /:4: cells\[0\]\.source must be a string or a list of strings/, 'source: 5');
    refused(cli(['notebook', 'render', files['cells: [null]']!, '-o', out]), /:3: cells\[0\] must be an object/, 'cells: [null]');
    assert.equal(readFileSync(out, 'utf8'), 'keep me\n');
  });

  test('path flags: a directory where a file is expected, or the reverse, names the flag', () => {
    const aDir = join(dir, 'a-dir');
    mkdirSync(aDir, { recursive: true });
    const aFile = write('a-file', 'x');
    const sweep = write('sweep-ok.json', JSON.stringify(validSweep, null, 2));
    const tpl = resolve('examples/notebooks/quick_check_template.ipynb');
    const cases: [string[], string][] = [
      [['hosts', 'list', '--ssh-config', aDir], '--ssh-config'],
      [['hosts', 'list', '--workspace', aFile], '--workspace'],
      [['sweep', 'run', sweep, '--dry-run', '--ssh-config', aDir], '--ssh-config'],
      [['sweep', 'run', sweep, '--dry-run', '--local-root', aFile], '--local-root'],
      [['sweep', 'collect', sweep, '--local-root', aFile], '--local-root'],
      [['notebook', 'render', tpl, '-o', aDir], '-o'],
      [['notebook', 'render', aDir, '-o', join(dir, 'never.ipynb')], 'TEMPLATE'],
      [['analyze', 'tradeoff', '--case', `name=a,client=${aFile},server1=${aFile},server2=${aFile}`, '--output-csv', aDir], '--output-csv'],
      [['analyze', 'latency', '--client-log', aDir, '--server1-log', aFile, '--server2-log', aFile], '--client-log'],
      [['worker', '--pid-file', aDir, '--once'], '--pid-file'],
      [['pods', 'create', '--image', 'i', '--name', 'n', '--password-file', aDir], '--password-file'],
    ];
    for (const [args, flag] of cases) refused(cli(args), new RegExp(`${esc(flag)} ${esc(args[args.indexOf(flag) + 1] ?? '')}: |${esc(flag)} `), args.join(' '));
    assert.ok(!existsSync(join(dir, 'never.ipynb')));
  });

  test('numeric flags: 1e309, NaN, negative and fractions are refused by name before any work', () => {
    const cases: [string[], string][] = [
      [['hosts', 'probe', 'local', '--timeout', '1e309'], '--timeout'],
      [['pods', 'create', '--image', 'i', '--name', 'n', '--timeout', '1e309'], '--timeout'],
      [['pods', 'create', '--image', 'i', '--name', 'n', '--gpu-count', '1.5'], '--gpu-count'],
      [['pods', 'create', '--image', 'i', '--name', 'n', '--bid', 'NaN'], '--bid'],
      [['pods', 'offers', '--gpu-count', 'abc'], '--gpu-count'],
      [['notebook', 'run', resolve('examples/notebooks/quick_check_template.ipynb'), '--server', 'http://127.0.0.1:9/', '--timeout', '1e309'], '--timeout'],
      [['worker', '--max-entries=-1', '--once'], '--max-entries'],
      [['worker', '--lease-sec', 'Infinity', '--once'], '--lease-sec'],
    ];
    for (const [args, flag] of cases) refused(cli(args), new RegExp(`${esc(flag)} must be`), args.join(' '));
  });

  test('analyze tradeoff: a bad --case leaves --output-csv untouched', () => {
    refused(cli(['analyze', 'tradeoff', '--case', 'name=a,client', '--output-csv', out]), /--case|case/, 'bad case');
    assert.equal(readFileSync(out, 'utf8'), 'keep me\n');
    assert.deepEqual(
      readdirSync(dir).filter((f) => f.startsWith('precious.out.')),
      [],
      'no temp file left beside it',
    );
  });
});
