// One real workbench for an e2e file: the packaged .vsix installed into a fresh extensions dir
// (test what ships), a temp copy of examples/, code-server and a Chromium page at 1400x900.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, newWorkbenchPage, recordConsole, saveFailureArtifacts } from './browser';
import { installVsix, repoRoot, startCodeServer, type CodeServer } from './codeServer';
import { openWorkbench } from './workbench';
import { makeExamplesWorkspace, type TempWorkspace } from './workspace';

export const packagedVsix = join(repoRoot, 'dist/airlock.vsix');

export interface E2eSession {
  page: Page;
  server: CodeServer;
  workspace: TempWorkspace;
  consoleLines: string[];
  /** Runs a test body; on failure saves test-results/<name>.png and .console.log, then rethrows. */
  step(name: string, body: () => Promise<void>): Promise<void>;
  close(): Promise<void>;
}

export interface E2eOptions {
  /** Extra environment for code-server and so for the extension host. */
  env?: Record<string, string>;
}

export async function startE2eSession(options: E2eOptions = {}): Promise<E2eSession> {
  if (!existsSync(packagedVsix)) {
    throw new Error(
      `${packagedVsix} is missing: the e2e tier tests the packaged extension — run bash scripts/test.sh (or npm run build && npm run package) first`,
    );
  }
  const extensionsDir = mkdtempSync(join(tmpdir(), 'airlock-e2e-ext-'));
  let workspace: TempWorkspace | undefined;
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close().catch(() => {});
    await server?.stop();
    workspace?.dispose();
    rmSync(extensionsDir, { recursive: true, force: true });
  };
  try {
    installVsix(packagedVsix, extensionsDir);
    workspace = makeExamplesWorkspace();
    server = await startCodeServer({ workspace: workspace.folder, extensionsDir, ...(options.env ? { env: options.env } : {}) });
    browser = await launchChromium();
    const { page } = await newWorkbenchPage(browser);
    const consoleLines = recordConsole(page);
    const srv = server;
    const step = async (name: string, body: () => Promise<void>) => {
      try {
        await body();
      } catch (err) {
        await saveFailureArtifacts(page, `e2e-${name}`, consoleLines, srv.output);
        throw err;
      }
    };
    await step('open-workbench', () => openWorkbench(page, srv.url, workspace!.folder));
    return { page, server, workspace, consoleLines, step, close };
  } catch (err) {
    await close();
    throw err;
  }
}
