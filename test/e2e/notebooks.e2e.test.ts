// Notebook dispatch in the real workbench, with the packaged extension, against the fake Google
// Drive and the fake Colab page: the service-account key through VS Code's file dialog, Dispatch
// Notebook… from the palette (notebook, Colab, the parameter form, GPU), the run live in the
// Notebooks view and Live Logs, then a result file downloaded and opened by a click.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { chromiumPath } from '../support/browser';
import { startE2eSession, type E2eSession } from '../support/e2eSession';
import { startFakeColab, type FakeColab } from '../support/fakeColab/server';
import { startFakeDrive, type FakeDrive } from '../support/fakeDrive/server';
import { jupyterSkipReason, startJupyter, type JupyterTestServer } from '../support/jupyterServer';
import type { Locator } from 'playwright-core';
import { contextMenu, openViewContainer, runCommand, screenshot, soloView, treeItem, webviewFrame, widenSidebar } from '../support/workbench';

/** The row's accessible text every 700 ms until it matches `until` (or 90 s pass). */
async function sampleRow(row: Locator, until: RegExp): Promise<string[]> {
  const seen: string[] = [];
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    const t = (await row.getAttribute('aria-label', { timeout: 2000 }).catch(() => null)) ?? '';
    if (t) seen.push(t);
    if (until.test(t)) break;
    await new Promise((r) => setTimeout(r, 700));
  }
  return seen;
}

describe('Notebooks view with the fake Drive and Colab page', { timeout: 300_000 }, () => {
  let s: E2eSession;
  let drive: FakeDrive;
  let colab: FakeColab;
  let dir: string;
  let keyFile: string;
  let jupyter: JupyterTestServer | undefined;
  before(async () => {
    // A Jupyter server running on this machine: Airlock finds it through its runtime file.
    jupyter = jupyterSkipReason() ? undefined : await startJupyter();
    drive = await startFakeDrive();
    colab = await startFakeColab(drive);
    colab.scenario.cellMs = 2000; // slow enough to watch it run: Airlock reads the status every 5 s
    dir = mkdtempSync(join(tmpdir(), 'airlock-e2e-colab-'));
    keyFile = join(dir, 'drive-key.json');
    writeFileSync(keyFile, drive.oauth.serviceAccountKey());
    s = await startE2eSession({
      env: {
        DISPLAY: '',
        WAYLAND_DISPLAY: '',
        AIRLOCK_DRIVE_ROOT_URL: drive.rootUrl,
        AIRLOCK_COLAB_URL: colab.url,
        AIRLOCK_CHROME: chromiumPath,
        ...(jupyter ? { JUPYTER_RUNTIME_DIR: jupyter.runtimeDir } : {}),
      },
    });
  });
  after(async () => {
    await s?.close();
    await colab?.close();
    await drive?.close();
    await jupyter?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('dispatch a template to Colab from the palette and watch it in the Notebooks view', async () => {
    await s.step('notebooks', async () => {
      const page = s.page;
      const quick = page.locator('.quick-input-widget');
      const input = quick.locator('input').first();
      await openViewContainer(page, 'Airlock');
      await soloView(page, 'Notebooks');

      // The key goes in through VS Code's own file dialog (the simple dialog in a browser).
      await runCommand(page, 'Airlock: Set Google Drive Service-Account Key…');
      // The dialog fills in the workspace folder once it has listed it: type the path after that.
      await quick
        .getByRole('option', { name: /^notebooks\b/ })
        .first()
        .waitFor({ state: 'visible', timeout: 15_000 });
      await input.fill(keyFile);
      await quick
        .getByRole('option', { name: /drive-key\.json/ })
        .first()
        .waitFor({ state: 'visible', timeout: 10_000 });
      assert.equal(await input.inputValue(), keyFile);
      await quick.getByRole('button', { name: 'OK' }).click();
      await page
        .locator('.notifications-toasts')
        .getByText(/will use airlock-test@airlock-fake\.iam\.gserviceaccount\.com/)
        .waitFor({ state: 'visible', timeout: 20_000 });

      await runCommand(page, 'Airlock: Dispatch Notebook…');
      await quick
        .getByRole('option', { name: /quick_check_template\.ipynb/ })
        .first()
        .click({ timeout: 20_000 });
      await quick
        .getByRole('option', { name: /Google Colab/ })
        .first()
        .click({ timeout: 10_000 });
      // The parameter form: change STEPS, then accept.
      await quick
        .getByRole('option', { name: /^STEPS\b/ })
        .first()
        .click({ timeout: 10_000 });
      await input.fill('6');
      await page.keyboard.press('Enter');
      const steps = quick.getByRole('option', { name: /^STEPS\b/ }).first();
      await steps.waitFor({ state: 'visible', timeout: 10_000 });
      assert.match(await steps.innerText(), /● = 6/);
      await quick
        .getByRole('option', { name: /Dispatch with these values/ })
        .first()
        .click();
      await quick.getByRole('option', { name: /^T4\b/ }).first().click({ timeout: 10_000 });

      const run = treeItem(page, 'Notebooks', /^quick_check_template\.ipynb\b/);
      await run.filter({ hasText: /running · cell/ }).waitFor({ state: 'visible', timeout: 60_000 });
      // One progress model (#16 item 10): the row is sampled while the run goes on — it never shows
      // more cells done than the notebook has, and its elapsed time ticks between status reads.
      const progress = sampleRow(run, /\b(done|failed)\b/);
      await page
        .locator('.statusbar')
        .getByText(/Notebook quick_check_template\.ipynb|1 job/)
        .first()
        .waitFor({ state: 'visible', timeout: 10_000 });
      const log = webviewFrame(page).getByRole('log', { name: 'Log lines' });
      await log
        .getByText(/uploaded to Drive/)
        .first()
        .waitFor({ state: 'visible', timeout: 30_000 });
      // The notebook's own output, tailed from Drive while it runs.
      await log
        .getByText(/^Airlock: run quick_check_template-\d{8}-\d{6} reports to /)
        .first()
        .waitFor({ state: 'visible', timeout: 30_000 });
      await run.filter({ hasText: /done/ }).waitFor({ state: 'visible', timeout: 60_000 });
      assert.match(await run.innerText(), /Colab · T4 · done · cell (\d+)\/\1/);
      const seen = await progress;
      const running = seen.filter((t) => /running · cell/.test(t));
      assert.ok(running.length >= 3, `the row was seen running: ${seen.join(' | ')}`);
      for (const t of seen) {
        const [, m, n] = /cell (\d+)\/(\d+)/.exec(t) ?? [];
        if (m) assert.ok(Number(m) <= Number(n), `never above cell N/N: ${t}`);
      }
      const elapsed = new Set(running.map((t) => t.split(' · ').at(-1)));
      assert.ok(elapsed.size >= 3, `elapsed time ticks while it runs: ${running.join(' | ')}`);
      // The twistie, not the label: a click on the label shows the run's log (and takes the focus).
      if ((await run.getAttribute('aria-expanded')) !== 'true') await run.locator('.monaco-tl-twistie').click();
      await treeItem(page, 'Notebooks', /^Results folder on Drive/).waitFor({ state: 'visible', timeout: 10_000 });
      const result = treeItem(page, 'Notebooks', /^results\.json/);
      await result.waitFor({ state: 'visible', timeout: 10_000 });
      await widenSidebar(page, 240);
      await screenshot(page, 'notebooks', { docs: true });

      // A click downloads the file into colab_runs/<run>/ and opens it.
      await result.click();
      await page
        .locator('.part.editor')
        .getByRole('tab', { name: /results\.json/ })
        .waitFor({ state: 'visible', timeout: 30_000 });
      await page.locator('.part.editor .view-lines').getByText('"accuracy"').first().waitFor({ state: 'visible', timeout: 10_000 });
      const uploaded = [...drive.store.files.values()].find((f) => f.name === 'quick_check_template.ipynb');
      assert.match(uploaded?.content?.toString() ?? '', /STEPS = 6 #@param/, 'the form value reached the uploaded notebook');
    });
  });

  test(
    'the Jupyter server running on this machine is offered as a target; the quick check runs there with its output live',
    { skip: jupyterSkipReason() },
    async () => {
      await s.step('notebooks-local', async () => {
        const page = s.page;
        const quick = page.locator('.quick-input-widget');
        await runCommand(page, 'Airlock: Dispatch Notebook…');
        await quick
          .getByRole('option', { name: /quick_check_template\.ipynb/ })
          .first()
          .click({ timeout: 20_000 });
        await quick
          .getByRole('option', { name: /running on this machine/ })
          .first()
          .click({ timeout: 10_000 });
        await quick
          .getByRole('option', { name: /^STEPS\b/ })
          .first()
          .click({ timeout: 10_000 });
        await quick.locator('input').first().fill('2');
        await page.keyboard.press('Enter');
        await quick
          .getByRole('option', { name: /Dispatch with these values/ })
          .first()
          .click({ timeout: 10_000 });
        const run = treeItem(page, 'Notebooks', /^quick_check_template\.ipynb\b.*this machine/);
        await run.filter({ hasText: /done/ }).waitFor({ state: 'visible', timeout: 90_000 });
        const log = webviewFrame(page).getByRole('log', { name: 'Log lines' });
        await log
          .getByText(/^smoke: 2 steps \(fast\)/)
          .first()
          .waitFor({ state: 'visible', timeout: 10_000 });
        await log
          .getByText(/^step 2\/2/)
          .first()
          .waitFor({ state: 'visible', timeout: 10_000 });

        // #16 item 11. What the run wrote on the server is listed under it.
        if ((await run.getAttribute('aria-expanded')) !== 'true') await run.locator('.monaco-tl-twistie').click();
        const written = treeItem(page, 'Notebooks', /^quick_check_results\/results\.json\b/);
        await written.waitFor({ state: 'visible', timeout: 15_000 });
        // Download Results is on the run's context menu and fetches those files into the workspace.
        await contextMenu(run, /Download Results/);
        await page
          .locator('.notifications-toasts')
          .getByText(/\d+ files? of quick_check_template\.ipynb in /)
          .waitFor({ state: 'visible', timeout: 30_000 });
        const downloaded = treeItem(page, 'Notebooks', /^Downloaded to /);
        await downloaded.waitFor({ state: 'visible', timeout: 10_000 });
        const folder = /^Downloaded to (\S+)/.exec((await downloaded.getAttribute('aria-label')) ?? '')?.[1];
        assert.ok(folder, 'the row names the folder');
        const local = JSON.parse(readFileSync(join(s.workspace.folder, folder, 'quick_check_results', 'results.json'), 'utf8'));
        assert.deepEqual([local.steps, local.losses], [2, [1, 0.5]], 'the file the notebook wrote, byte for byte from the server');

        // Run Again opens its target pick on this run's own server, not on Colab.
        await contextMenu(run, /Run Again/);
        const first = quick.getByRole('option').first();
        await first.waitFor({ state: 'visible', timeout: 10_000 });
        assert.match(await first.innerText(), /running on this machine[\s\S]*this run’s target|this run’s target[\s\S]*running on this machine/);
        assert.doesNotMatch(await first.innerText(), /Colab/);
        await page.keyboard.press('Enter');
        // Two runs of one notebook on one server: their rows tell apart.
        const runs = treeItem(page, 'Notebooks', /^quick_check_template\.ipynb\b.*this machine.*done/);
        await runs.nth(1).waitFor({ state: 'visible', timeout: 90_000 });
        const labels = await runs.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
        const names = labels.map((l) => l.split(' this machine')[0]);
        assert.equal(new Set(names).size, names.length, `run labels are unique: ${labels.join(' | ')}`);
        await screenshot(page, 'notebooks-jupyter');
      });
    },
  );
});
