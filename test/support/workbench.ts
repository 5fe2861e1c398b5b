// Playwright helpers for UI tests in the real workbench (code-server + Chromium). Locators follow
// what a user sees: roles and accessible names, not VS Code's internal class names, wherever the
// workbench exposes them.
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { resultsDir, viewport } from './browser';
import { repoRoot } from './codeServer';

export const screenshotsDir = join(repoRoot, 'docs/screenshots');

/** The URL that opens `folder` in the workbench served at `serverUrl`. */
export function workbenchUrl(serverUrl: string, folder: string): string {
  return `${serverUrl}/?folder=${encodeURIComponent(folder)}`;
}

/** Opens the workbench and waits until its activity bar and status bar are on screen. */
export async function openWorkbench(page: Page, serverUrl: string, folder: string, timeoutMs = 60_000): Promise<void> {
  await page.goto(workbenchUrl(serverUrl, folder));
  await waitForWorkbench(page, timeoutMs);
}

export async function waitForWorkbench(page: Page, timeoutMs = 60_000): Promise<void> {
  await page.locator('.monaco-workbench .part.activitybar').waitFor({ state: 'visible', timeout: timeoutMs });
  await page.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible', timeout: timeoutMs });
}

/** The activity bar item of a view container (e.g. "Airlock"). */
export function activityBarItem(page: Page, title: string | RegExp): Locator {
  return page.locator('.part.activitybar').getByRole('tab', { name: title });
}

/** Shows a view container in the side bar; returns the side bar. */
export async function openViewContainer(page: Page, title: string, timeoutMs = 30_000): Promise<Locator> {
  const item = activityBarItem(page, new RegExp(`^${escapeRegExp(title)}`));
  await item.waitFor({ state: 'visible', timeout: timeoutMs });
  // Clicking an already active container would hide the side bar: only click when it is not shown.
  const sidebar = page.locator('.part.sidebar');
  const heading = sidebar.getByRole('heading', { name: title, exact: true, level: 2 });
  if (!(await heading.isVisible())) await item.click();
  await heading.waitFor({ state: 'visible', timeout: timeoutMs });
  return sidebar;
}

/** The header of a view in the side bar (VS Code names it "<View> Section"). */
export function viewHeader(page: Page, viewName: string): Locator {
  return page.locator('.part.sidebar').getByRole('button', { name: sectionName(viewName) });
}

/** A view header's accessible name: "Pods Section", or with the view's description "Pods demo endpoint Section". */
function sectionName(viewName: string): RegExp {
  return new RegExp(`^${viewName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}( .*)? Section$`);
}

const airlockViews = ['Phases', 'Sweeps', 'Hosts', 'Pods', 'Notebooks'];

/**
 * Gives `viewName` the whole Airlock side bar: expands it and folds every other Airlock view,
 * checking until each header says so (a view still being created ignores an early click).
 */
export async function soloView(page: Page, viewName: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let settled = true;
    for (const v of airlockViews) {
      const header = viewHeader(page, v);
      await header.waitFor({ state: 'visible', timeout: timeoutMs });
      const expanded = (await header.getAttribute('aria-expanded')) === 'true';
      if (expanded !== (v === viewName)) {
        settled = false;
        // Near the twistie: the middle of an expanded header can be one of its action buttons.
        await header.click({ position: { x: 12, y: 10 } });
      }
    }
    if (settled) return;
    if (Date.now() > deadline) throw new Error(`could not give the side bar to ${viewName}`);
    await page.waitForTimeout(200);
  }
}

/** The pane (header + body) of a view in the side bar. */
export function viewPane(page: Page, viewName: string): Locator {
  // `has` is evaluated inside each pane, so the header locator must not repeat the side bar scope.
  const header = page.getByRole('button', { name: sectionName(viewName) });
  return page.locator('.part.sidebar .pane').filter({ has: header });
}

/** A tree item in a view, by its accessible name (label, or a regular expression over label + description). */
export function treeItem(page: Page, viewName: string, name: string | RegExp): Locator {
  return viewPane(page, viewName).getByRole('treeitem', { name });
}

/** Runs an item of a row's context menu the way a user does: hover it, then Enter (a click on the item does not reach code-server's menu). */
export async function contextMenu(row: Locator, item: RegExp, timeoutMs = 10_000): Promise<void> {
  await row.click({ button: 'right' });
  await row.page().locator('.context-view').getByRole('menuitem', { name: item }).hover({ timeout: timeoutMs });
  await row.page().keyboard.press('Enter');
}

/** Opens the command palette with F1 and runs the command whose title is `title` (e.g. "Airlock: Show Live Logs"). */
export async function runCommand(page: Page, title: string, timeoutMs = 15_000): Promise<void> {
  const widget = page.locator('.quick-input-widget');
  const input = widget.getByRole('combobox').or(page.locator('.quick-input-widget input'));
  await page.keyboard.press('F1');
  await input.first().waitFor({ state: 'visible', timeout: timeoutMs });
  await input.first().fill(`>${title}`);
  // Click the row whose accessible name starts with this title (fuzzy matching may rank a
  // similar one first, e.g. "Dry-Run Sweep…" above "Run Sweep…"); Playwright waits for it to be stable.
  const row = widget.locator(`.monaco-list-row[aria-label^="${title.replace(/"/g, '\\"')}"]`);
  await row.first().click({ timeout: timeoutMs });
  // The palette is done when it closes — or when the command replaced it with its own quick pick
  // at once (the widget then never hides, but its input no longer holds the `>` command query).
  const deadline = Date.now() + timeoutMs;
  while (await widget.isVisible()) {
    const query = await input
      .first()
      .inputValue({ timeout: 1000 })
      .catch(() => '');
    if (!query.startsWith('>')) return;
    if (Date.now() > deadline) throw new Error(`the command palette stayed open after choosing "${title}"`);
    await page.waitForTimeout(100);
  }
}

/** A notification toast whose text matches. */
export function notification(page: Page, text: string | RegExp): Locator {
  return page.locator('.notifications-toasts .notification-toast').filter({ hasText: text });
}

/** The content frame of the active webview panel (e.g. Live Logs). */
export function webviewFrame(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
}

/** Saves a screenshot into test-results/ and, with `docs`, also as docs/screenshots/<name>.png. */
export async function screenshot(page: Page, name: string, opts: { docs?: boolean } = {}): Promise<string> {
  mkdirSync(resultsDir, { recursive: true });
  const path = join(resultsDir, `${name}.png`);
  // Park the mouse so no hover tooltip covers the picture; the hover fades out after a delay.
  await page.mouse.move(viewport.width / 2, viewport.height / 2);
  await page
    .locator('.workbench-hover-container')
    .first()
    .waitFor({ state: 'hidden', timeout: 5_000 })
    .catch(() => {});
  await page.screenshot({ path });
  if (opts.docs) {
    mkdirSync(screenshotsDir, { recursive: true });
    copyFileSync(path, join(screenshotsDir, `${name}.png`));
  }
  return path;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Drags the side bar's edge so long tree descriptions are readable in a screenshot. */
export async function widenSidebar(page: Page, byPx: number): Promise<void> {
  const box = await page.locator('.part.sidebar').boundingBox();
  if (!box) return;
  await page.mouse.move(box.x + box.width + 1, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width + byPx, box.y + box.height / 2, { steps: 5 });
  await page.mouse.up();
}
