// Entry point of the extension-host suite (`extensionTestsPath`): runs every
// out/test/vscode/*.vscode.test.js with mocha's TDD UI and reports the counts on one
// machine-readable line that test/support/runVscodeTests.ts parses. Exports `run()` exactly as
// @vscode/test-electron expects, so the same suite also runs there on machines with internet.
import Mocha from 'mocha';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

export const countsMarker = 'AIRLOCK_VSCODE_COUNTS';

export async function run(): Promise<void> {
  // AIRLOCK_VSCODE_GREP / AIRLOCK_VSCODE_FILES reach the extension host through code-server's env.
  const grep = process.env.AIRLOCK_VSCODE_GREP;
  const only = process.env.AIRLOCK_VSCODE_FILES?.split(',').filter(Boolean);
  // The 'base' reporter prints nothing: the lines below are plain strings, because the extension
  // host forwards console arguments joined with commas (a spec reporter's '%s' formats come out raw).
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 30_000, reporter: 'base', ...(grep ? { grep } : {}) });
  const files = readdirSync(__dirname)
    .filter((f) => f.endsWith('.vscode.test.js'))
    .filter((f) => !only || only.some((o) => f.startsWith(o.replace(/^.*\//, '').replace(/\.ts$/, ''))))
    .sort();
  for (const f of files) mocha.addFile(join(__dirname, f));

  const failures: string[] = [];
  let passed = 0;
  let skipped = 0;
  await new Promise<void>((resolve) => {
    const runner = mocha.run(() => resolve());
    runner.on('suite', (s) => {
      if (s.title) console.log(`  ${s.fullTitle()}`);
    });
    runner.on('pass', (t) => {
      passed++;
      console.log(`    ✔ ${t.title}`);
    });
    runner.on('pending', (t) => {
      skipped++;
      console.log(`    - ${t.title} (skipped)`);
    });
    runner.on('fail', (t, err: Error) => {
      failures.push(`${t.fullTitle()}: ${err.message.split('\n')[0]}`);
      console.log(`    ✖ ${t.title}\n${err.stack ?? err.message}`);
    });
  });
  const counts = { passed, failed: failures.length, skipped, failures, files: files.length };
  console.log(`${countsMarker} ${JSON.stringify(counts)}`);
  if (files.length === 0) throw new Error(`no *.vscode.test.js${only ? ` matching ${only.join(', ')}` : ''} next to ${__filename}`);
  if (failures.length) throw new Error(`${failures.length} extension-host test(s) failed`);
}
