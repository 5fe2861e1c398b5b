// playwright-core is loaded only when a Colab run opens a browser, and is never bundled: it reads
// its own files (browsers.json, injected scripts) at run time, so the build keeps it external and
// ships the package next to the bundle. A missing package is explained, not a stack trace.
import type * as Playwright from 'playwright-core';
import { ColabError } from './colabErrors';

export async function loadPlaywright(): Promise<typeof Playwright> {
  try {
    return await import('playwright-core');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'MODULE_NOT_FOUND' || e.code === 'ERR_MODULE_NOT_FOUND') {
      throw new ColabError(
        'browser-missing',
        'the browser driver (playwright-core) is not installed next to Airlock — reinstall the extension, or run "npm install playwright-core" where the airlock CLI lives',
      );
    }
    throw err;
  }
}
