// `airlock hosts stop` runs the user's stopCommand on this machine (the component under test is
// that command: here a shell script that records its call), and `airlock hosts probe` counts a
// priced host's idle minutes across runs against a real sshd host with a test-double nvidia-smi.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSshHosts, sshdSkipReason, type SshTestHosts } from '../../support/sshd';

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'hosts', ...args], {
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

describe('airlock hosts stop and the idle columns', { skip: sshdSkipReason() }, () => {
  let hosts: SshTestHosts;
  let ws: string;
  let calls: string;
  let gpuUtil: string;

  const hostsJson = (stopCommand: string) =>
    writeFileSync(
      join(ws, '.airlock', 'hosts.json'),
      JSON.stringify(
        {
          hosts: [
            {
              name: 'gpu-vm',
              host: hosts.hosts[0]!.alias,
              pricePerHour: 1.2,
              stopCommand,
              idleWarnMinutes: 0,
              probePath: join(ws, 'fake-bin'),
            },
          ],
        },
        null,
        2,
      ),
    );

  before(async () => {
    hosts = await startSshHosts(1);
    ws = mkdtempSync(join(tmpdir(), 'airlock-hoststop-'));
    mkdirSync(join(ws, '.airlock'));
    mkdirSync(join(ws, 'fake-bin'));
    calls = join(ws, 'stop-calls.txt');
    gpuUtil = join(ws, 'gpu-util');
    writeFileSync(gpuUtil, '0');
    // TEST DOUBLE of nvidia-smi on the sshd host (this machine has no NVIDIA driver): answers only the probe's query.
    writeFileSync(
      join(ws, 'fake-bin', 'nvidia-smi'),
      [
        '#!/bin/sh',
        'if [ "$*" != "--query-gpu=name,memory.total,memory.used,utilization.gpu --format=csv,noheader,nounits" ]; then echo "unexpected args: $*" >&2; exit 9; fi',
        `echo "NVIDIA L4, 23034, 100, $(cat '${gpuUtil}')"`,
      ].join('\n') + '\n',
    );
    chmodSync(join(ws, 'fake-bin', 'nvidia-smi'), 0o755);
    // The user's stop command: a script that records its arguments and where it ran.
    writeFileSync(join(ws, 'stop-vm.sh'), `#!/bin/sh\necho "$@ pwd=$(pwd)" >> '${calls}'\necho "Stopping instance(s) $1...done."\n`);
    chmodSync(join(ws, 'stop-vm.sh'), 0o755);
    writeFileSync(
      join(ws, 'fail-stop.sh'),
      `#!/bin/sh\necho "ERROR: (gcloud.compute.instances.stop) You do not currently have an active account selected." >&2\nexit 1\n`,
    );
    chmodSync(join(ws, 'fail-stop.sh'), 0o755);
  });
  after(async () => {
    await hosts?.stop();
    if (ws) rmSync(ws, { recursive: true, force: true });
  });

  test('probe: a priced host with idle GPUs shows its price and idle minutes, a busy GPU resets them', async () => {
    hostsJson('./stop-vm.sh gpu-vm --zone us-central1-a');
    const common = ['--workspace', ws, '--ssh-config', hosts.sshConfigPath];
    const idle = await cli(['probe', 'gpu-vm', ...common]);
    assert.equal(idle.code, 0, idle.stderr);
    assert.match(idle.stdout, /PRICE\s+IDLE/);
    assert.match(idle.stdout, /\$1\.200\/hr\s+idle 0 min ≥ 0: stop it with "airlock hosts stop gpu-vm"/);
    const state = JSON.parse(readFileSync(join(ws, '.airlock', 'host-idle.json'), 'utf8')) as { hosts: Record<string, { idleSince: string }> };
    assert.ok(state.hosts['gpu-vm']?.idleSince, 'idle-since recorded for the next run');
    const list = await cli(['list', ...common]);
    assert.match(list.stdout, /gpu-vm.*\$1\.200\/hr\s+idle ≥ 0 min at last probe/);

    writeFileSync(gpuUtil, '87');
    const busy = await cli(['probe', 'gpu-vm', '--json', ...common]);
    const row = (JSON.parse(busy.stdout) as Array<{ name: string; pricePerHour: number; idle: { idle: boolean; why: string; warn: boolean } }>)[0]!;
    assert.equal(row.pricePerHour, 1.2);
    assert.deepEqual(row.idle, { idle: false, why: 'GPU 0 at 87%', idleMinutes: null, warn: false });
    writeFileSync(gpuUtil, '0');
  });

  test('stop without --yes and without a terminal runs nothing (exit 2); with --yes it runs the command here, in the workspace', async () => {
    hostsJson('./stop-vm.sh gpu-vm --zone us-central1-a');
    const common = ['--workspace', ws, '--ssh-config', hosts.sshConfigPath];
    const refused = await cli(['stop', 'gpu-vm', ...common]);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /\$1\.200\/hr.*\.\/stop-vm\.sh gpu-vm/);
    assert.match(refused.stderr, /pass --yes/);
    assert.equal(existsSync(calls), false, 'the stop command ran without confirmation');

    const r = await cli(['stop', 'gpu-vm', '--yes', ...common]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Stopping instance\(s\) gpu-vm\.\.\.done\./);
    assert.match(r.stdout, /stopped gpu-vm/);
    assert.equal(readFileSync(calls, 'utf8'), `gpu-vm --zone us-central1-a pwd=${ws}\n`);
  });

  test('a failing stop command: exit 1 with its output and what to do; a bad hosts.json: exit 2 naming file, line and field, nothing run', async () => {
    hostsJson('./fail-stop.sh');
    const common = ['--workspace', ws, '--ssh-config', hosts.sshConfigPath];
    const failed = await cli(['stop', 'gpu-vm', '-y', ...common]);
    assert.equal(failed.code, 1);
    assert.match(failed.stderr, /Stopping "gpu-vm" failed: `\.\/fail-stop\.sh` exited with code 1/);
    assert.match(failed.stderr, /You do not currently have an active account selected/);
    assert.match(failed.stderr, /may still be running and billing/);

    writeFileSync(
      join(ws, '.airlock', 'hosts.json'),
      `{\n  "hosts": [\n    { "name": "gpu-vm", "stopCommand": "${join(ws, 'stop-vm.sh')} x",\n      "pricePerHour": "cheap" }\n  ]\n}\n`,
    );
    rmSync(calls, { force: true });
    const bad = await cli(['stop', 'gpu-vm', '--yes', ...common]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /\.airlock\/hosts\.json:4: hosts\[0\]\.pricePerHour must be a number/);
    assert.equal(existsSync(calls), false);
  });
});
