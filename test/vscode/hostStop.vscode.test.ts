// Stop Host inside the real extension host: a priced .airlock/hosts.json entry on the real sshd test
// host, with a test-double nvidia-smi (this machine has no NVIDIA driver) on its probePath reporting
// 0 % — the idle warning appears; Stop Host runs the entry's stopCommand (a script recording its call)
// and, as the script moves the host to a new address, the ssh-config update is offered.
import * as assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { commandIds } from '../../src/ids';
import { HostNode } from '../../src/features/hosts/hostNodes';
import { api, until } from './support';

const testHosts: { up: string[] } | undefined = process.env.AIRLOCK_TEST_SSH_HOSTS ? JSON.parse(process.env.AIRLOCK_TEST_SSH_HOSTS) : undefined;

suite('hosts: Stop Host', () => {
  test('an idle priced host gets the warning with its price; Stop Host runs its stopCommand and offers the ssh-config update when the address changed', async function () {
    this.timeout(90_000);
    assert.ok(testHosts?.up[0], 'AIRLOCK_TEST_SSH_HOSTS not set by the runner');
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.ok(folder, 'tests run in a workspace');
    const hostsFile = join(folder, '.airlock', 'hosts.json');
    const before = existsSync(hostsFile) ? readFileSync(hostsFile, 'utf8') : undefined;
    const tmp = mkdtempSync(join(tmpdir(), 'airlock-vs-stop-'));
    try {
      mkdirSync(join(tmp, 'bin'));
      writeFileSync(
        join(tmp, 'bin', 'nvidia-smi'),
        '#!/bin/sh\n[ "$*" = "--query-gpu=name,memory.total,memory.used,utilization.gpu --format=csv,noheader,nounits" ] || { echo "unexpected args: $*" >&2; exit 9; }\necho "NVIDIA L4, 23034, 100, 0"\n',
      );
      chmodSync(join(tmp, 'bin', 'nvidia-smi'), 0o755);
      const entry = (host: string) => ({
        name: 'priced-vm',
        host,
        pricePerHour: 1.2,
        stopCommand: `${join(tmp, 'stop-vm.sh')} priced-vm --zone z1`,
        idleWarnMinutes: 0,
        probePath: join(tmp, 'bin'),
      });
      // The stop script records its call and, as a cloud VM gets a new IP on restart, moves the entry to another address.
      writeFileSync(join(tmp, 'after.json'), JSON.stringify({ hosts: [entry('127.0.0.2')] }, null, 2));
      writeFileSync(
        join(tmp, 'stop-vm.sh'),
        `#!/bin/sh\necho "$@" >> '${join(tmp, 'calls.txt')}'\ncp '${join(tmp, 'after.json')}' '${hostsFile}'\necho stopped\n`,
      );
      chmodSync(join(tmp, 'stop-vm.sh'), 0o755);
      mkdirSync(join(folder, '.airlock'), { recursive: true });
      writeFileSync(hostsFile, JSON.stringify({ hosts: [entry(testHosts.up[0])] }, null, 2));

      const { hosts } = await api();
      await hosts.reload();
      const spec = hosts.host('priced-vm')?.spec;
      assert.ok(spec, `priced-vm not loaded: ${JSON.stringify(hosts.configProblems)}`);
      await hosts.refresh(['priced-vm']);
      await until('the idle warning for priced-vm', () => hosts.costNotices.some((n) => n.host === 'priced-vm' && n.kind === 'idle'), 30_000);
      const warning = hosts.costNotices.find((n) => n.host === 'priced-vm' && n.kind === 'idle')!;
      assert.match(warning.message, /host "priced-vm" has been idle for 0 min \(GPUs ≤ 5%, no terminal input for 5 min\) — it costs \$1\.200\/hr/);
      const row = new HostNode({
        spec,
        facts: hosts.host('priced-vm')!.facts,
        probing: false,
        diskWarnPercent: 90,
        idle: hosts.idle('priced-vm'),
      }).toTreeItem();
      assert.match(String(row.description), /\$1\.200\/hr · idle 0 min/);
      assert.match(row.contextValue ?? '', /^host\.ssh\.reachable.*\.stoppable$/);

      await vscode.commands.executeCommand(commandIds.hostsStop, 'priced-vm', { yes: true });
      assert.equal(readFileSync(join(tmp, 'calls.txt'), 'utf8'), 'priced-vm --zone z1\n', 'the stop command ran once, with its arguments');
      assert.equal(hosts.idle('priced-vm'), undefined, 'the idle clock starts again after a stop');
      await until('the ssh-config offer for the changed address', () => hosts.costNotices.some((n) => n.host === 'priced-vm' && n.kind === 'address'), 30_000);
      assert.match(hosts.costNotices.find((n) => n.kind === 'address' && n.host === 'priced-vm')!.message, /127\.0\.0\.1.* → .*127\.0\.0\.2/);
    } finally {
      await vscode.commands.executeCommand('notifications.clearAll');
      if (before !== undefined) writeFileSync(hostsFile, before);
      else rmSync(hostsFile, { force: true });
      rmSync(tmp, { recursive: true, force: true });
      const { hosts } = await api();
      await hosts.reload();
    }
  });
});
