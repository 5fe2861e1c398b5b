// Colab's page driven by playwright-core in a persistent Chrome profile (the user signs in once,
// headed; later runs reuse the profile headless). It only opens the notebook, picks the GPU, runs
// all and reports the page's own dialogs (sign-in, no GPU, Drive permission, disconnected): progress
// comes from the notebook's status file on Drive, not from scraping cells. Every selector and text
// is in colabSelectors.json.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import selectorData from './colabSelectors.json';
import { ColabError, colabAdvice, type ColabErrorCode } from './colabErrors';
import { findChrome } from './browserPath';
import { loadPlaywright } from './playwrightLoader';
import { sleep } from '../process/errors';

export type ColabSelectors = typeof selectorData;
export const colabSelectors: ColabSelectors = selectorData;
export const defaultColabUrl = 'https://colab.research.google.com';

export interface ColabPageOptions {
  /** Colab's origin (tests: the fake page). */
  colabUrl?: string;
  profileDir: string;
  headless: boolean;
  /** Chrome/Chromium to drive (default: found on this machine). */
  executablePath?: string;
  screenshotDir: string;
  /** Headed runs: how long the user has to sign in or allow Drive (default 5 minutes). */
  interactiveTimeoutMs?: number;
  /** How long the page may take to show the notebook (default 60 s). */
  loadTimeoutMs?: number;
  log?: (message: string) => void;
  selectors?: ColabSelectors;
}

export interface PageProblem {
  code: ColabErrorCode;
  message: string;
}

/** Launch flags: no first-run noise, and no "controlled by automation" banner Google sign-in dislikes. */
const chromeArgs = [
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-blink-features=AutomationControlled',
  ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
];

export class ColabPage {
  private readonly sel: ColabSelectors;
  private drivePromptSeen = false;

  private constructor(
    private readonly context: BrowserContext,
    readonly page: Page,
    private readonly o: ColabPageOptions,
    readonly url: string,
  ) {
    this.sel = o.selectors ?? colabSelectors;
  }

  static async open(o: ColabPageOptions, fileId: string): Promise<ColabPage> {
    const executablePath = o.executablePath ?? findChrome();
    if (!executablePath || !existsSync(executablePath)) throw new ColabError('browser-missing', colabAdvice['browser-missing']);
    const { chromium } = await loadPlaywright();
    mkdirSync(o.profileDir, { recursive: true });
    const context = await chromium
      .launchPersistentContext(o.profileDir, {
        executablePath,
        headless: o.headless,
        args: chromeArgs,
        ignoreDefaultArgs: ['--enable-automation'],
        viewport: { width: 1280, height: 900 },
      })
      .catch((err: Error) => {
        if (/ProcessSingleton|SingletonLock|profile.*in use/i.test(err.message))
          throw new ColabError('browser-missing', `the Colab browser profile ${o.profileDir} is in use by another Chrome window — close it and retry`);
        throw new ColabError('browser-missing', `cannot start ${executablePath}: ${err.message.split('\n')[0]}`);
      });
    const sel = o.selectors ?? colabSelectors;
    const url = `${(o.colabUrl ?? defaultColabUrl).replace(/\/$/, '')}${sel.notebookPath.replace('{fileId}', encodeURIComponent(fileId))}`;
    const page = context.pages()[0] ?? (await context.newPage());
    const cp = new ColabPage(context, page, o, url);
    try {
      await page.goto(url, { waitUntil: 'domcontentloaded', timeout: o.loadTimeoutMs ?? 60_000 });
    } catch (err) {
      throw await cp.fail('page-changed', `Colab did not load ${url} (${(err as Error).message.split('\n')[0]})`);
    }
    return cp;
  }

  private log(m: string): void {
    this.o.log?.(m);
  }

  private visible(selector: string): Promise<boolean> {
    return this.page
      .locator(selector)
      .first()
      .isVisible()
      .catch(() => false);
  }

  private textVisible(text: string): Promise<boolean> {
    return this.page
      .getByText(text)
      .first()
      .isVisible()
      .catch(() => false);
  }

  private onSignIn(): Promise<boolean> {
    return new RegExp(this.sel.signIn.urlPattern).test(this.page.url()) ? Promise.resolve(true) : this.visible(this.sel.signIn.selector);
  }

  /** A ColabError with a screenshot of the page as it is now. */
  async fail(code: ColabErrorCode, detail?: string): Promise<ColabError> {
    const shot = await this.screenshot(code);
    return new ColabError(code, detail ? `${detail} — ${colabAdvice[code]}` : colabAdvice[code], shot);
  }

  async screenshot(tag: string): Promise<string | undefined> {
    try {
      mkdirSync(this.o.screenshotDir, { recursive: true });
      const path = join(this.o.screenshotDir, `colab-${new Date().toISOString().replace(/[:.]/g, '-')}-${tag}.png`);
      await this.page.screenshot({ path });
      return path;
    } catch {
      return undefined;
    }
  }

  /** Waits for the notebook; a sign-in page fails at once headless, and waits for the user headed. */
  async ensureSignedIn(): Promise<void> {
    const deadline = Date.now() + (this.o.loadTimeoutMs ?? 60_000);
    let interactiveUntil = 0;
    for (;;) {
      if (await this.visible(this.sel.notebookReady)) return;
      if (await this.onSignIn()) {
        if (this.o.headless) throw await this.fail('sign-in-needed', 'Colab asked for a Google sign-in');
        if (!interactiveUntil) {
          interactiveUntil = Date.now() + (this.o.interactiveTimeoutMs ?? 300_000);
          this.log('Sign in to Google in the browser window; Airlock continues when the notebook opens.');
        }
        if (Date.now() > interactiveUntil) throw await this.fail('sign-in-needed', 'nobody signed in to Google in the browser window in time');
      } else if (!interactiveUntil && Date.now() > deadline) {
        throw await this.fail('page-changed', `the notebook did not appear at ${this.url} (no "${this.sel.notebookReady}")`);
      }
      await sleep(250);
    }
  }

  private async clickWhenVisible(selector: string, timeoutMs = 5000): Promise<boolean> {
    try {
      await this.page.locator(selector).first().click({ timeout: timeoutMs });
      return true;
    } catch {
      return false;
    }
  }

  /** Runtime → Change runtime type → the GPU → Save. The notebook's metadata asks for the same GPU,
   *  so a menu that cannot be found is a warning; a GPU the dialog does not offer is an error. */
  async ensureGpu(gpu: string): Promise<void> {
    if (!(await this.clickWhenVisible(this.sel.runtimeMenu)) || !(await this.clickWhenVisible(this.sel.menuChangeRuntime))) {
      await this.page.keyboard.press('Escape').catch(() => undefined);
      this.log(`Could not open "Change runtime type" (Colab's page changed?); relying on the notebook's GPU request (${gpu}).`);
      return;
    }
    await this.page
      .locator(this.sel.runtimeDialog)
      .first()
      .waitFor({ state: 'visible', timeout: 10_000 })
      .catch(() => undefined);
    const option = this.page.locator(this.sel.gpuOption.replaceAll('{gpu}', gpu)).first();
    const offered = await option.isVisible().catch(() => false);
    const disabled = offered && ((await option.getAttribute('aria-disabled').catch(() => null)) === 'true' || (await option.isDisabled().catch(() => false)));
    if (!offered || disabled) {
      const err = await this.fail('no-gpu', `Colab does not offer the ${gpu} GPU to this account${disabled ? ' right now' : ''}`);
      await this.page.keyboard.press('Escape').catch(() => undefined);
      throw err;
    }
    await option.click();
    if (!(await this.clickWhenVisible(this.sel.runtimeSave))) throw await this.fail('page-changed', 'the runtime dialog has no Save button');
    await this.page
      .locator(this.sel.runtimeDialog)
      .first()
      .waitFor({ state: 'hidden', timeout: 10_000 })
      .catch(() => undefined);
    this.log(`Runtime type set to ${gpu} GPU.`);
  }

  /** Runtime → Run all, or the keyboard shortcut when the menu item is not there. */
  async runAll(): Promise<void> {
    if ((await this.clickWhenVisible(this.sel.runtimeMenu)) && (await this.clickWhenVisible(this.sel.menuRunAll, 3000))) return;
    await this.page.keyboard.press('Escape').catch(() => undefined);
    await this.page.keyboard.press(this.sel.runAllShortcut);
  }

  /** The page's own verdict, if any: accepts the harmless "not authored by Google" warning, reports the rest. */
  async problem(): Promise<PageProblem | undefined> {
    const d = this.sel.dialogs;
    if (await this.textVisible(d.notAuthoredByGoogle.text)) {
      this.log('Accepted Colab\'s "not authored by Google" warning.');
      await this.clickWhenVisible(d.notAuthoredByGoogle.accept, 3000);
    }
    if ((await this.textVisible(d.usageLimit.text)) || (await this.textVisible(d.noGpu.text)))
      return { code: 'no-gpu', message: 'Colab cannot connect to a GPU backend' };
    if (await this.textVisible(d.driveMountFailed.text)) return { code: 'drive-not-authorised', message: 'mounting Google Drive failed in the notebook' };
    if (await this.textVisible(d.driveMount.text)) {
      if (this.o.headless) return { code: 'drive-not-authorised', message: 'the notebook is waiting for permission to mount Google Drive' };
      if (!this.drivePromptSeen) this.log('Allow Google Drive access in the browser window ("Connect to Google Drive").');
      this.drivePromptSeen = true;
    }
    if (await this.textVisible(d.disconnected.text)) return { code: 'runtime-disconnected', message: 'Colab says the runtime disconnected' };
    if ((await this.textVisible(d.signedOutMidRun.text)) || new RegExp(this.sel.signIn.urlPattern).test(this.page.url()))
      return { code: 'sign-in-needed', message: 'Colab signed out during the run' };
    return undefined;
  }

  /** Best effort: Runtime → Interrupt execution (a timeout or cancel should not leave the GPU busy). */
  async interrupt(): Promise<void> {
    if ((await this.clickWhenVisible(this.sel.runtimeMenu, 2000)) && (await this.clickWhenVisible(this.sel.menuInterrupt, 2000))) return;
    await this.page.keyboard.press('Escape').catch(() => undefined);
    await this.page.keyboard.press('Control+M').catch(() => undefined);
    await this.page.keyboard.press('I').catch(() => undefined);
  }

  async close(): Promise<void> {
    await this.context.close().catch(() => undefined);
  }
}
