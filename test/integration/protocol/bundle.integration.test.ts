// The Airlock protocol's export → verify → drift → import loop against a real sshd host and real
// git: only committed files travel, the unpacked copy verifies clean, an edit on the host is
// reported as drift, and an imported run's journal entry names the commit, host and pip freeze.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { startSshHosts, sshdSkipReason, type SshTestHosts } from '../../support/sshd';
import { cliBundle } from '../../support/cliBundle';

const skip = sshdSkipReason();

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

describe('airlock export / verify / import against a real sshd host', { skip }, () => {
  let hosts: SshTestHosts;
  let tmp: string;
  let repo: string;
  let remoteDir: string;
  let commit: string;

  const sh = (cwd: string, cmd: string) => {
    const r = spawnSync('bash', ['-c', cmd], { cwd, encoding: 'utf8' });
    assert.equal(r.status, 0, `${cmd}\n${r.stderr}`);
    return r.stdout.trim();
  };
  const cli = (args: string[]): Run => {
    const r = spawnSync(process.execPath, [cliBundle(), ...args], {
      cwd: repo,
      encoding: 'utf8',
      timeout: 120_000,
      env: { ...process.env, SSH_AUTH_SOCK: '', HOME: join(tmp, 'home') },
    });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const show = (r: Run) => `exit ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;
  const sshFlags = () => ['--ssh-config', hosts.sshConfigPath];

  before(async () => {
    hosts = await startSshHosts(1);
    tmp = mkdtempSync(join(tmpdir(), 'airlock-bundle-it-'));
    mkdirSync(join(tmp, 'home'));
    repo = join(tmp, 'repo');
    remoteDir = join(hosts.hosts[0]!.dir, 'work', 'v1');
    mkdirSync(join(repo, 'experiments/v1/models'), { recursive: true });
    mkdirSync(join(repo, '.secrets'));
    mkdirSync(join(repo, '.airlock'));
    writeFileSync(join(repo, 'experiments/v1/models/net.py'), 'import torch\nclass Net: pass\n');
    writeFileSync(join(repo, 'experiments/v1/train.py'), '#!/usr/bin/env python3\nprint("step 1 loss 0.5")\n');
    chmodSync(join(repo, 'experiments/v1/train.py'), 0o755);
    writeFileSync(join(repo, 'requirements.txt'), 'torch==2.3.0\n');
    writeFileSync(join(repo, '.secrets/sa.json'), '{"private_key": "do-not-ship"}\n');
    writeFileSync(join(repo, '.gitignore'), '*.ckpt\n');
    writeFileSync(
      join(repo, '.airlock/airlock.json'),
      '{\n  // the experiment this repo bundles\n  "bundle": { "paths": ["experiments/v1/models", "experiments/v1/train.py", "requirements.txt"] },\n  "import": { "experiment": "v1" }\n}\n',
    );
    sh(repo, 'git init -q -b main && git config user.email t@example.com && git config user.name T');
    // Even a committed .secrets/ never travels.
    sh(repo, 'git add -A && git add -f .secrets && git commit -qm init');
    sh(repo, 'git remote add origin https://alice:ghp_SECRET_TOKEN@example.com/lab/rsm.git');
    commit = sh(repo, 'git rev-parse HEAD');
    writeFileSync(join(repo, 'experiments/v1/models/weights.ckpt'), 'ignored bytes');
  });
  after(async () => {
    await hosts?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  test('a dirty tree is refused with the dirty files listed; --allow-dirty records the diff as a marked patch', () => {
    writeFileSync(join(repo, 'experiments/v1/train.py'), '#!/usr/bin/env python3\nprint("edited")\n');
    writeFileSync(join(repo, 'experiments/v1/models/scratch.py'), 'x = 1\n');
    const out = join(tmp, 'dirty.zip');
    const refused = cli(['export', '-o', out]);
    assert.equal(refused.code, 1, show(refused));
    assert.match(refused.stderr, /uncommitted changes/);
    assert.match(refused.stderr, /experiments\/v1\/train\.py/);
    assert.match(refused.stderr, /experiments\/v1\/models\/scratch\.py \(untracked\)/);
    assert.equal(existsSync(out), false);

    const allowed = cli(['export', '-o', out, '--allow-dirty']);
    assert.equal(allowed.code, 0, show(allowed));
    const z = unzipSync(readFileSync(out));
    const m = JSON.parse(Buffer.from(z['airlock-manifest.json']!).toString()) as { dirty: { files: string[]; untracked: string[]; patch: string } };
    assert.deepEqual(m.dirty.files, ['experiments/v1/train.py']);
    assert.deepEqual(m.dirty.untracked, ['experiments/v1/models/scratch.py']);
    assert.equal(m.dirty.patch, 'airlock-uncommitted.patch');
    assert.match(Buffer.from(z['airlock-uncommitted.patch']!).toString(), /\+print\("edited"\)/);
    // The bundled file is the commit's, not the edit.
    assert.match(Buffer.from(z['experiments/v1/train.py']!).toString(), /step 1 loss/);
    assert.equal(z['experiments/v1/models/scratch.py'], undefined);
    sh(repo, 'git checkout -- experiments/v1/train.py && rm experiments/v1/models/scratch.py');
  });

  test('export -o holds committed files only, with a manifest (sha256, sizes, commit, branch, remote without credentials)', () => {
    const out = join(tmp, 'all.zip');
    const r = cli(['export', '.', '-o', out]);
    assert.equal(r.code, 0, show(r));
    const z = unzipSync(readFileSync(out));
    const names = Object.keys(z).sort();
    assert.deepEqual(names, [
      '.airlock/airlock.json',
      '.gitignore',
      'airlock-manifest.json',
      'experiments/v1/models/net.py',
      'experiments/v1/train.py',
      'requirements.txt',
    ]);
    const m = JSON.parse(Buffer.from(z['airlock-manifest.json']!).toString()) as Record<string, unknown> & {
      files: { path: string; size: number; sha256: string; mode?: string }[];
    };
    assert.equal(m.commit, commit);
    assert.equal(m.branch, 'main');
    assert.equal(m.remote, 'https://example.com/lab/rsm.git');
    assert.doesNotMatch(JSON.stringify(m), /ghp_SECRET_TOKEN|alice/);
    assert.equal(m.dirty, null);
    const train = m.files.find((f) => f.path === 'experiments/v1/train.py')!;
    assert.equal(train.mode, '100755');
    assert.equal(train.size, readFileSync(join(repo, 'experiments/v1/train.py')).length);
    assert.match(train.sha256, /^[0-9a-f]{64}$/);
  });

  test('export to the sshd host unpacks the configured paths; verify is clean; an edit there is drift', () => {
    const exp = cli(['export', '--host', 'airlock-test-1', '--unpack', remoteDir, ...sshFlags()]);
    assert.equal(exp.code, 0, show(exp));
    assert.equal(readFileSync(join(remoteDir, 'experiments/v1/models/net.py'), 'utf8'), 'import torch\nclass Net: pass\n');
    assert.ok((readFileSync(join(remoteDir, '.airlock-bundle.json'), 'utf8').length ?? 0) > 0);
    assert.equal(existsSync(join(remoteDir, '.secrets')), false);
    assert.equal(existsSync(join(remoteDir, 'experiments/v1/models/weights.ckpt')), false);
    // The executable bit travelled.
    assert.ok(spawnSync('test', ['-x', join(remoteDir, 'experiments/v1/train.py')]).status === 0);
    const rec = JSON.parse(readFileSync(join(repo, '.airlock/bundles/airlock-test-1.json'), 'utf8')) as { commit: string; lastVerify: { clean: boolean } };
    assert.equal(rec.commit, commit);

    const manifest = join(remoteDir, '.airlock-bundle.json');
    const clean = cli(['verify', manifest, '--host', 'airlock-test-1', '--dir', remoteDir, ...sshFlags()]);
    assert.equal(clean.code, 0, show(clean));
    assert.match(clean.stdout, /clean — 3 file\(s\) match code @ /);

    writeFileSync(join(remoteDir, 'experiments/v1/models/net.py'), 'import torch\nclass Net: hacked = True\n');
    writeFileSync(join(remoteDir, 'experiments/v1/models/extra.py'), 'y = 2\n');
    rmSync(join(remoteDir, 'requirements.txt'));
    mkdirSync(join(remoteDir, 'experiments/v1/models/__pycache__'));
    writeFileSync(join(remoteDir, 'experiments/v1/models/__pycache__/net.cpython-311.pyc'), 'bytecode');
    const drift = cli(['verify', manifest, '--host', 'airlock-test-1', '--dir', remoteDir, ...sshFlags()]);
    assert.equal(drift.code, 1, show(drift));
    assert.match(drift.stdout, /drifted .* 3 file\(s\)/);
    assert.match(drift.stdout, /changed {2}experiments\/v1\/models\/net\.py/);
    assert.match(drift.stdout, /missing {2}requirements\.txt/);
    assert.match(drift.stdout, /extra {4}experiments\/v1\/models\/extra\.py/);
    assert.doesNotMatch(drift.stdout, /__pycache__/);
    const after = JSON.parse(readFileSync(join(repo, '.airlock/bundles/airlock-test-1.json'), 'utf8')) as { lastVerify: { clean: boolean; changed: string[] } };
    assert.equal(after.lastVerify.clean, false);
    assert.deepEqual(after.lastVerify.changed, ['experiments/v1/models/net.py']);
  });

  test('import brings the run home and appends a journal entry with commit, bundle, host and pip freeze, keeping what a person wrote', () => {
    // The run's outputs on the host, its virtualenv's pip (a test double: prints a fixed freeze; a
    // real venv would take minutes to build here), and the checkpoint sync's state file.
    writeFileSync(join(remoteDir, 'train.log'), 'step 1 loss 0.5\nstep 2 loss 0.4\n');
    writeFileSync(join(remoteDir, 'results.json'), '{"loss": 0.4}\n');
    mkdirSync(join(remoteDir, 'checkpoints'));
    writeFileSync(join(remoteDir, 'checkpoints/v1_step_2.pt'), Buffer.alloc(1024));
    mkdirSync(join(remoteDir, '.venv/bin'), { recursive: true });
    writeFileSync(join(remoteDir, '.venv/bin/pip'), '#!/bin/sh\n[ "$1" = freeze ] || exit 9\necho "torch==2.3.0"\necho "numpy==1.26.4"\n');
    chmodSync(join(remoteDir, '.venv/bin/pip'), 0o755);
    mkdirSync(join(remoteDir, '.airlock'));
    writeFileSync(
      join(remoteDir, '.airlock/sync-state.json'),
      JSON.stringify({
        files: { 'checkpoints/v1_step_2.pt': { sha256: 'ab'.repeat(32), tiers: { drive: { confirmedAt: '2026-12-02T05:00:00Z' }, hf: null } } },
      }),
    );
    const person = '# Journal\n\nMy notes: lr 3e-4 looked unstable.\n';
    writeFileSync(join(repo, 'journal.md'), person);

    const r = cli(['import', `airlock-test-1:${remoteDir}`, '--run', 'lr3', ...sshFlags()]);
    assert.equal(r.code, 0, show(r));
    const runDir = join(repo, 'experiments/v1/runs/lr3');
    assert.equal(readFileSync(join(runDir, 'train.log'), 'utf8'), 'step 1 loss 0.5\nstep 2 loss 0.4\n');
    assert.equal(readFileSync(join(runDir, 'results.json'), 'utf8'), '{"loss": 0.4}\n');
    assert.equal(readFileSync(join(runDir, 'frozen_requirements.txt'), 'utf8'), 'torch==2.3.0\nnumpy==1.26.4\n');
    // Code and checkpoints are not results: they stay where they are.
    assert.equal(existsSync(join(runDir, 'experiments')), false);
    assert.equal(existsSync(join(runDir, 'checkpoints')), false);
    const journal = readFileSync(join(repo, 'journal.md'), 'utf8');
    assert.ok(journal.startsWith(person), journal);
    assert.match(journal, /## Run lr3/);
    assert.ok(journal.includes(`commit \`${commit}\``), journal);
    assert.match(journal, /bundle sha256 `[0-9a-f]{64}`/);
    assert.match(journal, /host `airlock-test-1`/);
    assert.match(journal, /torch==2\.3\.0\nnumpy==1\.26\.4/);
    assert.match(journal, /`checkpoints\/v1_step_2\.pt` sha256 `abababababababab`: `drive`/);
    assert.match(journal, /experiments\/v1\/runs\/lr3\//);

    // A second import appends, never rewrites.
    const again = cli(['import', `airlock-test-1:${remoteDir}`, '--run', 'lr3', ...sshFlags()]);
    assert.equal(again.code, 0, show(again));
    const twice = readFileSync(join(repo, 'journal.md'), 'utf8');
    assert.ok(twice.startsWith(journal), 'the first entry is kept byte for byte');
    assert.match(twice.slice(journal.length), /## Run lr3 \(imported again\)/);
  });
});
