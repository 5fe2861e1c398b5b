// Sweeps inside the real extension host, on the examples' local sweep (every role on `local`, fake
// BloomBee scripts): the Sweeps view's run with cases and roles, role logs streaming into Live Logs,
// the original file layout and matrices, and no process group left — after a run and after cancel.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { commandIds } from '../../src/ids';
import { api, until } from './support';

const alive = (pgid: number) => {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
};

const folder = () => vscode.workspace.workspaceFolders![0]!.uri.fsPath;
const config = () => vscode.Uri.file(join(folder(), 'sweeps/local_sweep.json'));

suite('sweeps', () => {
  test('a local sweep runs three cases: roles with PIDs, live role logs, the original layout and a sweep matrix, nothing left running', async function () {
    this.timeout(180_000);
    const a = await api();
    const run = await a.sweeps.start(config().fsPath, 'run');
    assert.ok(run, 'the run started');
    await until('a role running with a PID', () => run.cases.some((c) => c.roles.some((r) => r.state === 'running' && !!r.pid)));
    await until('the sweep to finish', () => run.state !== 'running');
    assert.equal(run.state, 'done', run.error ?? JSON.stringify(run.cases.map((c) => [c.name, c.state, c.reason])));
    assert.deepEqual(
      run.realCases.map((c) => [c.name, c.state]),
      [
        ['baseline', 'done'],
        ['lossless', 'done'],
        ['offload b4', 'done'],
      ],
    );
    const root = join(folder(), 'collected_runs');
    for (const c of run.realCases) {
      for (const f of ['dht.log', 'server1.log', 'server2.log', 'inference.log', 'analysis_summary.txt'])
        assert.ok(existsSync(join(root, c.tag, f)), `${c.tag}/${f}`);
    }
    const matrix = readFileSync(join(root, 'demo', 'sweep_matrix.csv'), 'utf8')
      .trim()
      .split(/\r?\n/);
    assert.equal(matrix.length, 4, 'header + 3 cases');
    assert.equal(matrix[0]!.split(',').length, 21, 'the 21 columns of sweep_matrix.csv');
    assert.deepEqual(
      run.matrixFiles().map((f) => f.endsWith('sweep_matrix.csv')),
      [true],
    );
    const client = run.realCases[0]!.roles.find((r) => r.role === 'client')!;
    assert.ok(client.streamId, 'the client log streamed into Live Logs');
    assert.ok(a.logs.store.range(client.streamId, 0, 1e6).length > 0);
    const pids = run.cases.flatMap((c) => c.roles.map((r) => r.pid).filter((p): p is number => !!p));
    assert.ok(pids.length >= 9, `PIDs seen: ${pids.length}`);
    assert.deepEqual(pids.filter(alive), [], 'no process group is left');
  });

  test("Import Run on a collected case: <local_root>/<case_tag>/ into experiments/<exp>/runs/<case_tag>/ and a journal entry below the person's lines", async function () {
    this.timeout(60_000);
    const a = await api();
    const run = a.sweeps.runs.find((r) => r.state === 'done' && !r.dryRun);
    assert.ok(run, 'the finished sweep of the test above');
    const c = run.realCases[0]!;
    const journal = join(folder(), 'journal.md');
    const airlockJson = join(folder(), '.airlock', 'airlock.json');
    const hadConfig = existsSync(airlockJson);
    const person = '# Journal\n\nWhy this sweep: compare lossless against baseline.\n';
    writeFileSync(journal, person);
    if (!hadConfig) writeFileSync(airlockJson, '{ "import": { "experiment": "sweeps" } }\n');
    try {
      await vscode.commands.executeCommand(commandIds.protocolImportRun, { sweepRun: run.id, caseIndex: c.index });
      const exp = hadConfig ? (JSON.parse(readFileSync(airlockJson, 'utf8')) as { import?: { experiment?: string } }).import?.experiment : 'sweeps';
      const dest = join(folder(), 'experiments', exp!, 'runs', c.tag);
      assert.equal(readFileSync(join(dest, 'inference.log'), 'utf8'), readFileSync(join(folder(), 'collected_runs', c.tag, 'inference.log'), 'utf8'));
      assert.ok(existsSync(join(dest, 'airlock-provenance.json')), 'the provenance the case recorded comes along');
      const text = readFileSync(journal, 'utf8');
      assert.ok(text.startsWith(person), `the person's lines changed:\n${text}`);
      assert.match(text.slice(person.length), new RegExp(`## Run ${c.tag}[\\s\\S]*sweep case ${c.tag} of run`));
    } finally {
      await vscode.commands.executeCommand('notifications.clearAll');
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      rmSync(journal, { force: true });
      rmSync(join(folder(), 'experiments'), { recursive: true, force: true });
      if (!hadConfig) rmSync(airlockJson, { force: true });
    }
  });

  test("Cancel stops every role's process group and marks the run cancelled", async function () {
    this.timeout(120_000);
    const a = await api();
    const run = await a.sweeps.start(config().fsPath, 'run');
    assert.ok(run);
    await until('server1 running', () => run.cases.some((c) => c.roles.some((r) => r.role === 'server1' && r.state === 'running' && !!r.pid)));
    await vscode.commands.executeCommand(commandIds.sweepsCancel);
    await until('the run to end', () => run.state !== 'running', 60_000);
    assert.equal(run.state, 'cancelled');
    const pids = run.cases.flatMap((c) => c.roles.map((r) => r.pid).filter((p): p is number => !!p));
    await until('every group to be gone', () => pids.filter(alive).length === 0, 15_000);
  });
});
