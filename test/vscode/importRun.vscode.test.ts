// Import Run on a Pods view row inside the real extension host: a pod on the fake RunPod whose
// 22/tcp is the real sshd test host (this machine), its run directory read over SSH into
// experiments/<exp>/runs/<run>/, and a journal entry appended below what a person wrote.
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import * as vscode from 'vscode';
import { commandIds } from '../../src/ids';
import { createPodsProvider } from '../../src/core/pods/providerFactory';
import { createPod } from '../../src/core/pods/provision';
import { selectOffers } from '../../src/core/pods/offers';
import { api } from './support';

suite('Import Run from a pod', () => {
  test("a running pod's run directory lands in experiments/<exp>/runs/<run>/ and the journal keeps the person's lines", async function () {
    this.timeout(90_000);
    assert.ok(process.env.AIRLOCK_TEST_SSH_HOSTS, 'the runner maps fake pods onto an sshd host');
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.ok(folder, 'tests run in a workspace');
    const provider = createPodsProvider({
      api: 'rest',
      apiKey: process.env.RUNPOD_API_KEY!,
      endpoint: process.env.AIRLOCK_RUNPOD_ENDPOINT!,
      clientVersion: 'test',
    });
    const offers = selectOffers(await provider.offers({ gpuCount: 1 }), { spot: false });
    const made = await createPod(provider, { offers, spec: { name: 'vs-import', image: 'runpod/pytorch:test' }, pollIntervalMs: 50, readyTimeoutMs: 20_000 });
    const runDir = mkdtempSync(join(tmpdir(), 'airlock-pod-run-'));
    const configFile = join(folder, '.airlock', 'airlock.json');
    const journal = join(folder, 'journal.md');
    const hadConfig = existsSync(configFile);
    try {
      writeFileSync(join(runDir, 'metrics.json'), '{"loss": 0.42}\n');
      writeFileSync(join(runDir, 'train.log'), 'step 1 loss 0.9\nstep 2 loss 0.42\n');
      writeFileSync(join(runDir, 'frozen_requirements.txt'), 'torch==2.4.0\n');
      writeFileSync(join(runDir, 'model.pt'), 'x'.repeat(10)); // not in the include patterns: stays on the pod
      mkdirSync(join(folder, '.airlock'), { recursive: true });
      if (!hadConfig) writeFileSync(configFile, '{ "import": { "experiment": "v68" } }\n');
      const person = '# Journal\n\nMy note: lr 3e-4 diverged on the A100, trying 1e-4 on a pod.\n';
      writeFileSync(journal, person);

      const { pods } = await api();
      await pods.model.refresh();
      assert.ok(
        pods.model.pods.some((p) => p.id === made.pod.id && p.state === 'running'),
        'the pod is listed running',
      );
      await vscode.commands.executeCommand(commandIds.protocolImportRun, { pod: made.pod.id }, runDir);

      const exp = JSON.parse(readFileSync(configFile, 'utf8').replace(/\/\/.*$/gm, '')).import?.experiment ?? 'v68';
      const dest = join(folder, 'experiments', exp, 'runs', basename(runDir));
      assert.equal(readFileSync(join(dest, 'metrics.json'), 'utf8'), '{"loss": 0.42}\n');
      assert.equal(readFileSync(join(dest, 'train.log'), 'utf8'), 'step 1 loss 0.9\nstep 2 loss 0.42\n');
      assert.equal(readFileSync(join(dest, 'frozen_requirements.txt'), 'utf8'), 'torch==2.4.0\n');
      assert.equal(existsSync(join(dest, 'model.pt')), false, 'checkpoints stay with the checkpoint sync');
      const text = readFileSync(journal, 'utf8');
      assert.ok(text.startsWith(person), `the person's lines were changed:\n${text}`);
      const entry = text.slice(person.length);
      assert.match(entry, new RegExp(`## Run ${basename(runDir)}`));
      assert.match(entry, new RegExp(`pod airlock-vs-import \\(${made.pod.id}\\)`));
      assert.match(entry, /torch==2\.4\.0|frozen_requirements\.txt/);
    } finally {
      await vscode.commands.executeCommand('notifications.clearAll');
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await provider.terminate(made.pod.id).catch(() => undefined);
      rmSync(runDir, { recursive: true, force: true });
      rmSync(journal, { force: true });
      rmSync(join(folder, 'experiments'), { recursive: true, force: true });
      if (!hadConfig) rmSync(configFile, { force: true });
    }
  });
});
