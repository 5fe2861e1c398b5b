// The Phases view's model and commands inside the real extension host, on the examples workspace
// (a git clone with a local bare remote and the example plan): generate, a stale claim, a worker
// started here that drains the queue, and a worker started on an sshd test host.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commandIds } from '../../src/ids';
import type { AirlockApi } from '../../src/extension';
import { api, until } from './support';
import { newClaim, serializeClaim } from '../../src/core/phases/claims';

const testHosts: { up: string[] } | undefined = process.env.AIRLOCK_TEST_SSH_HOSTS ? JSON.parse(process.env.AIRLOCK_TEST_SSH_HOSTS) : undefined;
const env = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' };
const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, env, encoding: 'utf8' });

const folder = () => vscode.workspace.workspaceFolders![0]!.uri.fsPath;
const phase = (a: AirlockApi, name: string) => a.phases.status?.phases.find((p) => p.phase === name);

/** Pushes a file to the queue's remote from a scratch clone, as another machine would. */
function pushFromElsewhere(path: string, content: string): void {
  const remote = git(folder(), 'remote', 'get-url', 'origin').trim();
  const other = join(mkdtempSync(join(tmpdir(), 'airlock-other-')), 'c');
  git(tmpdir(), 'clone', '-q', remote, other);
  mkdirSync(join(other, path, '..'), { recursive: true });
  writeFileSync(join(other, path), content);
  git(other, 'add', '-A');
  git(other, 'commit', '-q', '-m', `elsewhere: ${path}`);
  git(other, 'push', '-q', 'origin', 'HEAD:main');
}

suite('phases', () => {
  suiteSetup(() => {
    // The extension host is this process: workers started here inherit a fast example benchmark.
    process.env.AIRLOCK_EXAMPLE_STEPS = '2';
    process.env.AIRLOCK_EXAMPLE_STEP_SEC = '0.05';
  });

  test('the example plan loads and Generate pushes its TODO list', async function () {
    this.timeout(60_000);
    const a = await api();
    await vscode.commands.executeCommand(commandIds.phasesRefresh);
    assert.equal(a.phases.planError, undefined);
    assert.deepEqual(
      a.phases.plan?.phases.map((p) => p.name),
      ['smoke'],
    );
    assert.equal(phase(a, 'smoke')?.generated, false);
    await vscode.commands.executeCommand(commandIds.phasesGenerate);
    const remoteTodo = git(folder(), 'show', 'origin/main:data/phase/smoke.txt').trim().split('\n');
    assert.equal(remoteTodo.length, 12);
    assert.equal(remoteTodo[0], 'easy_llama_3_8b_baseline_0.json');
    assert.deepEqual({ total: phase(a, 'smoke')?.total, todo: phase(a, 'smoke')?.counts.todo }, { total: 12, todo: 12 });
  });

  test("a dead machine's claim shows as stale; a worker started here drains the queue and takes it over", async function () {
    this.timeout(180_000);
    const a = await api();
    pushFromElsewhere(
      'data/runs/claims/hard_qwen2_7b_baseline_1.json.claim',
      serializeClaim({ ...newClaim('dead-box', 60, Date.now() - 3_600_000), pid: 999_999 }),
    );
    await vscode.commands.executeCommand(commandIds.phasesRefresh);
    assert.equal(phase(a, 'smoke')?.counts.stale, 1);
    const stale = phase(a, 'smoke')!.entries.find((e) => e.state === 'stale')!;
    assert.equal(stale.claim?.host, 'dead-box');
    await vscode.commands.executeCommand(commandIds.phasesStartWorkerHere);
    assert.equal(a.phases.workers.length, 1, 'the worker is listed in the view');
    const w = a.phases.workers[0]!;
    await until('all 12 entries done', async () => (await a.phases.refresh(false), phase(a, 'smoke')?.counts.done === 12));
    await until('the worker to exit', () => a.phases.workers.length === 0);
    const lines = a.logs.store.range(w.streamId, 0, 1e9).map((l) => l.text);
    assert.ok(
      lines.some((l) => /claimed hard_qwen2_7b_baseline_1\.json \(takeover from dead-box\)/.test(l)),
      lines.join('\n'),
    );
    assert.ok(
      lines.some((l) => /step 2\/2/.test(l)),
      'the benchmark output streams into Live Logs',
    );
    assert.equal(git(folder(), 'ls-tree', '-r', '--name-only', 'origin/main', 'data/runs/claims').trim(), '', 'no claim left');
    const result = JSON.parse(git(folder(), 'show', 'origin/main:data/runs/easy_qwen2_7b_baseline_0.json')) as { model: string; accuracy: number };
    assert.equal(result.model, 'qwen2_7b');
    assert.equal(git(folder(), 'status', '--porcelain').trim(), '', "the user's checkout is untouched");
  });

  test('Import Run on a done entry: its result, log and provenance land in experiments/<exp>/runs/<entry>/ with a journal entry', async function () {
    this.timeout(60_000);
    const a = await api();
    const entry = 'easy_qwen2_7b_baseline_0.json';
    assert.equal(phase(a, 'smoke')?.entries.find((e) => e.entry === entry)?.state, 'done', 'drained by the test before');
    const configFile = join(folder(), '.airlock', 'airlock.json');
    const journal = join(folder(), 'journal.md');
    const hadConfig = existsSync(configFile);
    try {
      mkdirSync(join(folder(), '.airlock'), { recursive: true });
      if (!hadConfig) writeFileSync(configFile, '{ "import": { "experiment": "smoke" } }\n');
      const person = '# Journal\n\nMy own line about the smoke phase.\n';
      writeFileSync(journal, person);
      await vscode.commands.executeCommand(commandIds.protocolImportRun, { phaseEntry: entry });
      const exp = hadConfig
        ? (JSON.parse(readFileSync(configFile, 'utf8').replace(/\/\/.*$/gm, '')) as { import?: { experiment?: string } }).import?.experiment
        : 'smoke';
      const dest = join(folder(), 'experiments', exp ?? 'smoke', 'runs', 'easy_qwen2_7b_baseline_0');
      assert.deepEqual(JSON.parse(readFileSync(join(dest, entry), 'utf8')), JSON.parse(git(folder(), 'show', `origin/main:data/runs/${entry}`)));
      assert.match(readFileSync(join(dest, 'easy_qwen2_7b_baseline_0.log'), 'utf8'), /step 2\/2/, "the entry's log came along");
      const text = readFileSync(journal, 'utf8');
      assert.ok(text.startsWith(person), `the person's line was changed:\n${text}`);
      const added = text.slice(person.length);
      assert.match(added, /- \*\*What\*\*: phase entry easy_qwen2_7b_baseline_0\.json of phase smoke/);
      assert.match(added, /- \*\*Where\*\*: host `[^`]+`/, 'the worker that published the result');
      assert.match(added, /- \*\*Code\*\*: .*commit `[0-9a-f]{7,}/, 'the commit the worker ran with');
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      rmSync(journal, { force: true });
      rmSync(join(folder(), 'experiments'), { recursive: true, force: true });
      if (!hadConfig) rmSync(configFile, { force: true });
    }
    assert.equal(git(folder(), 'status', '--porcelain').trim(), '', "the user's checkout is as before");
  });

  test('Start Worker on Host runs a worker over SSH (CLI copied, clone made) and streams its log', async function () {
    this.timeout(180_000);
    assert.ok(testHosts?.up[0], 'AIRLOCK_TEST_SSH_HOSTS not set by the runner');
    const a = await api();
    // A second phase, committed by the user and generated.
    const planPath = join(folder(), '.airlock/phases.json');
    const plan = readFileSync(planPath, 'utf8').replace(
      '"phases": [',
      '"phases": [\n    { "name": "remote", "axes": { "model": ["tiny_1", "tiny_2"] }, "reruns": 2, "command": "echo on $(hostname) > /dev/null; echo \'{{\\"ok\\": 1}}\' > {result}" },',
    );
    writeFileSync(planPath, plan);
    git(folder(), 'commit', '-qam', 'add the remote phase');
    git(folder(), 'pull', '-q', '--rebase', 'origin', 'main');
    git(folder(), 'push', '-q', 'origin', 'HEAD:main');
    await a.phases.refresh(false);
    assert.deepEqual(
      a.phases.plan?.phases.map((p) => p.name),
      ['remote', 'smoke'],
      a.phases.planError,
    );
    await vscode.commands.executeCommand(commandIds.phasesGenerate);
    const remoteHome = mkdtempSync(join(tmpdir(), 'airlock-remote-clone-'));
    await vscode.commands.executeCommand(commandIds.phasesStartWorkerOnHost, testHosts.up[0], join(remoteHome, 'queue'));
    const w = a.phases.workers.find((x) => x.where === testHosts.up[0]);
    assert.ok(w, `the remote worker is listed (${a.phases.workers.map((x) => x.where).join(', ')})`);
    const lines = () => a.logs.store.range(w.streamId, 0, 1e9).map((l) => l.text);
    await until('the remote phase done', async () => (await a.phases.refresh(true), phase(a, 'remote')?.counts.done === 4), 60_000).catch((e: Error) => {
      throw new Error(`${e.message}; worker log:\n${lines().join('\n')}`);
    });
    await until('the worker log to show a finished entry', () => lines().some((l) => /\[worker\] finished tiny_1_0\.json|\[worker\] finished tiny_/.test(l)));
    await until('the remote worker to exit (queue empty)', () => a.phases.workers.length === 0, 60_000);
  });
});
