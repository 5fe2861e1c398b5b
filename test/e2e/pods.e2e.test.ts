// Pods in the real workbench against the fake RunPod: create a pod from the palette (offer picker,
// name, metadata, progress), see it in the Pods view with its $/hr and the cost in the status bar,
// stream its logs into Live Logs (REST v2 SSE), then terminate it through the confirmation
// dialog — and the fake has no pod left. The extension speaks REST v2 (the default); the second test,
// in the same code-server session, switches airlock.pods.api to graphql (workspace settings) and rents
// a spot pod — the GraphQL-only feature the REST offer list points to — on an account with no SSH key.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startE2eSession, type E2eSession } from '../support/e2eSession';
import { startFakeRunpod, type FakeRunpod } from '../support/fakeRunpod/server';
import { contextMenu, notification, openViewContainer, runCommand, screenshot, soloView, treeItem, webviewFrame, widenSidebar } from '../support/workbench';

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
      // A daily budget, so the status bar shows spend today against it.
      mkdirSync(join(s.workspace.folder, '.vscode'), { recursive: true });
      writeFileSync(join(s.workspace.folder, '.vscode', 'settings.json'), JSON.stringify({ 'airlock.pods.budgetPerDay': 20 }));
      await openViewContainer(page, 'Airlock');
      await soloView(page, 'Pods');
      await runCommand(page, 'Airlock: Create Pod…');
      const quick = page.locator('.quick-input-widget');
      // Offers are cheapest first; filter for a 4090 like a user would.
      await quick.getByRole('option').first().waitFor({ state: 'visible', timeout: 30_000 });
      // REST v2 rents on-demand only: the list ends with a row that offers the GraphQL API for spot pods.
      assert.equal(await quick.getByRole('option', { name: /· spot/ }).count(), 0, 'no spot offers on REST v2');
      await page.keyboard.type('interruptible');
      await quick.getByRole('option', { name: /Spot \(interruptible\) pods need the GraphQL API/ }).waitFor({ state: 'visible', timeout: 10_000 });
      await quick.locator('input').first().fill('4090');
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
      // #16 item 10: uptime and cost so far go on between the provider's polls while the pod runs.
      const up = /up (\S+) · /.exec(await pod.innerText())?.[1] ?? '';
      await pod.filter({ hasText: new RegExp(`up (?!${up} )\\S+ · `) }).waitFor({ state: 'visible', timeout: 10_000 });
      await pod.filter({ hasText: /up \S+ · \$(?!0\.000 )\d+\.\d+ so far/ }).waitFor({ state: 'visible', timeout: 30_000 });
      await page
        .locator('.statusbar')
        .getByText(/1 pod · \$\d+\.\d+\/hr/)
        .waitFor({ state: 'visible', timeout: 30_000 });
      await page
        .locator('.statusbar')
        .getByText(/\$\d+\.\d{3} \/ \$20\.00 today/)
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
      await contextMenu(pod, /Show Pod Logs/);
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
      // Room for the log lines: the side bar back to its width, no toast over the lines.
      await widenSidebar(page, -200);
      await runCommand(page, 'Notifications: Clear All Notifications');
      await screenshot(page, 'pod-logs', { docs: true });
      await soloView(page, 'Pods');

      await contextMenu(pod, /Terminate Pod/);
      const dialog = page.locator('.monaco-dialog-box');
      await dialog.waitFor({ state: 'visible', timeout: 10_000 });
      assert.match(await dialog.innerText(), /Terminate pod "airlock-exp-4090"\?[\s\S]*cannot be undone/);
      await dialog.getByRole('button', { name: 'Terminate' }).click();
      await pod.waitFor({ state: 'detached', timeout: 30_000 });
      assert.equal(fake.state.pods.size, 0, 'no pod is left alive on the fake');
    });
  });

  test('on GraphQL (airlock.pods.api): a spot pod from the palette, a warning when the account has no SSH key, terminate', async () => {
    await s.step('pods-graphql', async () => {
      const page = s.page;
      fake.control.setSshKeys([]);
      const vscodeDir = join(s.workspace.folder, '.vscode');
      mkdirSync(vscodeDir, { recursive: true });
      writeFileSync(join(vscodeDir, 'settings.json'), JSON.stringify({ 'airlock.pods.api': 'graphql', 'airlock.pods.budgetPerDay': 20 }));
      const quick = page.locator('.quick-input-widget');
      // The setting reaches the extension through the settings file watcher: retry the palette until GraphQL's spot offers show.
      const deadline = Date.now() + 60_000;
      for (;;) {
        await runCommand(page, 'Airlock: Create Pod…');
        await quick.getByRole('option').first().waitFor({ state: 'visible', timeout: 30_000 });
        if ((await quick.getByRole('option', { name: /· spot/ }).count()) > 0) break;
        await page.keyboard.press('Escape');
        if (Date.now() > deadline) throw new Error('the offer list never switched to GraphQL (no spot offers)');
        await page.waitForTimeout(1000);
      }
      assert.equal(await quick.getByRole('option', { name: /Spot \(interruptible\) pods need the GraphQL API/ }).count(), 0, 'no hint on GraphQL');
      await page.keyboard.type('4090');
      await quick
        .getByRole('option', { name: /4090.*· spot/ })
        .first()
        .click();
      await quick.getByText('Create Pod (2/3): name').waitFor({ state: 'visible', timeout: 10_000 });
      await quick.locator('input').first().fill('spot-4090');
      await page.keyboard.press('Enter');
      await quick.getByText('Create Pod (3/3): metadata (optional)').waitFor({ state: 'visible', timeout: 10_000 });
      await page.keyboard.press('Enter');
      await notification(page, /no SSH public key, so this pod will accept no SSH login/).waitFor({ state: 'visible', timeout: 30_000 });
      const pod = treeItem(page, 'Pods', /^airlock-spot-4090\b/);
      await pod.waitFor({ state: 'visible', timeout: 60_000 });
      await pod.filter({ hasText: /so far/ }).waitFor({ state: 'visible', timeout: 60_000 });
      assert.ok(
        fake.requests.some((r) => r.operationName === 'CreateSpotPod'),
        'rented through GraphQL podRentInterruptable',
      );
      assert.equal([...fake.state.pods.values()][0]!.podType, 'INTERRUPTABLE');
      await contextMenu(pod, /Terminate Pod/);
      const dialog = page.locator('.monaco-dialog-box');
      await dialog.waitFor({ state: 'visible', timeout: 10_000 });
      await dialog.getByRole('button', { name: 'Terminate' }).click();
      await pod.waitFor({ state: 'detached', timeout: 30_000 });
      assert.equal(fake.state.pods.size, 0, 'no pod is left alive on the fake');
    });
  });
});
