// Headless Debian Chromium for the vscode/e2e tiers and the demo check (never a downloaded browser).
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const chromiumPath = process.env.AIRLOCK_CHROMIUM ?? '/usr/bin/chromium';

/** The network is closed: without these flags Chromium floods refused connections (and as root it needs --no-sandbox). */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export const viewport = { width: 1400, height: 900 };

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(chromiumPath)) throw new Error(`${chromiumPath} is missing: run bash scripts/setup-system.sh (Debian chromium)`);
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });
}

export async function newWorkbenchPage(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport });
  return { context, page: await context.newPage() };
}

/** Keeps the page's console and errors so a failure can save them next to its screenshot. */
export function recordConsole(page: Page, sink: (line: string) => void = () => {}): string[] {
  const lines: string[] = [];
  page.on('console', (m) => {
    const line = `[console.${m.type()}] ${m.text()}`;
    lines.push(line);
    sink(line);
  });
  page.on('pageerror', (e) => {
    const line = `[pageerror] ${e.stack ?? e.message}`;
    lines.push(line);
    sink(line);
  });
  return lines;
}

export const resultsDir = join(__dirname, '../../test-results');

/** Saves a screenshot and the console log under test-results/ (best effort: the page may be gone). */
export async function saveFailureArtifacts(page: Page | undefined, name: string, consoleLines: string[], extra: string[] = []): Promise<void> {
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, `${name}.console.log`), [...consoleLines, ...extra].join('\n') + '\n');
  if (!page) return;
  try {
    await page.screenshot({ path: join(resultsDir, `${name}.png`), timeout: 10_000 });
  } catch {
    // The page crashed or closed; the console log is what is left.
  }
}
