import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSshHosts, sshdSkipReason, type SshTestHosts } from '../../support/sshd';
import { SshConnectionPool } from '../../../src/core/ssh/connectionPool';
import { refuseUnknownHostKeys } from '../../../src/core/ssh/hostKeyPolicy';
import { SshRunner } from '../../../src/core/hosts/sshRunner';
import { LocalRunner } from '../../../src/core/hosts/localRunner';
import { probeHost } from '../../../src/core/hosts/probe';

const skip = sshdSkipReason();

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, SSH_AUTH_SOCK: '' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('probe against real sshd', { skip }, () => {
  let hosts: SshTestHosts;
  let pool: SshConnectionPool;
  let tmp: string;

  before(async () => {
    hosts = await startSshHosts(2);
    pool = new SshConnectionPool({ hostKeyPolicy: refuseUnknownHostKeys, agentSocket: null });
    tmp = mkdtempSync(join(tmpdir(), 'airlock-probe-'));
  });
  after(async () => {
    pool?.dispose();
    await hosts?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  test('probe returns hostname, cpus, load, disk of the work dir and no GPUs on this machine', async () => {
    const runner = new SshRunner({ name: 'airlock-test-1', kind: 'ssh', source: 'ssh-config', workDir: '~' }, pool, { sshConfigPath: hosts.sshConfigPath });
    const facts = await probeHost(runner);
    assert.equal(facts.reachable, true, JSON.stringify(facts));
    if (!facts.reachable) return;
    assert.equal(facts.hostname, hostname());
    assert.deepEqual(facts.gpus, []);
    assert.equal(facts.gpuError, undefined);
    assert.ok(facts.cpus && facts.cpus >= 1);
    assert.equal(facts.load?.length, 3);
    assert.ok(facts.disk && facts.disk.totalBytes > 0 && facts.disk.availBytes > 0);
    assert.equal(facts.disk.path, '~');
    assert.ok(facts.disk.usedPct >= 0 && facts.disk.usedPct <= 100);
  });

  test('probe parses two GPUs from nvidia-smi (a test double: this machine has no NVIDIA driver)', async () => {
    // TEST DOUBLE of the nvidia-smi binary, first on PATH only for the probe. It answers the exact query
    // the probe sends and fails loudly on anything else, so a changed query cannot pass silently.
    const bin = join(tmp, 'fake-bin');
    mkdirSync(bin);
    writeFileSync(
      join(bin, 'nvidia-smi'),
      [
        '#!/bin/sh',
        'if [ "$*" != "--query-gpu=name,memory.total,memory.used,utilization.gpu --format=csv,noheader,nounits" ]; then echo "unexpected args: $*" >&2; exit 9; fi',
        'echo "NVIDIA A100-SXM4-80GB, 81920, 1024, 37"',
        'echo "NVIDIA L4, 23034, [N/A], 0"',
      ].join('\n') + '\n',
    );
    chmodSync(join(bin, 'nvidia-smi'), 0o755);
    const runner = new SshRunner({ name: 'airlock-test-2', kind: 'ssh', source: 'ssh-config' }, pool, { sshConfigPath: hosts.sshConfigPath });
    const facts = await probeHost(runner, { extraPath: bin, workDir: tmp });
    assert.equal(facts.reachable, true);
    if (!facts.reachable) return;
    assert.deepEqual(facts.gpus, [
      { name: 'NVIDIA A100-SXM4-80GB', memoryTotalMiB: 81920, memoryUsedMiB: 1024, utilizationPct: 37 },
      { name: 'NVIDIA L4', memoryTotalMiB: 23034, memoryUsedMiB: 0, utilizationPct: 0 },
    ]);
    assert.equal(facts.disk?.path, tmp);
  });

  test('the local host probes without SSH', async () => {
    const facts = await probeHost(new LocalRunner());
    assert.equal(facts.reachable, true);
    if (facts.reachable) assert.equal(facts.hostname, hostname());
  });

  test('a stopped host is reported unreachable with the reason, not thrown', async () => {
    const h2 = hosts.hosts[1]!;
    const fresh = new SshConnectionPool({ hostKeyPolicy: refuseUnknownHostKeys, agentSocket: null });
    await h2.stop();
    try {
      const facts = await probeHost(
        new SshRunner({ name: 'airlock-test-2', kind: 'ssh', source: 'ssh-config' }, fresh, { sshConfigPath: hosts.sshConfigPath }),
      );
      assert.equal(facts.reachable, false);
      if (!facts.reachable) assert.match(facts.reason, /connection refused/);
    } finally {
      fresh.dispose();
      await h2.start();
    }
  });

  test('CLI: airlock hosts probe --json reports every host; hosts.json errors name file, line and field', async () => {
    const ws = join(tmp, 'ws');
    mkdirSync(join(ws, '.airlock'), { recursive: true });
    writeFileSync(
      join(ws, '.airlock', 'hosts.json'),
      [
        '{',
        '  // GPU boxes reached through the test ssh config',
        '  "hosts": [',
        '    { "name": "box", "host": "airlock-test-2", "tier": "debug", "workDir": "/tmp" },',
        '    { "name": "broken",',
        '      "port": "22" }',
        '  ]',
        '}',
      ].join('\n'),
    );
    await hosts.hosts[0]!.stop();
    try {
      const r = await runCli(['hosts', 'probe', '--json', '--workspace', ws, '--ssh-config', hosts.sshConfigPath]);
      assert.equal(r.code, 1, 'one host is down, so the probe exits 1');
      assert.match(r.stderr, /\.airlock\/hosts\.json:6: hosts\[1\]\.port must be an integer 1-65535/);
      const rows = JSON.parse(r.stdout) as Array<{ name: string; reachable: boolean; tier: string | null; reason?: string; gpus?: unknown[] }>;
      assert.deepEqual(
        rows.map((x) => x.name),
        ['local', 'box', 'airlock-test-1', 'airlock-test-2'],
      );
      const byName = Object.fromEntries(rows.map((x) => [x.name, x]));
      assert.equal(byName['local']!.reachable, true);
      assert.equal(byName['box']!.reachable, true);
      assert.equal(byName['box']!.tier, 'debug', 'an explicit tier wins');
      assert.equal(byName['airlock-test-2']!.tier, 'cpu', 'no GPU matches the default "cpu" tier');
      assert.equal(byName['airlock-test-1']!.reachable, false);
      assert.match(byName['airlock-test-1']!.reason!, /connection refused/);
    } finally {
      await hosts.hosts[0]!.start();
    }
  });

  test('CLI: airlock hosts exec streams output and returns the remote exit code', async () => {
    const r = await runCli([
      'hosts',
      'exec',
      'airlock-test-1',
      '--ssh-config',
      hosts.sshConfigPath,
      '--workspace',
      tmp,
      '--',
      'echo',
      'out;',
      'echo',
      'err',
      '>&2;',
      'exit',
      '3',
    ]);
    assert.equal(r.code, 3);
    assert.equal(r.stdout, 'out\n');
    assert.equal(r.stderr, 'err\n');
  });
});
