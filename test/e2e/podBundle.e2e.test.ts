// Export Bundle to a pod in the real workbench: the fake RunPod's pod maps its 22/tcp onto a real
// sshd on loopback. "Airlock: Export Bundle to Host…" from the palette offers the running pod beside
// the hosts; the bundle is unpacked over SSH; the pod's row in Pods gets a Code row (the docs
// screenshot); an edit on the "pod" and a click on that row (Show Drift) turn it into "drifted".
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createPodsProvider } from '../../src/core/pods/providerFactory';
import { createPod } from '../../src/core/pods/provision';
import { selectOffers } from '../../src/core/pods/offers';
import { startE2eSession, type E2eSession } from '../support/e2eSession';
import { startFakeRunpod, type FakeRunpod } from '../support/fakeRunpod/server';
import { sshdSkipReason, startSshHosts, type SshTestHosts } from '../support/sshd';
import { notification, openViewContainer, runCommand, screenshot, soloView, treeItem, viewPane, widenSidebar } from '../support/workbench';

describe('Export Bundle to a pod, and its Code row in Pods', { skip: sshdSkipReason(), timeout: 300_000 }, () => {
  let s: E2eSession;
  let hosts: SshTestHosts;
  let fake: FakeRunpod;
  let target: string;
  before(async () => {
    target = mkdtempSync(join(tmpdir(), 'airlock-e2e-pod-bundle-'));
    hosts = await startSshHosts(1, { aliasPrefix: 'gpu' });
    // The pod's SSH address is 127.0.0.1:<sshd port>: trust that address as ~/.ssh/config would.
    appendFileSync(
      hosts.sshConfigPath,
      `\nHost 127.0.0.1\n  UserKnownHostsFile ${hosts.knownHostsPath}\n  IdentityFile ${hosts.clientKeyPath}\n  User ${hosts.user}\n`,
    );
    fake = await startFakeRunpod({ startAfterPolls: 1, sshEndpoint: { ip: '127.0.0.1', port: hosts.hosts[0]!.port } });
    const provider = createPodsProvider({ api: 'rest', apiKey: fake.apiKey, endpoint: fake.endpoint, clientVersion: 'e2e' });
    const offers = selectOffers(await provider.offers({ gpuCount: 1 }), { spot: false });
    await createPod(provider, { offers, spec: { name: 'train', image: 'runpod/pytorch:test', metadata: {} }, pollIntervalMs: 50, readyTimeoutMs: 20_000 });
    s = await startE2eSession({ env: { AIRLOCK_SSH_CONFIG: hosts.sshConfigPath, AIRLOCK_RUNPOD_ENDPOINT: fake.endpoint, RUNPOD_API_KEY: fake.apiKey } });
    mkdirSync(join(s.workspace.folder, '.airlock'), { recursive: true });
    writeFileSync(join(s.workspace.folder, '.airlock', 'airlock.json'), '{ "bundle": { "paths": ["README.md"] } }\n');
  });
  after(async () => {
    await s?.close();
    if (fake) {
      const provider = createPodsProvider({ api: 'rest', apiKey: fake.apiKey, endpoint: fake.endpoint, clientVersion: 'e2e' });
      for (const p of await provider.list()) await provider.terminate(p.id);
      await fake.close();
    }
    await hosts?.stop();
    rmSync(target, { recursive: true, force: true });
  });

  test('the palette offers the running pod; the bundle lands over SSH; the Code row shows clean, then drifted', async () => {
    await s.step('pod-bundle', async () => {
      const page = s.page;
      await openViewContainer(page, 'Airlock');
      await soloView(page, 'Pods');
      const pod = treeItem(page, 'Pods', /^airlock-train\b/);
      await pod.waitFor({ state: 'visible', timeout: 60_000 });

      await runCommand(page, 'Airlock: Export Bundle to Host…');
      const quick = page.locator('.quick-input-widget');
      // Hosts and the running pod in one pick.
      await quick.getByRole('option', { name: /gpu-1/ }).waitFor({ state: 'visible', timeout: 30_000 });
      await quick.getByRole('option', { name: /airlock-train.*pod ·/ }).click();
      await quick.getByText('Unpack the bundle on pod airlock-train into').waitFor({ state: 'visible', timeout: 10_000 });
      assert.equal(await quick.locator('input').first().inputValue(), '/workspace/airlock', 'a pod defaults to /workspace');
      await quick.locator('input').first().fill(target);
      await page.keyboard.press('Enter');
      await notification(page, /Airlock: 1 file of \w{7} unpacked on pod airlock-train:/).waitFor({ state: 'visible', timeout: 60_000 });
      assert.equal(readFileSync(join(target, 'README.md'), 'utf8'), readFileSync(join(s.workspace.folder, 'README.md'), 'utf8'));

      await pod.click();
      // The row's accessible name is its tooltip: find it by what it shows.
      const codeRow = viewPane(page, 'Pods')
        .getByRole('treeitem')
        .filter({ hasText: /Code\s*code @ \w{7}/ });
      await codeRow.filter({ hasText: /code @ \w{7} · clean/ }).waitFor({ state: 'visible', timeout: 15_000 });
      await widenSidebar(page, 260);
      await screenshot(page, 'pod-code', { docs: true });

      writeFileSync(join(target, 'README.md'), 'edited on the pod\n');
      await codeRow.click();
      await page.locator('.monaco-editor').getByText('README.md').first().waitFor({ state: 'visible', timeout: 30_000 });
      await codeRow.filter({ hasText: /drifted: 1 file/ }).waitFor({ state: 'visible', timeout: 15_000 });
    });
  });
});
