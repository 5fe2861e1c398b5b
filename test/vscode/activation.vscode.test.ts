// Runs inside the real extension host (code-server): what a user gets when the extension loads.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { commandIds, viewContainerId, viewIds } from '../../src/ids';

const extensionId = 'airlock-dev.airlock';

/** Closes whatever a command may have opened for the user (quick pick, input box, notification). */
async function dismissUi(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
  await vscode.commands.executeCommand('notifications.clearAll');
}

suite('activation', () => {
  test('the extension is installed and activates', async () => {
    const ext = vscode.extensions.getExtension(extensionId);
    assert.ok(ext, `${extensionId} is not loaded in the extension host`);
    await ext.activate();
    assert.equal(ext.isActive, true);
  });

  test('every command id in src/ids.ts is registered', async () => {
    await vscode.extensions.getExtension(extensionId)?.activate();
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = Object.values(commandIds).filter((id) => !registered.has(id));
    assert.deepEqual(missing, [], `not registered: ${missing.join(', ')}`);
  });

  test('the Airlock container and its Phases, Hosts and Pods views are contributed to the workbench', async () => {
    // The workbench registers `<viewId>.focus` for every view it knows and an opener per container.
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const id of Object.values(viewIds)) assert.ok(registered.has(`${id}.focus`), `view ${id} is not in the workbench`);
    const opener = `workbench.view.extension.${viewContainerId}`;
    assert.ok(registered.has(opener), `container ${viewContainerId} is not in the workbench`);
    await vscode.commands.executeCommand(opener);
    for (const id of Object.values(viewIds)) await vscode.commands.executeCommand(`${id}.focus`);
  });

  // Commands a user can run from the palette without a tree node. The registry catches every error
  // (executeCommand never rejects), so watch what it caught: the API lists each failure.
  const failures = async () =>
    ((await vscode.extensions.getExtension(extensionId)!.activate()) as { commandFailures: readonly { id: string; message: string }[] }).commandFailures;

  test('a failing command is recorded where these tests look (the error path is observable)', async () => {
    const seen = (await failures()).length;
    await vscode.commands.executeCommand(commandIds.notebookOpenResult);
    await dismissUi();
    const added = (await failures()).slice(seen);
    assert.deepEqual(
      added.map((f) => f.id),
      [commandIds.notebookOpenResult],
    );
    assert.match(added[0]!.message, /result file/);
  });

  for (const id of [commandIds.hostsRefresh, commandIds.logsShow, commandIds.jobsShow, commandIds.jobsCancel]) {
    test(`running ${id} from the palette fails nowhere`, async () => {
      const seen = (await failures()).length;
      const running = Promise.resolve(vscode.commands.executeCommand(id));
      // A command may wait on a quick pick or a notification: give it a moment to show, then dismiss.
      await Promise.race([running, new Promise((r) => setTimeout(r, 1500))]);
      await dismissUi();
      await running;
      assert.deepEqual((await failures()).slice(seen), [], `${id} failed`);
    });
  }
});
