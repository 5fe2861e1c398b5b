// The Hosts view's model inside the real extension host, against real sshd test hosts started by
// test/support/runVscodeTests.ts (AIRLOCK_SSH_CONFIG points at their ssh config; one is stopped).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { commandIds } from '../../src/ids';
import { api } from './support';

interface TestHostsEnv {
  up: string[];
  down: string[];
}

const testHosts: TestHostsEnv | undefined = process.env.AIRLOCK_TEST_SSH_HOSTS ? JSON.parse(process.env.AIRLOCK_TEST_SSH_HOSTS) : undefined;

suite('hosts', () => {
  test('lists the built-in local host first, then the ssh config aliases', async () => {
    const { hosts } = await api();
    await hosts.reload();
    const names = hosts.hosts.map((h) => h.spec.name);
    assert.equal(names[0], 'local');
    for (const alias of [...(testHosts?.up ?? []), ...(testHosts?.down ?? [])]) assert.ok(names.includes(alias), `${alias} missing from ${names.join(', ')}`);
  });

  test('refresh probes every host: local and the sshd host have facts, the stopped one a reason', async function () {
    this.timeout(60_000);
    const { hosts } = await api();
    await vscode.commands.executeCommand(commandIds.hostsRefresh);
    const local = hosts.host('local')?.facts;
    assert.ok(local?.reachable, `local: ${JSON.stringify(local)}`);
    assert.ok(local.disk && local.disk.totalBytes > 0, 'local disk reported');
    assert.ok(Array.isArray(local.gpus));
    assert.ok(testHosts, 'AIRLOCK_TEST_SSH_HOSTS not set by the runner');
    for (const alias of testHosts.up) {
      const f = hosts.host(alias)?.facts;
      assert.ok(f?.reachable, `${alias}: ${JSON.stringify(f)}`);
      assert.ok(f.hostname.length > 0);
      assert.ok(f.load && f.load.length === 3);
    }
    for (const alias of testHosts.down) {
      const f = hosts.host(alias)?.facts;
      assert.ok(f && !f.reachable, `${alias} should be unreachable: ${JSON.stringify(f)}`);
      assert.match(f.reason, /refused/i);
    }
  });

  test('Copy SSH Command copies the alias form for an ssh config host', async () => {
    assert.ok(testHosts?.up[0]);
    await vscode.commands.executeCommand(commandIds.hostsCopySshCommand, testHosts.up[0]);
    assert.equal(await vscode.env.clipboard.readText(), `ssh ${testHosts.up[0]}`);
  });

  test('a malformed .airlock/hosts.json is reported with file, line and field, valid hosts still load', async function () {
    this.timeout(30_000);
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    assert.ok(folder, 'tests run in a workspace');
    const file = vscode.Uri.joinPath(folder, '.airlock', 'hosts.json');
    const before = await vscode.workspace.fs.readFile(file).then(
      (b) => b,
      () => undefined,
    );
    try {
      const text = '{\n  "hosts": [\n    { "name": "ok-host", "host": "127.0.0.1", "port": 1 },\n    { "name": "bad-host", "port": "twenty-two" }\n  ]\n}\n';
      await vscode.workspace.fs.writeFile(file, Buffer.from(text));
      const { hosts } = await api();
      await hosts.reload();
      assert.ok(hosts.host('ok-host'), 'the valid entry still loads');
      const problem = hosts.configProblems.find((p) => p.line === 4);
      assert.ok(problem, `no problem on line 4: ${JSON.stringify(hosts.configProblems)}`);
      assert.match(problem.file, /hosts\.json$/);
      assert.match(problem.message, /port/);
    } finally {
      if (before) await vscode.workspace.fs.writeFile(file, before);
      else await vscode.workspace.fs.delete(file);
      const { hosts } = await api();
      await hosts.reload();
    }
  });
});
