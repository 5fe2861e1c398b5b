// What every tree shares, in the real extension host: tooltips keep text other machines write as
// text (a claim's host, a failure reason, a hostname, a pod's name and metadata, an error), the
// error presenter's actions, and the elapsed-time tick that runs only while its view is shown.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { join } from 'node:path';
import { commandIds, viewIds } from '../../src/ids';
import { EntryNode } from '../../src/features/phases/phaseNodes';
import { PodNode } from '../../src/features/pods/podNodes';
import { HostNode } from '../../src/features/hosts/hostNodes';
import { CaseNode, RoleNode, RunNode as SweepRunNode } from '../../src/features/sweeps/sweepNodes';
import { RunNode as NotebookRunNode } from '../../src/features/notebook/notebookRunNodes';
import { SweepRun } from '../../src/core/sweep/sweepRun';
import { PodError } from '../../src/core/pods/errors';
import { ColabError } from '../../src/core/colab/colabErrors';
import { CancelledError } from '../../src/core/process/errors';
import { presentError } from '../../src/features/presentError';
import type { PodInfo } from '../../src/core/pods/types';
import { api, until } from './support';

const evil = 'gpu-1 [Terminate all](command:airlock.pods.terminateMatching) ![x](https://e.vil/p.png) <img src=x onerror=alert(1)> $(zap)';

/** The tooltip's Markdown with its code spans taken out (text inside a code span is inert). */
function markdownOf(item: vscode.TreeItem): string {
  const md = item.tooltip;
  assert.ok(md instanceof vscode.MarkdownString, 'a Markdown tooltip');
  assert.ok(!md.isTrusted, 'never trusted: no command links run from a tooltip');
  assert.ok(!md.supportHtml, 'no HTML');
  return md.value.replace(/(`+)[\s\S]*?\1/g, '');
}

function assertInert(item: vscode.TreeItem, what: string): void {
  const md = markdownOf(item);
  assert.doesNotMatch(md, /(?<!\\)\[[^\]]*\]\(/, `${what}: a live link`);
  assert.doesNotMatch(md, /(?<!\\)</, `${what}: raw HTML`);
  assert.doesNotMatch(md, /(?<!\\)\$\(zap\)/, `${what}: a theme icon`);
  assert.match(md, /Terminate all/, `${what}: the text itself is still shown`);
}

suite('trees', () => {
  test('tooltips escape what other machines write: claim host, failure reason, hostname, pod name and metadata, errors', () => {
    const now = Date.now();
    const iso = (t: number) => new Date(t).toISOString();
    assertInert(
      new EntryNode(
        'p1',
        {
          entry: 'easy_m_c_0.json',
          state: 'claimed',
          claim: { host: evil, pid: 7, token: 't', claimedAt: iso(now - 60_000), leaseUntil: iso(now + 60_000), takeoverFrom: evil },
        },
        now,
      ).toTreeItem(),
      'claimed entry',
    );
    assertInert(
      new EntryNode(
        'p1',
        { entry: 'easy_m_c_0.json', state: 'failed', failure: { host: 'h', exitCode: 1, reason: evil, failedAt: iso(now) } },
        now,
      ).toTreeItem(),
      'failed entry',
    );
    const pod: PodInfo = {
      provider: 'runpod',
      id: 'abc',
      name: evil,
      state: 'running',
      providerStatus: 'RUNNING',
      gpuName: evil,
      gpuCount: 1,
      costPerHour: 0.5,
      image: evil,
      spot: false,
      requestedPorts: [],
      ports: [],
      metadata: { owner: evil },
      managedByAirlock: true,
    };
    assertInert(new PodNode(pod).toTreeItem(), 'pod');
    const spec = { name: 'h', kind: 'ssh' as const, source: 'ssh-config' as const, hostName: 'h.example' };
    assertInert(
      new HostNode({
        spec,
        probing: false,
        diskWarnPercent: 90,
        facts: { reachable: true, hostname: evil, gpus: [{ name: evil, memoryTotalMiB: 1024, memoryUsedMiB: 0, utilizationPct: 0 }], probedAt: now },
      }).toTreeItem(),
      'reachable host',
    );
    assertInert(
      new HostNode({ spec, probing: false, diskWarnPercent: 90, facts: { reachable: false, reason: evil, probedAt: now } }).toTreeItem(),
      'unreachable host',
    );
    const run = new SweepRun('/w/sweep.json', 1);
    run.apply({
      type: 'plan',
      at: now,
      mode: 'sequenced',
      runTag: 't',
      localRoot: '/w/out',
      resultsRoot: '/r',
      dryRun: false,
      shared: null,
      cases: [{ caseIndex: 0, caseName: 'a', caseTag: 't_000_a', roles: [{ role: 'client', host: evil, foreground: true }] }],
    });
    run.apply({ type: 'case', at: now, caseIndex: 0, caseName: 'a', caseTag: 't_000_a', state: 'failed', reason: evil });
    run.error = evil;
    assertInert(new SweepRunNode(run).toTreeItem(), 'sweep run');
    assertInert(new CaseNode(run, run.cases[0]!).toTreeItem(), 'sweep case');
    assertInert(new RoleNode(run, run.cases[0]!, run.cases[0]!.roles[0]!).toTreeItem(), 'sweep role');
    assertInert(
      new NotebookRunNode({
        id: 'r1',
        kind: 'jupyter',
        notebook: 'n.ipynb',
        source: 'n.ipynb',
        target: evil,
        state: 'failed',
        startedAt: now,
        error: evil,
        params: { a: evil },
      }).toTreeItem(),
      'notebook run',
    );
  });

  test('presentError: typed errors get their fix as an action, always Show Log; a cancel shows nothing', async () => {
    await api();
    const log = vscode.window.createOutputChannel('Airlock test', { log: true });
    try {
      assert.deepEqual(
        presentError(new PodError('no-capacity', 'RunPod has no RTX 4090 left in SECURE cloud'), { what: 'Create Pod', log })?.actions.map((x) => x.title),
        ['Try Another GPU', 'Show Log'],
      );
      assert.deepEqual(
        presentError(new PodError('unauthorized', 'bad key'), { what: 'Refresh Pods', log })?.actions.map((x) => x.title),
        ['Set RunPod API Key', 'Show Log'],
      );
      const colab = presentError(new ColabError('sign-in-needed', 'Colab needs a sign-in'), { what: 'Dispatch', log, retry: () => undefined });
      assert.deepEqual(
        colab?.actions.map((x) => x.title),
        ['Show Browser and Retry', 'Show Log'],
      );
      assert.equal(colab?.message, 'Airlock: Dispatch failed — Colab needs a sign-in');
      assert.equal(presentError(new CancelledError(), { what: 'Create Pod', log }), undefined);
    } finally {
      log.dispose();
      await vscode.commands.executeCommand('notifications.clearAll');
    }
  });

  test("the Sweeps view's elapsed-time tick runs only while the view is shown", async function () {
    this.timeout(120_000);
    const a = await api();
    await vscode.commands.executeCommand('workbench.view.explorer');
    const config = join(vscode.workspace.workspaceFolders![0]!.uri.fsPath, 'sweeps/local_sweep.json');
    const run = await a.sweeps.start(config, 'run');
    assert.ok(run);
    try {
      await until('a role running', () => run.cases.some((c) => c.roles.some((r) => r.state === 'running')));
      await new Promise((r) => setTimeout(r, 1500));
      assert.equal(a.sweeps.refresh.ticking, false, 'hidden: no ticker while the sweep runs');
      await vscode.commands.executeCommand(`${viewIds.sweeps}.focus`);
      await until('the tick to start once the view is shown', () => a.sweeps.refresh.ticking, 15_000);
      await vscode.commands.executeCommand('workbench.view.explorer');
      await until('the tick to stop once the view is hidden again', () => !a.sweeps.refresh.ticking, 15_000);
    } finally {
      await vscode.commands.executeCommand(commandIds.sweepsCancel);
      await until('the run to end', () => run.state !== 'running', 60_000);
      await vscode.commands.executeCommand('notifications.clearAll');
    }
  });
});
