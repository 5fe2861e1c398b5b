// Notebooks from the editor, on a real Jupyter server started by the runner: the output streams
// into Live Logs, the executed notebook is written next to the source, a failing cell is reported.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commandIds } from '../../src/ids';
import { api } from './support';

const server: { url: string; token: string } | undefined = process.env.AIRLOCK_TEST_JUPYTER ? JSON.parse(process.env.AIRLOCK_TEST_JUPYTER) : undefined;
const nb = (...cells: string[]) =>
  JSON.stringify(
    {
      cells: cells.map((source) => ({ cell_type: 'code', execution_count: null, metadata: {}, outputs: [], source })),
      metadata: {},
      nbformat: 4,
      nbformat_minor: 5,
    },
    null,
    1,
  );

suite('notebook', () => {
  test('Run Notebook on Jupyter Server streams the output and writes the executed notebook', async function () {
    this.timeout(90_000);
    assert.ok(server, 'the runner starts a Jupyter server');
    const a = await api();
    const dir = mkdtempSync(join(tmpdir(), 'airlock-vsnb-'));
    const file = join(dir, 'train.ipynb');
    writeFileSync(file, nb('for i in range(3):\n    print(f"epoch {i} loss {1/(i+1):.2f}")', '21 * 2'));
    const before = a.logs.store.list().length;
    const r = (await vscode.commands.executeCommand(commandIds.notebookRun, vscode.Uri.file(file), server.url, server.token)) as {
      ok: boolean;
      output?: vscode.Uri;
    };
    assert.equal(r.ok, true);
    const stream = a.logs.store.list()[before]!;
    const lines = a.logs.store.range(stream.id, 0, 1000).map((l) => l.text);
    assert.ok(lines.includes('epoch 2 loss 0.33') && lines.includes('42'), lines.join('\n'));
    const executed = JSON.parse(readFileSync(join(dir, 'train.executed.ipynb'), 'utf8')) as { cells: { execution_count: number }[] };
    assert.deepEqual(
      executed.cells.map((c) => c.execution_count),
      [1, 2],
    );
  });

  test('Import Run on the finished Jupyter run: its executed notebook lands in experiments/<exp>/runs/<run>/ with a journal entry', async function () {
    this.timeout(60_000);
    const a = await api();
    const run = a.notebook.model.runs.find((r) => r.kind === 'jupyter' && r.state === 'done' && r.notebook === 'train.ipynb');
    assert.ok(run, 'the run of the test before is listed');
    const folder = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
    const configFile = join(folder, '.airlock', 'airlock.json');
    const journal = join(folder, 'journal.md');
    const hadConfig = existsSync(configFile);
    const person = '# Journal\n\nTried a notebook on the lab server.\n';
    try {
      mkdirSync(join(folder, '.airlock'), { recursive: true });
      if (!hadConfig) writeFileSync(configFile, '{ "import": { "experiment": "nb" } }\n');
      writeFileSync(journal, person);
      await vscode.commands.executeCommand(commandIds.protocolImportRun, { notebookRun: run.id });
      const runs = join(folder, 'experiments', hadConfig ? readdirSync(join(folder, 'experiments'))[0]! : 'nb', 'runs');
      const [dest] = readdirSync(runs);
      assert.ok(dest?.startsWith('train-'), `one run folder named after the notebook: ${readdirSync(runs).join(', ')}`);
      const executed = JSON.parse(readFileSync(join(runs, dest, 'train.executed.ipynb'), 'utf8')) as { cells: { execution_count: number }[] };
      assert.deepEqual(
        executed.cells.map((c) => c.execution_count),
        [1, 2],
      );
      const text = readFileSync(journal, 'utf8');
      assert.ok(text.startsWith(person), `the person's line was changed:\n${text}`);
      const added = text.slice(person.length);
      assert.match(added, /- \*\*What\*\*: notebook .*train\.ipynb \(done\)/);
      assert.match(added, /- \*\*Where\*\*: host `[^`]+` · .*tier `Jupyter`/);
    } finally {
      await vscode.commands.executeCommand('notifications.clearAll');
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      rmSync(journal, { force: true });
      rmSync(join(folder, 'experiments'), { recursive: true, force: true });
      if (!hadConfig) rmSync(configFile, { force: true });
    }
  });

  test('a failing cell is reported and its traceback is in the log', async function () {
    this.timeout(90_000);
    const a = await api();
    const dir = mkdtempSync(join(tmpdir(), 'airlock-vsnb-'));
    const file = join(dir, 'bad.ipynb');
    writeFileSync(file, nb('x = {"a": 1}', 'x["b"]', 'print("not reached")'));
    const before = a.logs.store.list().length;
    const r = (await vscode.commands.executeCommand(commandIds.notebookRun, vscode.Uri.file(file), server!.url, server!.token)) as { ok: boolean };
    assert.equal(r.ok, false);
    const stream = a.logs.store.list()[before]!;
    assert.equal(a.logs.store.info(stream.id)!.state, 'failed');
    const text = a.logs.store
      .range(stream.id, 0, 1000)
      .map((l) => l.text)
      .join('\n');
    assert.match(text, /KeyError/);
    assert.doesNotMatch(text, /not reached/);
  });
});
