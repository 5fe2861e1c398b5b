// The Airlock protocol's editor commands inside the real extension host: Export Bundle to Host…
// unpacks the configured committed paths on `local`, the Hosts view's host row gets a
// "code @ <sha> · clean" child, and Show Drift after an edit turns it into "drifted: 1 file".
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import * as vscode from 'vscode';
import { commandIds } from '../../src/ids';
import { HostNode, FactNode } from '../../src/features/hosts/hostNodes';
import { api } from './support';

suite('bundle', () => {
  const folder = () => vscode.workspace.workspaceFolders![0]!.uri.fsPath;
  let target: string;
  let configFile: string;

  suiteSetup(() => {
    target = mkdtempSync(join(tmpdir(), 'airlock-vscode-bundle-'));
    configFile = join(folder(), '.airlock', 'airlock.json');
    writeFileSync(configFile, '{ "bundle": { "paths": ["README.md"] }, "import": { "experiment": "vscode" } }\n');
  });
  suiteTeardown(async () => {
    rmSync(target, { recursive: true, force: true });
    rmSync(configFile, { force: true });
    rmSync(join(folder(), '.airlock', 'bundles'), { recursive: true, force: true });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('the protocol commands are registered', async () => {
    await api();
    const all = await vscode.commands.getCommands(true);
    for (const id of [commandIds.protocolExportBundle, commandIds.protocolShowDrift, commandIds.protocolImportRun]) assert.ok(all.includes(id), id);
  });

  test('Export Bundle to Host… unpacks on local and the host row shows code @ sha · clean; Show Drift reports an edit', async function () {
    this.timeout(120_000);
    const { hosts } = await api();
    await hosts.reload();
    await vscode.commands.executeCommand(commandIds.protocolExportBundle, 'local', target);
    await vscode.commands.executeCommand('notifications.clearAll');
    const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: folder(), encoding: 'utf8' }).trim();
    assert.equal(readFileSync(join(target, 'README.md'), 'utf8'), execFileSync('git', ['show', 'HEAD:README.md'], { cwd: folder(), encoding: 'utf8' }));
    const rec = hosts.bundle('local');
    assert.ok(rec, 'a bundle record for local');
    assert.equal(rec.commit, head);

    const codeRow = () => {
      const s = hosts.host('local')!;
      const node = new HostNode({
        spec: s.spec,
        facts: { reachable: true, hostname: 'h', gpus: [], probedAt: Date.now() },
        probing: false,
        diskWarnPercent: 90,
        bundle: hosts.bundle('local'),
      });
      const row = node.children().find((c): c is FactNode => c instanceof FactNode && c.label === 'Code');
      assert.ok(row, 'a Code row under the host');
      return row.toTreeItem();
    };
    assert.match(String(codeRow().description), new RegExp(`^code @ ${head.slice(0, 7)} · clean · `));

    writeFileSync(join(target, 'README.md'), 'edited on the GPU box\n');
    await vscode.commands.executeCommand(commandIds.protocolShowDrift, 'local');
    const doc = vscode.window.activeTextEditor?.document.getText() ?? '';
    assert.match(doc, /changed {2}README\.md/);
    assert.match(String(codeRow().description), /· drifted: 1 file · /);
    assert.match(String(codeRow().tooltip), /Drifted: README\.md/);
  });
});
