// An installed Chrome or Chromium for driving Colab: AIRLOCK_CHROME first, then the usual places
// on Linux, macOS and Windows. Airlock never downloads a browser.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const candidates = (env: NodeJS.ProcessEnv): string[] => [
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/opt/google/chrome/chrome',
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/snap/bin/chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  ...[env.PROGRAMFILES, env['PROGRAMFILES(X86)'], env.LOCALAPPDATA]
    .filter((d): d is string => !!d)
    .map((d) => join(d, 'Google', 'Chrome', 'Application', 'chrome.exe')),
];

export function findChrome(env: NodeJS.ProcessEnv = process.env, exists: (p: string) => boolean = existsSync): string | undefined {
  if (env.AIRLOCK_CHROME) return exists(env.AIRLOCK_CHROME) ? env.AIRLOCK_CHROME : undefined;
  return candidates(env).find(exists);
}
