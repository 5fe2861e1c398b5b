// Notebook dispatch from the editor against the fake Google Drive and the fake Colab page the
// runner starts (headless Debian Chromium through playwright-core, the extension's own Drive
// client), and against the real Jupyter server: the run is listed with its state, its output and
// progress stream into Live Logs, failures say why, Cancel interrupts, results download.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { commandIds } from '../../src/ids';
import type { NotebookRunRecord } from '../../src/core/notebook/notebookRun';
import { api, until } from './support';

const fakes: { keyFile: string; colabUrl: string } | undefined = process.env.AIRLOCK_TEST_COLAB ? JSON.parse(process.env.AIRLOCK_TEST_COLAB) : undefined;
const jupyter: { url: string; token: string } | undefined = process.env.AIRLOCK_TEST_JUPYTER ? JSON.parse(process.env.AIRLOCK_TEST_JUPYTER) : undefined;
const folder = () => vscode.workspace.workspaceFolders![0]!.uri.fsPath;
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

function notebookFile(name: string, text: string): vscode.Uri {
  const dir = join(folder(), 'dispatch-tests');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, name), text);
  return vscode.Uri.file(join(dir, name));
}

async function scenario(change: Record<string, unknown>): Promise<void> {
  const r = await fetch(`${fakes!.colabUrl}/_fake/scenario`, { method: 'POST', body: JSON.stringify(change) });
  assert.equal(r.status, 200);
}

const logText = async (run: NotebookRunRecord) => {
  const a = await api();
  return a.logs.store
    .range(run.streamId!, 0, 10_000)
    .map((l) => l.text)
    .join('\n');
};

const dispatch = (uri: vscode.Uri, req: Record<string, unknown>) =>
  vscode.commands.executeCommand<NotebookRunRecord | undefined>(commandIds.notebookDispatch, uri, req);

suite('colab', () => {
  suiteSetup(() => assert.ok(fakes, 'the runner starts a fake Drive and a fake Colab page'));
  // Other suites check that the workspace's checkout stays clean.
  suiteTeardown(() => ['dispatch-tests', 'colab_runs'].forEach((d) => rmSync(join(folder(), d), { recursive: true, force: true })));
  teardown(() => scenario({ requireSignIn: false, hang: false, noGpuBackend: false }));

  test('a file that is not a service-account key is refused; a key is kept in secret storage', async function () {
    this.timeout(30_000);
    const a = await api();
    await a.notebook.credentials.signOut();
    const bad = notebookFile('not-a-key.json', '{"hello": 1}');
    await vscode.commands.executeCommand(commandIds.colabSetServiceAccountKey, bad);
    assert.equal(await a.notebook.credentials.get(), undefined, 'nothing stored from a bad file');
    await vscode.commands.executeCommand(commandIds.colabSetServiceAccountKey, vscode.Uri.file(fakes!.keyFile));
    const c = await a.notebook.credentials.get();
    assert.equal(c?.kind, 'service-account');
    assert.match(String(await a.notebook.credentials.describe()), /airlock-test@airlock-fake\.iam\.gserviceaccount\.com/);
  });

  test('Dispatch Notebook to Colab: uploaded, run on a GPU runtime, followed to the end with its result files', async function () {
    this.timeout(120_000);
    const a = await api();
    const src = readFileSync(join(folder(), 'notebooks/quick_check_template.ipynb'), 'utf8');
    const uri = notebookFile('quick_colab.ipynb', src);
    const seen = new Set<string>();
    const sub = a.notebook.model.onDidChange((r) => r && seen.add(r.state));
    const run = await dispatch(uri, { target: 'colab', set: { STEPS: '4', LABEL: 'from the editor' }, gpu: 'T4' });
    sub.dispose();
    assert.ok(run, 'the command returns the run');
    assert.equal(run.state, 'done', run.error);
    assert.equal(a.notebook.model.runs[0]?.id, run.id, 'the newest run is listed first');
    assert.ok(seen.has('running'), `states seen: ${[...seen].join(', ')}`);
    assert.equal(run.target, 'Colab · T4');
    assert.ok(run.notebookUrl?.startsWith(`${fakes!.colabUrl}/drive/`));
    assert.deepEqual(run.files?.map((f) => f.path).sort(), [
      'airlock_output.log',
      'airlock_status.json',
      'plots/report.html',
      'quick_colab.ipynb',
      'results.json',
    ]);
    assert.equal(run.cell, run.total);
    assert.match(run.gpu ?? '', /T4/, 'the GPU the runtime reported');
    const text = await logText(run);
    assert.match(text, /uploaded to Drive/);
    assert.match(text, /running · cell \d+\/\d+ · T4/);
    assert.match(text, /quick_colab\.ipynb: done/);
    assert.equal(a.logs.store.info(run.streamId!)?.state, 'done');
    assert.ok(!a.logs.jobs.running().length, 'no job is left running');
    // The parameters reached the uploaded notebook.
    assert.deepEqual(run.params, { STEPS: '4', LABEL: 'from the editor' });
  });

  test('Download Results puts the run folder into colab_runs/<run>', async function () {
    this.timeout(60_000);
    const a = await api();
    const run = a.notebook.model.runs.find((r) => r.kind === 'colab' && r.state === 'done');
    assert.ok(run, 'a finished Colab run from the test before');
    const dest = await vscode.commands.executeCommand<string>(commandIds.notebookDownloadResults, run.id);
    assert.equal(dest, join(folder(), 'colab_runs', run.runId!));
    assert.equal(readFileSync(join(dest, 'results.json'), 'utf8'), '{"accuracy": 0.91}');
    assert.ok(existsSync(join(dest, 'plots/report.html')));
    assert.equal(run.downloadedTo, dest);
  });

  test('a failing cell fails the run with the exception; its traceback is in the log, with a screenshot', async function () {
    this.timeout(120_000);
    const uri = notebookFile('bad_lr.ipynb', nb('lr = 3e-4', 'raise ValueError("bad lr")', 'print("not reached")'));
    const run = await dispatch(uri, { target: 'colab', set: {}, gpu: 'T4' });
    assert.equal(run?.state, 'failed');
    assert.match(run.error ?? '', /ValueError: bad lr/);
    assert.ok(run.screenshot && existsSync(run.screenshot), 'a picture of the page');
    assert.match(await logText(run), /Traceback \(most recent call last\)[\s\S]*ValueError: bad lr/);
  });

  test('Colab asking for a sign-in in a headless run fails with what to do; nothing keeps running', async function () {
    this.timeout(120_000);
    const a = await api();
    await scenario({ requireSignIn: true });
    const uri = notebookFile('signin.ipynb', nb('print(1)'));
    const run = await dispatch(uri, { target: 'colab', set: {}, gpu: 'T4' });
    assert.equal(run?.state, 'failed');
    assert.match(run.error ?? '', /sign-in/i);
    assert.ok(!a.logs.jobs.running().length);
  });

  test('Cancel Run interrupts a Colab run and marks it cancelled', async function () {
    this.timeout(120_000);
    const a = await api();
    await scenario({ hang: true });
    const uri = notebookFile('hang.ipynb', nb('x = 1', 'while True: pass', 'print("never")'));
    const pending = dispatch(uri, { target: 'colab', set: {}, gpu: 'T4' });
    await until('the run to be running on Colab', () => a.notebook.model.runs[0]?.notebook === 'hang.ipynb' && a.notebook.model.runs[0].state === 'running');
    const id = a.notebook.model.runs[0]!.id;
    await vscode.commands.executeCommand(commandIds.notebookCancelRun, id);
    const run = await pending;
    assert.equal(run?.state, 'cancelled');
    const state = (await (await fetch(`${fakes!.colabUrl}/_fake/state/${run.fileId}`)).json()) as { interrupted: boolean };
    assert.equal(state.interrupted, true, 'Colab was told to interrupt the runtime');
    assert.ok(!a.logs.jobs.running().length);
  });

  test('Dispatch Notebook to a Jupyter server renders the parameters first and writes the executed notebook', async function () {
    this.timeout(120_000);
    assert.ok(jupyter, 'the runner starts a Jupyter server');
    const src = readFileSync(join(folder(), 'notebooks/quick_check_template.ipynb'), 'utf8');
    const uri = notebookFile('quick_jupyter.ipynb', src);
    const run = await dispatch(uri, { target: { server: jupyter.url, token: jupyter.token }, set: { STEPS: '2', LABEL: 'edited', DELAY_SEC: '0' } });
    assert.equal(run?.state, 'done', run?.error);
    assert.equal(run.kind, 'jupyter');
    assert.match(await logText(run), /edited: 2 steps \(fast\)/);
    const executed = JSON.parse(readFileSync(join(folder(), 'dispatch-tests/quick_jupyter.executed.ipynb'), 'utf8')) as { cells: { source: string[] }[] };
    assert.match(executed.cells.map((c) => [c.source].flat().join('')).join('\n'), /STEPS = 2 #@param/);
  });
});
