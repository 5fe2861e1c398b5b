// The Matrix panel inside the real extension host: a tradeoff_matrix.csv opens in the custom
// editor (the command and "Open With…"), and an in-memory table (the Phases pivot) in a panel.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { join } from 'node:path';
import { commandIds } from '../../src/ids';
import { api, until } from './support';

suite('matrix', () => {
  test('Open Trade-off Matrix shows the 28 BloomBee columns of a tradeoff_matrix.csv', async function () {
    this.timeout(60_000);
    const a = await api();
    const uri = vscode.Uri.file(join(vscode.workspace.workspaceFolders![0]!.uri.fsPath, 'results/demo/tradeoff_matrix.csv'));
    await vscode.commands.executeCommand(commandIds.matrixOpen, uri);
    await until('a matrix panel', () => a.matrix.panels.size > 0);
    const [[panel, data]] = [...a.matrix.panels];
    assert.equal(data.title, 'tradeoff_matrix.csv');
    assert.equal(data.header.length, 28);
    assert.equal(data.header[5], 'step_latency_ms');
    assert.equal(data.rows.length, 24);
    assert.equal(panel!.viewType, 'airlock.matrix');
    panel!.dispose();
  });

  test('an in-memory table opens in its own panel', async function () {
    this.timeout(30_000);
    const a = await api();
    const panel = a.matrix.showTable({
      title: 'p1: mean accuracy — model × level',
      header: ['model', 'easy', 'hard'],
      rows: [
        ['a', 90, 70],
        ['b', 85, null],
      ],
    });
    assert.deepEqual(a.matrix.panels.get(panel)?.rows, [
      ['a', '90', '70'],
      ['b', '85', ''],
    ]);
    panel.dispose();
    assert.equal(a.matrix.panels.has(panel), false);
  });
});
