// Clicks through the real workbench with the packaged extension, like a newcomer opening examples/.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startE2eSession, type E2eSession } from '../support/e2eSession';
import { openViewContainer, runCommand, screenshot, treeItem, viewHeader, webviewFrame } from '../support/workbench';

describe('workbench with the packaged Airlock extension', { timeout: 240_000 }, () => {
  let s: E2eSession;
  before(async () => {
    s = await startE2eSession();
  });
  after(async () => {
    await s?.close();
  });

  test('the Airlock activity bar item shows the Phases, Hosts and Pods views', async () => {
    await s.step('views', async () => {
      await openViewContainer(s.page, 'Airlock');
      for (const view of ['Phases', 'Hosts', 'Pods']) {
        await viewHeader(s.page, view).waitFor({ state: 'visible', timeout: 15_000 });
        assert.equal(await viewHeader(s.page, view).isVisible(), true, `${view} view is not visible`);
      }
    });
  });

  test('Hosts lists this machine as `local`', async () => {
    await s.step('hosts', async () => {
      await openViewContainer(s.page, 'Airlock');
      const local = treeItem(s.page, 'Hosts', /^local\b/);
      await local.waitFor({ state: 'visible', timeout: 30_000 });
      assert.equal(await local.count(), 1, 'exactly one `local` host');
      // The probe's facts replace "probing…": free disk is reported on every machine, GPU or not.
      await local.filter({ hasText: /free/ }).waitFor({ state: 'visible', timeout: 30_000 });
      assert.match(await local.innerText(), /free/);
      await screenshot(s.page, 'hosts', { docs: true });
    });
  });

  test('"Airlock: Show Live Logs" from the command palette opens the Live Logs panel', async () => {
    await s.step('live-logs', async () => {
      await runCommand(s.page, 'Airlock: Show Live Logs');
      const tab = s.page.locator('.part.editor').getByRole('tab', { name: /Live Logs/ });
      await tab.waitFor({ state: 'visible', timeout: 20_000 });
      // The panel's own document loaded (not just an empty frame).
      await webviewFrame(s.page).locator('body *').first().waitFor({ state: 'attached', timeout: 20_000 });
      await screenshot(s.page, 'live-logs', { docs: true });
    });
  });
});
