// The Matrix panel in the real workbench on the examples' tradeoff_matrix.csv: the table, a
// baseline with Δ% colours, sorting, and the scatter plot with its Pareto front.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startE2eSession, type E2eSession } from '../support/e2eSession';
import { openViewContainer, runCommand, screenshot, webviewFrame } from '../support/workbench';

describe('Matrix panel', { timeout: 240_000 }, () => {
  let s: E2eSession;
  before(async () => {
    s = await startE2eSession();
  });
  after(async () => {
    await s?.close();
  });

  test('opens a tradeoff_matrix.csv: sort, baseline Δ%, Pareto plot', async () => {
    await s.step('matrix', async () => {
      const page = s.page;
      // The extension's contributions are registered once its container shows up.
      await openViewContainer(page, 'Airlock');
      await runCommand(page, 'Airlock: Open Trade-off Matrix…');
      const quick = page.locator('.quick-input-widget');
      await quick.getByRole('option', { name: /results\/demo\/tradeoff_matrix\.csv/ }).click({ timeout: 20_000 });
      const frame = webviewFrame(page);
      const table = frame.getByRole('table', { name: 'Trade-off matrix' });
      await table.waitFor({ state: 'visible', timeout: 30_000 });
      await frame.getByText('24 rows · 28/28 columns').waitFor({ timeout: 10_000 });
      // Baseline: the uncompressed single-batch case; other rows show Δ% coloured by direction.
      await frame.getByRole('combobox', { name: 'Baseline row' }).selectOption('c0_o0_b1_s128');
      await frame.locator('.delta.good').first().waitFor({ timeout: 10_000 });
      assert.ok((await frame.locator('.delta.bad').count()) > 0, 'worse cells are marked too');
      // Sort by latency, ascending: the first row is the fastest.
      await frame.getByRole('columnheader', { name: /step_latency_ms/ }).click();
      const first = await frame.getByRole('row').nth(1).innerText();
      assert.match(first, /^c0_o0_b1_s128/);
      assert.match(
        (await frame.getByRole('img', { name: /Pareto front/ }).getAttribute('aria-label')) ?? '',
        /tx_wire_over_raw against step_latency_ms: [1-9]\d* rows on the Pareto front/,
      );
      // Another Y axis: latency against kilobytes sent.
      await frame.getByRole('combobox', { name: 'Plot Y axis' }).selectOption('send_kb');
      assert.match((await frame.getByRole('img', { name: /Pareto front/ }).getAttribute('aria-label')) ?? '', /send_kb against step_latency_ms: [1-9]\d* rows/);
      await screenshot(page, 'matrix', { docs: true });
    });
  });
});
