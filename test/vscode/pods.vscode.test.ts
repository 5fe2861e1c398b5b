// The Pods view against the fake RunPod (started by test/support/runVscodeTests.ts, whose pods map
// 22/tcp onto a real sshd test host): listing with GPU, $/hr and metadata, the metadata filter,
// stop and resume, the SSH tunnel to Jupyter, logs, Colab, the budget in the status bar, and nothing
// left alive on the fake. Every test runs on both APIs in one code-server session: the second suite
// switches airlock.pods.api to graphql (the fake serves both from one state).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { createServer } from 'node:http';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commandIds } from '../../src/ids';
import { api, until } from './support';
import { createPodsProvider, type PodsApi } from '../../src/core/pods/providerFactory';
import { createPod } from '../../src/core/pods/provision';
import { selectOffers } from '../../src/core/pods/offers';
import { bundleTargetChoices } from '../../src/features/protocol/commands/bundleTarget';

const control = (body: Record<string, unknown>) =>
  fetch(`${process.env.AIRLOCK_RUNPOD_ENDPOINT!.replace(/\/graphql$/, '')}/__control`, { method: 'POST', body: JSON.stringify(body) });

for (const podsApi of ['rest', 'graphql'] as const satisfies readonly PodsApi[])
  suite(`pods (${podsApi})`, () => {
    // The fixture's own calls go through the API under test too.
    const provider = () =>
      createPodsProvider({ api: podsApi, apiKey: process.env.RUNPOD_API_KEY!, endpoint: process.env.AIRLOCK_RUNPOD_ENDPOINT!, clientVersion: 'test' });
    async function makePod(name: string, metadata: Record<string, string>) {
      const p = provider();
      const offers = selectOffers(await p.offers({ gpuCount: 1 }), { spot: false });
      return createPod(p, { offers, spec: { name, image: 'runpod/pytorch:test', metadata }, pollIntervalMs: 50, readyTimeoutMs: 20_000 });
    }
    const config = () => vscode.workspace.getConfiguration('airlock');
    suiteSetup(async () => {
      // REST v2 is the default; the second suite switches the whole Pods view to GraphQL.
      await config().update('pods.api', podsApi === 'rest' ? undefined : 'graphql', vscode.ConfigurationTarget.Global);
      await until(
        `the Pods view to use ${podsApi}`,
        async () => ((await (await api()).pods.model.getProvider()) as { api?: string } | undefined)?.api === podsApi,
        10_000,
      );
    });
    suiteTeardown(async () => {
      const p = provider();
      for (const pod of await p.list()) await p.terminate(pod.id);
      await config().update('pods.api', undefined, vscode.ConfigurationTarget.Global);
    });

    test("the view lists the account's pods with GPU, $/hr and metadata; the filter narrows them", async function () {
      this.timeout(60_000);
      assert.ok(process.env.AIRLOCK_RUNPOD_ENDPOINT, 'the runner starts a fake RunPod');
      const a = await api();
      assert.equal(((await a.pods.model.getProvider()) as { api?: string } | undefined)?.api, podsApi, 'airlock.pods.api (unset: REST v2)');
      const one = await makePod('vs-train', { project: 'llm', run: 'a1' });
      await makePod('vs-eval', { project: 'vision' });
      await vscode.commands.executeCommand(commandIds.podsRefresh);
      const names = a.pods.model.pods.map((p) => p.name).sort();
      assert.deepEqual(names, ['airlock-vs-eval', 'airlock-vs-train']);
      const train = a.pods.model.pods.find((p) => p.id === one.pod.id)!;
      assert.equal(train.state, 'running');
      assert.ok(train.costPerHour > 0 && train.gpuName, `${train.gpuName} ${train.costPerHour}`);
      assert.deepEqual(train.metadata, { project: 'llm', run: 'a1' });
      assert.equal(train.managedByAirlock, true);
      a.pods.model.setFilter({ project: 'llm' });
      assert.deepEqual(
        a.pods.model.visiblePods.map((p) => p.name),
        ['airlock-vs-train'],
      );
      a.pods.model.setFilter({});
    });

    test("Stop and Resume change the pod's state on the provider", async function () {
      this.timeout(60_000);
      const a = await api();
      const pod = a.pods.model.pods.find((p) => p.name === 'airlock-vs-eval')!;
      await vscode.commands.executeCommand(commandIds.podsStop, pod.id);
      assert.equal((await provider().get(pod.id))?.state, 'stopped');
      assert.equal(a.pods.model.pods.find((p) => p.id === pod.id)?.state, 'stopped', 'the row updates at once');
      await vscode.commands.executeCommand(commandIds.podsResume, pod.id);
      const after = await provider().get(pod.id);
      assert.ok(after && after.state !== 'stopped', `resumed: ${after?.providerStatus}`);
    });

    test("Start SSH Tunnel forwards a local port to the pod's Jupyter port over SSH", async function () {
      this.timeout(60_000);
      const a = await api();
      // Jupyter stand-in on the "pod" (the sshd test host is this machine).
      const jupyter = createServer((_req, res) => res.end('jupyter says hi'));
      await new Promise<void>((r, j) => jupyter.once('error', j).listen(8888, '127.0.0.1', r));
      try {
        await a.pods.model.refresh();
        const pod = a.pods.model.pods.find((p) => p.name === 'airlock-vs-train')!;
        await vscode.commands.executeCommand(commandIds.podsStartTunnel, pod.id);
        const tunnel = a.pods.tunnels.get(pod.id);
        assert.ok(tunnel, 'a tunnel is open');
        const body = await (await fetch(`http://127.0.0.1:${tunnel.localPort}/`)).text();
        assert.equal(body, 'jupyter says hi');
        await vscode.commands.executeCommand(commandIds.podsStopTunnel, pod.id);
        assert.equal(a.pods.tunnels.has(pod.id), false);
      } finally {
        jupyter.close();
      }
    });

    if (podsApi === 'rest')
      test('Export Bundle on a pod row unpacks over SSH; the pod shows "code @ sha · clean", and "drifted" after an edit', async function () {
        this.timeout(90_000);
        const a = await api();
        const folder = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
        const configFile = join(folder, '.airlock', 'airlock.json');
        // The "pod" is the sshd test host, which is this machine: the unpacked files can be read here.
        const target = mkdtempSync(join(tmpdir(), 'airlock-vscode-pod-bundle-'));
        writeFileSync(configFile, '{ "bundle": { "paths": ["README.md"] } }\n');
        try {
          await a.pods.model.refresh();
          const pod = a.pods.model.pods.find((p) => p.name === 'airlock-vs-train')!;
          // From the palette the pick lists the hosts and the running pods together.
          const deps = { hosts: a.pods.commandDeps.hosts.commandDeps, pods: a.pods.commandDeps };
          const choices = await bundleTargetChoices(deps);
          assert.ok(
            choices.some((c) => c.name === 'local'),
            choices.map((c) => c.name).join(', '),
          );
          assert.ok(
            choices.some((c) => c.name === `pod:${pod.name}`),
            choices.map((c) => c.name).join(', '),
          );
          assert.ok(
            !choices.some((c) => c.name.startsWith('pod:') && !a.pods.model.pods.some((p) => `pod:${p.name}` === c.name && p.state === 'running')),
            'running pods only',
          );
          await vscode.commands.executeCommand(commandIds.protocolExportBundle, { pod: pod.id }, target);
          assert.deepEqual(
            a.commandFailures.filter((f) => f.id === commandIds.protocolExportBundle),
            [],
          );
          const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: folder, encoding: 'utf8' }).trim();
          assert.equal(readFileSync(join(target, 'README.md'), 'utf8'), execFileSync('git', ['show', 'HEAD:README.md'], { cwd: folder, encoding: 'utf8' }));
          const codeRow = () => {
            const row = a.pods.tree
              .getChildren()
              .find((n) => n.kind === 'pod' && n.pod.id === pod.id)
              ?.children()
              .find((c) => c.kind === 'fact' && c.label === 'Code');
            assert.ok(row, 'a Code row under the pod');
            return row.toTreeItem();
          };
          assert.match(String(codeRow().description), new RegExp(`^code @ ${head.slice(0, 7)} · clean · ${target}$`));
          assert.equal(codeRow().command?.command, commandIds.protocolShowDrift, 'clicking the row checks again');

          writeFileSync(join(target, 'README.md'), 'edited on the pod\n');
          await vscode.commands.executeCommand(commandIds.protocolShowDrift, { pod: pod.id });
          assert.match(vscode.window.activeTextEditor?.document.getText() ?? '', /changed {2}README\.md/);
          assert.match(String(codeRow().description), /· drifted: 1 file · /);
          assert.match(String(codeRow().tooltip), /Drifted: README\.md/);
          // The Hosts view is not where a pod's bundle shows: no host is named pod:….
          assert.equal(a.hosts.host(`pod:${pod.name}`), undefined);
          // Show Drift's pick offers what received a bundle: the pod, not the hosts that did not.
          const drifted = (await bundleTargetChoices(deps, (n) => !!a.hosts.bundle(n))).map((c) => c.name);
          assert.deepEqual(drifted, [`pod:${pod.name}`]);
        } finally {
          rmSync(target, { recursive: true, force: true });
          rmSync(configFile, { force: true });
          rmSync(join(folder, '.airlock', 'bundles'), { recursive: true, force: true });
          await a.hosts.reloadBundles();
          await vscode.commands.executeCommand('workbench.action.closeAllEditors');
        }
      });

    test('the cost guard stops a pod whose GPUs stay idle past airlock.pods.autoStopIdleMinutes', async function () {
      this.timeout(60_000);
      const a = await api();
      const { pod } = await makePod('vs-idle', { project: 'idle' });
      const config = vscode.workspace.getConfiguration('airlock');
      await config.update('pods.autoStopIdleMinutes', 0.02, vscode.ConfigurationTarget.Global);
      try {
        // The fake reports 0 % GPU use; two polls 2 s apart make the pod idle for longer than 1.2 s.
        await vscode.commands.executeCommand(commandIds.podsRefresh);
        await new Promise((r) => setTimeout(r, 2000));
        await vscode.commands.executeCommand(commandIds.podsRefresh);
        await until('the idle pod to be stopped', async () => (await provider().get(pod.id))?.state === 'stopped', 20_000);
        assert.equal(a.pods.model.pods.find((p) => p.id === pod.id)?.state, 'stopped');
      } finally {
        await config.update('pods.autoStopIdleMinutes', undefined, vscode.ConfigurationTarget.Global);
      }
    });

    if (podsApi === 'graphql')
      test('Show Pod Logs on GraphQL says logs need REST v2 and how to switch', async function () {
        this.timeout(60_000);
        const a = await api();
        const made = await makePod('vs-logs', {});
        await vscode.commands.executeCommand(commandIds.podsRefresh);
        const before = a.commandFailures.length;
        // The error notification may hold the command until it is dismissed: watch what the registry caught.
        void vscode.commands.executeCommand(commandIds.podsShowLogs, made.pod.id);
        await until('the command to fail', () => a.commandFailures.length > before, 20_000);
        assert.match(
          a.commandFailures
            .slice(before)
            .map((f) => f.message)
            .join('\n'),
          /pod logs come from RunPod REST API v2; set airlock\.pods\.api to "rest"/,
        );
        await vscode.commands.executeCommand('notifications.clearAll');
        await provider().terminate(made.pod.id);
      });

    if (podsApi === 'rest')
      test("Show Pod Logs streams a pod's logs into Live Logs (REST v2 SSE) and keeps following", async function () {
        this.timeout(60_000);
        const a = await api();
        const made = await makePod('vs-logs', {});
        await vscode.commands.executeCommand(commandIds.podsRefresh);
        await vscode.commands.executeCommand(commandIds.podsShowLogs, made.pod.id);
        const stream = () => a.logs.store.list().find((s) => s.title === 'pod airlock-vs-logs');
        await until(
          'the log stream',
          () => !!stream() && a.logs.store.range(stream()!.id, 0, 100).some((l) => /\[system\] Container started/.test(l.text)),
          30_000,
        );
        await control({ action: 'emitLog', podId: made.pod.id, line: 'epoch 1 loss 0.42' });
        await until('the live line', () => a.logs.store.range(stream()!.id, 0, 100).some((l) => /\[container\] epoch 1 loss 0\.42$/.test(l.text)), 30_000);
        const job = a.logs.jobs.running().find((j) => j.logStreamId === stream()!.id)!;
        a.logs.jobs.cancel(job.id);
        await until('the stream stops', () => a.logs.store.info(stream()!.id)!.state === 'cancelled', 10_000);
        await provider().terminate(made.pod.id);
      });

    test('Connect Colab to Pod… starts Jupyter for Colab on the pod, tunnels it and puts the URL on the clipboard', async function () {
      this.timeout(120_000);
      const a = await api();
      const made = await makePod('vs-colab', {});
      await a.pods.model.refresh();
      await vscode.commands.executeCommand(commandIds.podsConnectColab, made.pod.id);
      try {
        const tunnel = a.pods.tunnels.get(`colab:${made.pod.id}`);
        assert.ok(tunnel, 'a Colab tunnel is open');
        const url = await vscode.env.clipboard.readText();
        assert.match(url, new RegExp(`^http://localhost:${tunnel.localPort}/\\?token=[0-9a-f]{48}$`));
        const token = new URL(url).searchParams.get('token')!;
        const res = await fetch(`http://127.0.0.1:${tunnel.localPort}/api/status`, {
          headers: { Authorization: `token ${token}`, Origin: 'https://colab.research.google.com' },
        });
        assert.equal(res.status, 200);
        assert.equal(res.headers.get('access-control-allow-origin'), 'https://colab.research.google.com');
        tunnel.close();
        a.pods.tunnels.delete(`colab:${made.pod.id}`);
      } finally {
        await vscode.commands.executeCommand('notifications.clearAll');
        const { readFileSync, existsSync } = await import('node:fs');
        const pidFile = '/tmp/airlock-colab-jupyter-8890.pid';
        if (existsSync(pidFile))
          try {
            process.kill(Number(readFileSync(pidFile, 'utf8').trim()), 'SIGTERM');
          } catch {
            /* gone */
          }
        await provider().terminate(made.pod.id);
      }
    });

    test('the status bar shows spend today against the account and project budgets, ticking while pods bill', async function () {
      this.timeout(60_000);
      const a = await api();
      const made = await makePod('vs-budget', { project: 'llm' });
      try {
        // A budget any running pod passes within the 1.5 s below ($0.0001 was not: a $0.20/hr pod bills $0.00008 in 1.5 s).
        await config().update('pods.budgetPerDay', 1e-7, vscode.ConfigurationTarget.Global);
        await config().update('pods.projectBudgets', { llm: 50, other: 5 }, vscode.ConfigurationTarget.Global);
        await vscode.commands.executeCommand(commandIds.podsRefresh);
        await a.pods.budgetBar.update();
        const first = a.pods.budgetBar.shown;
        assert.ok(first, 'the budget item is shown while a budget is set');
        assert.match(first.text, /^\$\(credit-card\) \$\d+\.\d{3} \/ \$0\.000 today$/);
        assert.deepEqual(
          first.lines.map((l) => [l.project, l.budget]),
          [
            [undefined, 1e-7],
            ['llm', 50],
            ['other', 5],
          ],
        );
        assert.equal(first.lines[2]!.spent, 0, 'no pod of project other: nothing spent');
        await new Promise((r) => setTimeout(r, 1500));
        await a.pods.budgetBar.update();
        const later = a.pods.budgetBar.shown!;
        assert.ok(later.lines[0]!.spent > first.lines[0]!.spent, `ticks: ${first.lines[0]!.spent} → ${later.lines[0]!.spent}`);
        assert.ok(later.lines[1]!.spent > first.lines[1]!.spent, 'the llm pod bills into project llm');
        assert.equal(later.over, true, 'over the account budget');
        await config().update('pods.budgetPerDay', undefined, vscode.ConfigurationTarget.Global);
        await a.pods.budgetBar.update();
        assert.match(a.pods.budgetBar.shown!.text, /^\$\(credit-card\) llm \$\d+\.\d{3} \/ \$50\.00 · other \$0\.000 \/ \$5\.000 today$/);
        await config().update('pods.projectBudgets', undefined, vscode.ConfigurationTarget.Global);
        await a.pods.budgetBar.update();
        assert.equal(a.pods.budgetBar.shown, undefined, 'no budget: hidden');
      } finally {
        await config().update('pods.budgetPerDay', undefined, vscode.ConfigurationTarget.Global);
        await config().update('pods.projectBudgets', undefined, vscode.ConfigurationTarget.Global);
        await provider().terminate(made.pod.id);
      }
    });
  });
