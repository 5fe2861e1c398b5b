// Pods in the real workbench against the fake RunPod: create a pod from the palette (offer picker,
// name, metadata, progress), see it in the Pods view with its $/hr and the cost in the status bar,
// stream its logs into Live Logs (REST v2 SSE), then terminate it through the confirmation
// dialog — and the fake has no pod left. The extension speaks REST v2 (the default).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startE2eSession, type E2eSession } from '../support/e2eSession';
import { startFakeRunpod, type FakeRunpod } from '../support/fakeRunpod/server';
import { openViewContainer, runCommand, screenshot, soloView, treeItem, webviewFrame, widenSidebar } from '../support/workbench';

describe('Pods view with the fake RunPod', { timeout: 300_000 }, () => {
  let s: E2eSession;
  let fake: FakeRunpod;
  before(async () => {
    fake = await startFakeRunpod({ startAfterMs: 1500, startAfterPolls: 1000 });
    s = await startE2eSession({ env: { AIRLOCK_RUNPOD_ENDPOINT: fake.endpoint, RUNPOD_API_KEY: fake.apiKey } });
  });
  after(async () => {
    await s?.close();
    await fake?.close();
  });

  test('create from the palette, watch it run, terminate with confirmation', async () => {
    await s.step('pods', async () => {
      const page = s.page;
      await openViewContainer(page, 'Airlock');
      await soloView(page, 'Pods');
      await runCommand(page, 'Airlock: Create Pod…');
      const quick = page.locator('.quick-input-widget');
      // Offers are cheapest first; filter for a 4090 like a user would.
      await quick.getByRole('option').first().waitFor({ state: 'visible', timeout: 30_000 });
      await page.keyboard.type('4090');
      await quick.getByRole('option', { name: /4090/ }).first().click();
      await quick.getByText('Create Pod (2/3): name').waitFor({ state: 'visible', timeout: 10_000 });
      await quick.locator('input').first().fill('exp-4090');
      await page.keyboard.press('Enter');
      await quick.getByText('Create Pod (3/3): metadata (optional)').waitFor({ state: 'visible', timeout: 10_000 });
      await quick.locator('input').first().fill('project=llm owner=ada');
      await page.keyboard.press('Enter');
      const pod = treeItem(page, 'Pods', /^airlock-exp-4090\b/);
      await pod.waitFor({ state: 'visible', timeout: 60_000 });
      await pod.filter({ hasText: /so far/ }).waitFor({ state: 'visible', timeout: 60_000 });
      assert.match(await pod.innerText(), /RTX 4090.*\$\d+\.\d+\/hr.*up /);
      await page
        .locator('.statusbar')
        .getByText(/1 pod · \$\d+\.\d+\/hr/)
        .waitFor({ state: 'visible', timeout: 30_000 });
      await pod.click();
      await page.keyboard.press('ArrowRight');
      await treeItem(page, 'Pods', /^project\b/).waitFor({ state: 'visible', timeout: 10_000 });
      await widenSidebar(page, 280);
      await screenshot(page, 'pods', { docs: true });
      assert.equal(fake.state.pods.size, 1);
      assert.ok(
        fake.requests.some((r) => r.operationName === 'createPod' && r.status === 201),
        'created through REST v2',
      );
      assert.deepEqual(fake.rest.violations, []);

      // Show Pod Logs: the pod's system and container lines stream into Live Logs, live.
      const id = [...fake.state.pods.keys()][0]!;
      await pod.click({ button: 'right' });
      const show = page.locator('.context-view').getByRole('menuitem', { name: /Show Pod Logs/ });
      await show.hover();
      await page.keyboard.press('Enter');
      const logs = webviewFrame(page);
      await logs
        .getByText(/\[system\] Container started/)
        .first()
        .waitFor({ state: 'visible', timeout: 30_000 });
      for (let epoch = 1; epoch <= 3; epoch++) fake.rest.logs.emit(id, `epoch ${epoch}/3  loss ${(1.2 / epoch).toFixed(3)}  it/s 14.2`);
      await logs
        .getByText(/epoch 3\/3/)
        .first()
        .waitFor({ state: 'visible', timeout: 30_000 });
      await screenshot(page, 'pod-logs', { docs: true });
      await soloView(page, 'Pods');

      await pod.click({ button: 'right' });
      const item = page.locator('.context-view').getByRole('menuitem', { name: /Terminate Pod/ });
      await item.hover();
      await page.keyboard.press('Enter');
      const dialog = page.locator('.monaco-dialog-box');
      await dialog.waitFor({ state: 'visible', timeout: 10_000 });
      assert.match(await dialog.innerText(), /Terminate pod "airlock-exp-4090"\?[\s\S]*cannot be undone/);
      await dialog.getByRole('button', { name: 'Terminate' }).click();
      await pod.waitFor({ state: 'detached', timeout: 30_000 });
      assert.equal(fake.state.pods.size, 0, 'no pod is left alive on the fake');
    });
  });
});
