// What a researcher sees (issue #16, items 1–6), in one real workbench: the Matrix panel's headers
// stay over their columns whichever way it scrolls; the example matrix opens on latency against the
// wire ratio and says which file it is; a dry run leaves a real run's files alone and shows as a dry
// run; Airlock's .airlock/*.json open as JSON with comments (no problems); the Pods view names the
// demo endpoint and a missing key offers "Set RunPod API Key"; a worker's results reach the checkout.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FrameLocator, Page } from 'playwright-core';
import { startE2eSession, type E2eSession } from '../support/e2eSession';
import { startFakeRunpod, type FakeRunpod } from '../support/fakeRunpod/server';
import { notification, openViewContainer, runCommand, screenshot, soloView, treeItem, viewHeader, webviewFrame } from '../support/workbench';

/** Every header cell against the cells of its column in every rendered row: x-ranges equal to the pixel. */
async function misaligned(frame: FrameLocator): Promise<string[]> {
  return frame.locator('.table').evaluate((table) => {
    const heads = [...table.querySelectorAll('.th')].map((h) => h.getBoundingClientRect());
    const box = table.getBoundingClientRect();
    const bad: string[] = [];
    const rows = [...table.querySelectorAll('.tr')].filter((r) => {
      const b = r.getBoundingClientRect();
      return b.bottom > box.top && b.top < box.bottom;
    });
    if (!rows.length) bad.push('no row is in view');
    for (const [k, r] of rows.entries()) {
      const cells = [...r.querySelectorAll('.td')].map((c) => c.getBoundingClientRect());
      if (cells.length !== heads.length) bad.push(`row ${k}: ${cells.length} cells under ${heads.length} headers`);
      heads.forEach((h, i) => {
        const c = cells[i];
        if (c && (Math.abs(c.left - h.left) > 1 || Math.abs(c.right - h.right) > 1))
          bad.push(`row ${k} column ${i}: cell ${c.left.toFixed(0)}–${c.right.toFixed(0)} under header ${h.left.toFixed(0)}–${h.right.toFixed(0)}`);
      });
    }
    // The header is in view at the top of the scroll area whatever the scroll position.
    const head = table.querySelector('.thead')!.getBoundingClientRect();
    if (Math.abs(head.top - box.top) > 1) bad.push(`the header is at ${head.top}, the table at ${box.top}`);
    return bad;
  });
}

const scrollPos = (frame: FrameLocator) => frame.locator('.table').evaluate((t) => ({ left: t.scrollLeft, top: t.scrollTop }));

/** Every file under dir: relative path → bytes and mtime. */
function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(relative(dir, p), `${statSync(p).mtimeMs} ${readFileSync(p).toString('base64')}`);
    }
  };
  walk(dir);
  return out;
}

/** Each test starts from the Airlock side bar with no editor and no notification. */
async function fresh(page: Page): Promise<void> {
  await page.keyboard.press('Escape');
  await runCommand(page, 'View: Close All Editors');
  await runCommand(page, 'Notifications: Clear All Notifications');
  await openViewContainer(page, 'Airlock');
}

describe('What a researcher sees', { timeout: 420_000 }, () => {
  let s: E2eSession;
  let runpod: FakeRunpod;
  before(async () => {
    runpod = await startFakeRunpod({ apiKey: 'rp_e2e_key' });
    // The demo's environment, without a key: the Pods view starts on the "Set RunPod API Key" state.
    s = await startE2eSession({
      env: {
        AIRLOCK_RUNPOD_ENDPOINT: runpod.endpoint,
        AIRLOCK_RUNPOD_ENDPOINT_LABEL: 'demo endpoint',
        AIRLOCK_EXAMPLE_STEPS: '1',
        AIRLOCK_EXAMPLE_STEP_SEC: '0',
      },
    });
    await openViewContainer(s.page, 'Airlock');
  });
  after(async () => {
    await s?.close();
    await runpod?.close();
  });

  test('1, 3: the matrix scrolls as one table (Shift+wheel, scrollbar, wheel); default axes and the file note', async () => {
    await s.step('ux-matrix', async () => {
      const page = s.page;
      await runCommand(page, 'Airlock: Open Trade-off Matrix…');
      await page
        .locator('.quick-input-widget')
        .getByRole('option', { name: /results\/demo\/tradeoff_matrix\.csv/ })
        .click({ timeout: 20_000 });
      const frame = webviewFrame(page);
      const table = frame.getByRole('table', { name: 'Trade-off matrix' });
      await table.waitFor({ state: 'visible', timeout: 30_000 });
      await frame.getByText('24 rows · 28/28 columns').waitFor({ timeout: 10_000 });
      // Which file this is, and the compression trade-off on the plot.
      await frame
        .getByRole('note')
        .getByText(/^tradeoff_matrix\.csv: written by Collect/)
        .waitFor({ timeout: 10_000 });
      assert.match(
        (await frame.getByRole('img', { name: /Pareto front/ }).getAttribute('aria-label')) ?? '',
        /^tx_wire_over_raw against step_latency_ms: [1-9]/,
      );
      assert.deepEqual(await misaligned(frame), [], 'aligned before scrolling');

      const box = (await table.boundingBox())!;
      // Shift+wheel over the rows: sideways.
      await page.mouse.move(box.x + box.width / 2, box.y + box.height - 60);
      await page.keyboard.down('Shift');
      await page.mouse.wheel(0, 600);
      await page.keyboard.up('Shift');
      await page.waitForTimeout(300);
      const afterShift = await scrollPos(frame);
      assert.ok(afterShift.left > 100, `Shift+wheel scrolled sideways (${afterShift.left})`);
      assert.deepEqual(await misaligned(frame), [], 'aligned after Shift+wheel');
      await screenshot(page, 'matrix-scrolled');

      // The scrollbar: headless Chromium draws none to drag (it hides scrollbars), so move what the
      // scrollbar moves — the one scroll container's scrollLeft — as a drag would, then look.
      await frame.locator('.table').evaluate((t) => t.scrollTo({ left: t.scrollWidth }));
      await page.waitForTimeout(300);
      const afterBar = await scrollPos(frame);
      assert.ok(afterBar.left > afterShift.left + 50, `scrolled to the far right (${afterShift.left} → ${afterBar.left})`);
      assert.deepEqual(await misaligned(frame), [], 'aligned after the scrollbar');

      // Down: the header stays on top, over the right columns.
      await page.mouse.move(box.x + box.width / 2, box.y + box.height - 60);
      await page.mouse.wheel(0, 240);
      await page.waitForTimeout(300);
      assert.ok((await scrollPos(frame)).top > 0, 'the wheel scrolled down');
      assert.deepEqual(await misaligned(frame), [], 'aligned after scrolling down');
      await screenshot(page, 'matrix-scrolled-both', { docs: true });
    });
  });

  test('2: Dry-Run Sweep… leaves a real run untouched and shows as a dry run', async () => {
    await s.step('ux-dry-run', async () => {
      const page = s.page;
      await fresh(page);
      const root = join(s.workspace.folder, 'collected_runs');
      // A real run's results, as a sequenced run of sweeps/local_sweep.json leaves them.
      mkdirSync(join(root, 'demo'), { recursive: true });
      cpSync('examples/results/demo/tradeoff_matrix.csv', join(root, 'demo/sweep_matrix.csv'));
      for (const c of ['demo_000_baseline', 'demo_001_lossless', 'demo_002_offload_b4']) {
        mkdirSync(join(root, c), { recursive: true });
        writeFileSync(join(root, c, 'analysis_summary.txt'), `case ${c}\nmean_step_latency_ms: 37.39\n`);
        writeFileSync(join(root, c, 'inference.log'), 'STEP_LATENCY Latency=37.39ms\n');
      }
      const before = snapshot(root);
      await soloView(page, 'Sweeps');
      await runCommand(page, 'Airlock: Dry-Run Sweep…');
      await page
        .locator('.quick-input-widget')
        .getByRole('option', { name: /sweeps\/local_sweep\.json/ })
        .click({ timeout: 20_000 });
      const done = notification(
        page,
        /dry run of demo: 3 case\(s\) planned, nothing ran and no result was replaced — placeholders \(zeros\) in .*demo\.dry-run/,
      );
      await done.waitFor({ state: 'visible', timeout: 90_000 });
      assert.equal(await done.getByRole('button', { name: 'Open Matrix' }).count(), 0, 'a dry run offers no matrix');
      const run = treeItem(page, 'Sweeps', /^demo · local_sweep\.json/);
      await run.filter({ hasText: /dry run · sequenced · 3\/3 cases planned · nothing ran/ }).waitFor({ state: 'visible', timeout: 15_000 });
      assert.doesNotMatch(await run.innerText(), /· done ·/);
      await screenshot(page, 'sweep-dry-run', { docs: true });
      const afterRun = snapshot(root);
      for (const [p, was] of before) assert.equal(afterRun.get(p), was, `${p} is unchanged`);
      const added = [...afterRun.keys()].filter((p) => !before.has(p));
      assert.ok(added.length > 0, 'the placeholders were written');
      assert.deepEqual(
        added.filter((p) => !p.startsWith('demo.dry-run/') && p !== '.gitignore'),
        [],
        'nothing but placeholders (and the folder’s own .gitignore)',
      );
    });
  });

  test('5: .airlock/hosts.json and phases.json open as JSON with comments — the Problems panel stays empty', async () => {
    await s.step('ux-jsonc', async () => {
      const page = s.page;
      await fresh(page);
      for (const f of ['.airlock/hosts.json', '.airlock/phases.json']) {
        assert.match(readFileSync(join(s.workspace.folder, f), 'utf8'), /^\s*\/\//m, `${f} has comments (the test means something)`);
        await page.keyboard.press('Control+P');
        await page.locator('.quick-input-widget input').first().waitFor({ state: 'visible', timeout: 10_000 });
        await page.keyboard.type(f);
        await page
          .locator('.quick-input-widget .monaco-list-row')
          .filter({ hasText: f.split('/')[1]! })
          .first()
          .click({ timeout: 15_000 });
        await page
          .locator('.statusbar')
          .getByRole('button', { name: /JSON with Comments/ })
          .waitFor({ state: 'visible', timeout: 20_000 });
      }
      await runCommand(page, 'View: Focus Problems (Errors, Warnings, Infos)').catch(() => page.keyboard.press('Control+Shift+M'));
      const problems = page.locator('.markers-panel-container, .markers-panel');
      await problems.first().waitFor({ state: 'visible', timeout: 15_000 });
      // The JSON language server validates within a few seconds; give it time to report, then look.
      await page.waitForTimeout(4000);
      const text = await problems.first().innerText();
      assert.doesNotMatch(text, /Comments are not permitted/);
      assert.match(text, /No problems have been detected in the workspace/);
      await screenshot(page, 'jsonc-problems');
    });
  });

  test('4: the Pods view names the demo endpoint; a missing key offers "Set RunPod API Key", which sets it', async () => {
    await s.step('ux-pods', async () => {
      const page = s.page;
      await fresh(page);
      await soloView(page, 'Pods');
      await viewHeader(page, 'Pods').getByText('demo endpoint').waitFor({ state: 'visible', timeout: 15_000 });
      await runCommand(page, 'Airlock: Create Pod…');
      const toast = notification(page, /no RunPod API key/);
      await toast.waitFor({ state: 'visible', timeout: 20_000 });
      await screenshot(page, 'pods-no-key');
      await toast.getByRole('button', { name: 'Set RunPod API Key' }).click();
      const input = page.locator('.quick-input-widget input');
      await input.first().waitFor({ state: 'visible', timeout: 10_000 });
      await input.first().fill(runpod.apiKey);
      await page.keyboard.press('Enter');
      // With the key, Create Pod lists the fake's offers, and its title names the demo endpoint.
      await runCommand(page, 'Airlock: Create Pod…');
      await page
        .locator('.quick-input-widget')
        .getByText(/Create Pod \(1\/3\) on the demo endpoint: GPU offer/)
        .waitFor({ state: 'visible', timeout: 30_000 });
      await screenshot(page, 'pods-demo-endpoint', { docs: true });
      await page.keyboard.press('Escape');
    });
  });

  test('6: after a worker run here, the clean checkout has the results (fast-forwarded)', async () => {
    await s.step('ux-fast-forward', async () => {
      const page = s.page;
      await fresh(page);
      const folder = s.workspace.folder;
      const gitOut = (...args: string[]) => execFileSync('git', args, { cwd: folder, encoding: 'utf8' }).trim();
      // The dry run's collected_runs/ is ignored by its own .gitignore: the tree is clean.
      assert.equal(gitOut('status', '--porcelain'), '', 'the workspace is clean before the worker runs');
      await soloView(page, 'Phases');
      await runCommand(page, 'Airlock: Generate Phase TODO Lists');
      await treeItem(page, 'Phases', /^smoke\b.*0\/12/).waitFor({ state: 'visible', timeout: 30_000 });
      await runCommand(page, 'Airlock: Start Phase Worker Here');
      await notification(page, /your checkout now has the worker's results — fast-forwarded \d+ commits? from origin\/main/).waitFor({
        state: 'visible',
        timeout: 180_000,
      });
      assert.equal(gitOut('rev-list', '--count', 'HEAD..@{u}'), '0', 'the checkout is not behind');
      assert.ok(
        readdirSync(join(folder, 'data/runs')).some((f) => f.endsWith('.json')),
        'the results are in the checkout',
      );
      await screenshot(page, 'phases-fast-forward');
    });
  });
});
