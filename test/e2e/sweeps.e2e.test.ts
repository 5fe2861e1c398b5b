// A live sweep in the real workbench: the examples' local sweep started from the palette, the
// Sweeps view with cases and roles (host, PID) while it runs, the progress in the status bar, and
// the resulting sweep matrix opened in the Matrix panel.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startE2eSession, type E2eSession } from '../support/e2eSession';
import { openViewContainer, runCommand, screenshot, soloView, treeItem, webviewFrame, widenSidebar } from '../support/workbench';

describe('Sweeps view', { timeout: 300_000 }, () => {
  let s: E2eSession;
  before(async () => {
    s = await startE2eSession({ env: { STEP_SLEEP: '0.1' } });
  });
  after(async () => {
    await s?.close();
  });

  test('a live sweep in the sidebar, then its matrix', async () => {
    await s.step('sweeps', async () => {
      const page = s.page;
      await openViewContainer(page, 'Airlock');
      await soloView(page, 'Sweeps');
      await runCommand(page, 'Airlock: Run Sweep…');
      await page
        .locator('.quick-input-widget')
        .getByRole('option', { name: /sweeps\/local_sweep\.json/ })
        .click({ timeout: 20_000 });
      await treeItem(page, 'Sweeps', /^demo · local_sweep\.json/).waitFor({ state: 'visible', timeout: 30_000 });
      // Mid-run: a case runs; its roles show host, PID and state.
      const active = treeItem(page, 'Sweeps', /^00\d .* running/).first();
      await active.waitFor({ state: 'visible', timeout: 60_000 });
      if ((await active.getAttribute('aria-expanded')) === 'false') await active.click();
      const client = treeItem(page, 'Sweeps', /^client\b.*local.* · running/);
      await client.first().waitFor({ state: 'visible', timeout: 60_000 });
      await page
        .locator('.statusbar')
        .getByText(/Sweep \d\/3 · /)
        .waitFor({ state: 'visible', timeout: 10_000 });
      await client.first().click(); // shows the client's live log
      await webviewFrame(page)
        .getByRole('log', { name: 'Log lines' })
        .getByText(/STEP_LATENCY|step/i)
        .first()
        .waitFor({ timeout: 20_000 });
      await widenSidebar(page, 260);
      await screenshot(page, 'sweeps', { docs: true });
      const run = treeItem(page, 'Sweeps', /^demo · local_sweep\.json/);
      await run.filter({ hasText: /3\/3 cases · done/ }).waitFor({ state: 'visible', timeout: 120_000 });
      await treeItem(page, 'Sweeps', /^sweep_matrix\.csv/).click();
      await webviewFrame(page).getByRole('table', { name: 'Trade-off matrix' }).waitFor({ state: 'visible', timeout: 30_000 });
      assert.match(
        await webviewFrame(page)
          .getByText(/3 rows · \d+\/21 columns/)
          .innerText(),
        /3 rows/,
      );
    });
  });
});
