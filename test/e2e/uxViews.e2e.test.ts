// What a researcher sees, in the real workbench (issue 16, items 8–12): the side bar opens with
// Hosts expanded and the rest folded in a sensible order; Live Logs files a sweep's streams under
// the run and its cases, with timestamps, wrap and stderr / Airlock messages in their own colours;
// the status-bar job ticks and its picker cancels; the palette's small rough edges (Add Host's
// name for 127.0.0.1, Clear Finished asking, a pod command without a key, `cp` for local roles).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { startE2eSession, type E2eSession } from '../support/e2eSession';
import { notification, openViewContainer, runCommand, screenshot, soloView, treeItem, viewHeader, webviewFrame } from '../support/workbench';

const quick = (page: Page) => page.locator('.quick-input-widget');

/** Runs a shell command on `local` from the palette (its output streams into Live Logs). */
async function runOnLocal(page: Page, command: string): Promise<void> {
  await runCommand(page, 'Airlock: Run Command on Host');
  await quick(page)
    .getByRole('option', { name: /^local\b/ })
    .first()
    .click({ timeout: 15_000 });
  const input = quick(page).locator('input').first();
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  await input.fill(command);
  await page.keyboard.press('Enter');
}

describe('what a researcher sees: views, Live Logs, status bar, palette', { timeout: 300_000 }, () => {
  let s: E2eSession;
  before(async () => {
    s = await startE2eSession({ env: { STEP_SLEEP: '0.1' } });
  });
  after(async () => {
    await s?.close();
  });

  test('the side bar opens with Hosts expanded, the other views folded, in the order Hosts, Sweeps, Phases, Pods, Notebooks', async () => {
    await s.step('ux-views-layout', async () => {
      const sidebar = await openViewContainer(s.page, 'Airlock');
      await viewHeader(s.page, 'Hosts').waitFor({ state: 'visible', timeout: 15_000 });
      await treeItem(s.page, 'Hosts', /^local\b/).waitFor({ state: 'visible', timeout: 30_000 });
      const headers = await sidebar
        .locator('.pane-header')
        .evaluateAll((els) =>
          els.map((e) => ({ name: (e.getAttribute('aria-label') ?? '').replace(/ Section$/, ''), expanded: e.getAttribute('aria-expanded') })),
        );
      assert.deepEqual(
        headers.map((h) => h.name),
        ['Hosts', 'Sweeps', 'Phases', 'Pods', 'Notebooks'],
      );
      assert.deepEqual(
        headers.map((h) => h.expanded),
        ['true', 'false', 'false', 'false', 'false'],
        'only Hosts is expanded',
      );
      await screenshot(s.page, 'ux-views-sidebar');
    });
  });

  test('Live Logs groups a sweep by run and case, and prints `cp` (not `scp local:`) for local roles', async () => {
    await s.step('ux-views-logs-groups', async () => {
      const page = s.page;
      await openViewContainer(page, 'Airlock');
      await soloView(page, 'Sweeps');
      await runCommand(page, 'Airlock: Run Sweep…');
      await quick(page)
        .getByRole('option', { name: /sweeps\/local_sweep\.json/ })
        .click({ timeout: 20_000 });
      const run = treeItem(page, 'Sweeps', /^demo · local_sweep\.json/);
      await run.filter({ hasText: /3\/3 cases · done/ }).waitFor({ state: 'visible', timeout: 150_000 });
      await runCommand(page, 'Airlock: Show Live Logs');
      const frame = webviewFrame(page);
      const streams = frame.getByRole('listbox', { name: 'Log streams' });
      const runGroup = streams.getByRole('group', { name: /^sweep run: sweeps\/local_sweep\.json · / });
      await runGroup.waitFor({ state: 'visible', timeout: 20_000 });
      // Three cases under the run, each with its roles; names are unique and no longer repeat the case.
      const cases = runGroup.getByRole('group');
      assert.equal(await cases.count(), 3, 'one group per case');
      const firstCase = cases.first();
      const roles = await firstCase.getByRole('option').evaluateAll((els) => els.map((e) => e.querySelector('.title')?.textContent ?? ''));
      assert.ok(roles.includes('client@local'), `a case lists its client: ${roles.join(', ')}`);
      assert.equal(new Set(roles).size, roles.length, 'names are unique within a case');
      // The transcript: what ran for a local role is a copy, never ssh/scp to a host named "local".
      await runGroup.getByRole('option', { name: /^transcript\b/ }).click();
      const log = frame.getByRole('log', { name: 'Log lines' });
      await frame.getByRole('textbox', { name: 'Filter lines' }).fill('$ ');
      await log
        .getByText(/\$ cp /)
        .first()
        .waitFor({ state: 'visible', timeout: 20_000 });
      const shown = await log.innerText();
      assert.ok(!/\bscp local:|\bssh local\b/.test(shown), `no ssh/scp to "local":\n${shown.slice(0, 400)}`);
      await frame.getByRole('textbox', { name: 'Filter lines' }).fill('');
      // A folded group hides its streams.
      await firstCase.getByRole('button').first().click();
      await runGroup.getByRole('group').first().getByRole('option').first().waitFor({ state: 'detached', timeout: 5_000 });
      await screenshot(page, 'ux-views-live-logs-groups');
    });
  });

  test('Live Logs: stderr and Airlock messages in their own colours, timestamps and wrap toggles', async () => {
    await s.step('ux-views-logs-toggles', async () => {
      const page = s.page;
      const long = 'x'.repeat(400);
      await runOnLocal(page, `echo plain-out; echo to-stderr >&2; echo ${long}; exit 3`);
      const frame = webviewFrame(page);
      const log = frame.getByRole('log', { name: 'Log lines' });
      await log.getByText(/\[airlock\] exited with 3/).waitFor({ state: 'visible', timeout: 30_000 });
      const colour = (text: RegExp) =>
        log
          .locator('.row')
          .filter({ hasText: text })
          .locator('.text')
          .first()
          .evaluate((e) => (globalThis as unknown as { getComputedStyle(x: unknown): { color: string } }).getComputedStyle(e).color);
      const [plain, stderr, airlock] = [await colour(/plain-out/), await colour(/to-stderr/), await colour(/\[airlock\] exited/)];
      assert.notEqual(stderr, plain, 'stderr differs from stdout');
      assert.notEqual(airlock, plain, "Airlock's message differs from stdout");
      assert.notEqual(airlock, stderr, "Airlock's message differs from stderr");
      // Timestamps: off by default, then each row shows the time it arrived.
      const ts = log
        .locator('.row')
        .filter({ hasText: /plain-out/ })
        .locator('.ts');
      assert.equal(await ts.isVisible(), false);
      await frame.getByRole('button', { name: 'Show timestamps' }).click();
      await ts.waitFor({ state: 'visible', timeout: 5_000 });
      assert.match(await ts.innerText(), /^\d\d:\d\d:\d\d\.\d{3}$/);
      // Wrap: the 400-character line takes several lines' height instead of running off to the right.
      const longRow = log.locator('.row').filter({ hasText: /xxxxxxxxxx/ });
      const before = (await longRow.boundingBox())!.height;
      await frame.getByRole('button', { name: 'Wrap long lines' }).click();
      await page.waitForFunction(() => true);
      const deadline = Date.now() + 5_000;
      let after = before;
      while (after <= before * 1.5 && Date.now() < deadline) {
        after = (await longRow.boundingBox())!.height;
        await page.waitForTimeout(100);
      }
      assert.ok(after > before * 1.5, `the long line wraps (height ${before} → ${after})`);
      assert.equal(await frame.getByRole('button', { name: 'Wrap long lines' }).getAttribute('aria-pressed'), 'true');
      await screenshot(page, 'ux-views-live-logs-toggles', { docs: true });
      await frame.getByRole('button', { name: 'Wrap long lines' }).click();
      await frame.getByRole('button', { name: 'Show timestamps' }).click();
    });
  });

  test('the status-bar job ticks while it runs, and its picker cancels it with a button', async () => {
    await s.step('ux-views-job-picker', async () => {
      const page = s.page;
      await runOnLocal(page, 'echo started; sleep 120');
      const job = page.locator('.statusbar').getByRole('button', { name: /local: echo started; sleep 120/ });
      await job.waitFor({ state: 'visible', timeout: 20_000 });
      const first = await job.innerText();
      // The elapsed time moves on by itself (no new output arrives while `sleep` runs).
      await page
        .locator('.statusbar')
        .getByRole('button', { name: /local: echo started; sleep 120/ })
        .filter({ hasNotText: first })
        .waitFor({ state: 'visible', timeout: 10_000 });
      assert.match(await job.innerText(), / · \d+s$/);
      await job.click();
      const row = quick(page).getByRole('option', { name: /local: echo started; sleep 120/ });
      await row.waitFor({ state: 'visible', timeout: 10_000 });
      await screenshot(page, 'ux-views-job-picker');
      await row.hover();
      await row.getByRole('button', { name: 'Cancel Job' }).click();
      await job.waitFor({ state: 'hidden', timeout: 20_000 });
      await webviewFrame(page)
        .getByRole('log', { name: 'Log lines' })
        .getByText(/\[airlock\] cancelled/)
        .waitFor({ state: 'visible', timeout: 20_000 });
    });
  });

  test('Add Host proposes "localhost" for 127.0.0.1; a pod command without a key offers to set one', async () => {
    await s.step('ux-views-palette', async () => {
      const page = s.page;
      await runCommand(page, 'Airlock: Add Host…');
      const input = quick(page).locator('input').first();
      await input.waitFor({ state: 'visible', timeout: 10_000 });
      await input.fill('me@127.0.0.1');
      await page.keyboard.press('Enter');
      await quick(page)
        .getByText(/Add Host \(2\/3\): name/)
        .waitFor({ state: 'visible', timeout: 10_000 });
      assert.equal(await input.inputValue(), 'localhost');
      await page.keyboard.press('Escape');
      await runCommand(page, 'Airlock: Stop Pod');
      const toast = notification(page, /RunPod API key/i);
      await toast.waitFor({ state: 'visible', timeout: 20_000 });
      assert.ok(await toast.getByRole('button', { name: /Set .*API Key/ }).isVisible(), 'the error offers to set the key');
      assert.equal(await notification(page, /no matching pod/).count(), 0);
      await screenshot(page, 'ux-views-no-key');
    });
  });

  test('Clear Finished Sweeps asks first and says what it cleared', async () => {
    await s.step('ux-views-clear-sweeps', async () => {
      const page = s.page;
      await page.keyboard.press('Escape');
      await runCommand(page, 'Airlock: Clear Finished Sweeps');
      const dialog = page.locator('.monaco-dialog-box');
      await dialog.waitFor({ state: 'visible', timeout: 10_000 });
      assert.match(await dialog.innerText(), /Clear 1 finished sweep from the Sweeps view\?/);
      await dialog.getByRole('button', { name: 'Clear' }).click();
      await notification(page, /cleared 1 finished sweep/).waitFor({ state: 'visible', timeout: 10_000 });
      await openViewContainer(page, 'Airlock');
      await soloView(page, 'Sweeps');
      await treeItem(page, 'Sweeps', /^demo · local_sweep\.json/).waitFor({ state: 'detached', timeout: 10_000 });
    });
  });
});
