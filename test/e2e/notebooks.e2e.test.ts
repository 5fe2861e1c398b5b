// Notebook dispatch in the real workbench, with the packaged extension, against the fake Google
// Drive and the fake Colab page: the service-account key through VS Code's file dialog, Dispatch
// Notebook… from the palette (notebook, Colab, the parameter form, GPU), the run live in the
// Notebooks view and Live Logs, then a result file downloaded and opened by a click.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { chromiumPath } from '../support/browser';
import { startE2eSession, type E2eSession } from '../support/e2eSession';
import { startFakeColab, type FakeColab } from '../support/fakeColab/server';
import { startFakeDrive, type FakeDrive } from '../support/fakeDrive/server';
import { jupyterSkipReason, startJupyter, type JupyterTestServer } from '../support/jupyterServer';
import { openViewContainer, runCommand, screenshot, soloView, treeItem, webviewFrame, widenSidebar } from '../support/workbench';

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
      });
    },
  );
});
