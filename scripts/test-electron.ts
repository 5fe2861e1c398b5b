// `npm run test:electron`: the extension-host tier in a real VS Code downloaded by
// @vscode/test-electron — the same suite and `run()` entry (test/vscode/index.ts) that the
// code-server harness (`npm run test:vscode`) loads. For contributors whose machines can download
// VS Code; this repository's CI has no such download and keeps the code-server tier. Nothing is
// downloaded at install time: the download happens here, and a failed one ends with a clear message.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { makeExamplesWorkspace } from '../test/support/workspace';
import { repoRoot } from '../test/support/codeServer';

async function main(): Promise<void> {
  const entry = join(repoRoot, 'out/test/vscode/index.js');
  if (!existsSync(entry) || !existsSync(join(repoRoot, 'dist/extension.js'))) {
    console.error(`test:electron: ${entry} or dist/extension.js is missing — run npm run build first.`);
    process.exitCode = 2;
    return;
  }

  const { downloadAndUnzipVSCode, runTests } = await import('@vscode/test-electron');
  const version = process.env.AIRLOCK_ELECTRON_VSCODE_VERSION ?? 'stable';
  let vscodeExecutablePath: string;
  try {
    // Kept in .vscode-test/ (git-ignored) so a second run starts at once.
    vscodeExecutablePath = await downloadAndUnzipVSCode({ version, cachePath: join(repoRoot, '.vscode-test'), timeout: 60_000 });
  } catch (err) {
    console.error(
      `test:electron: could not download VS Code ${version} (${(err as Error).message}).\n` +
        '  @vscode/test-electron needs to reach update.code.visualstudio.com. Without internet, run the same suite in\n' +
        '  code-server instead: npm run build && npm run test:vscode (docs/testing.md).',
    );
    process.exitCode = 1;
    return;
  }

  const workspace = makeExamplesWorkspace();
  let code = 1;
  try {
    code = await runTests({
      vscodeExecutablePath,
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: entry,
      launchArgs: [workspace.folder, '--disable-extensions', '--skip-welcome', '--skip-release-notes', '--disable-workspace-trust'],
      extensionTestsEnv: {
        ...(process.env.AIRLOCK_VSCODE_GREP ? { AIRLOCK_VSCODE_GREP: process.env.AIRLOCK_VSCODE_GREP } : {}),
        ...(process.env.AIRLOCK_VSCODE_FILES ? { AIRLOCK_VSCODE_FILES: process.env.AIRLOCK_VSCODE_FILES } : {}),
      },
    });
  } catch (err) {
    console.error(`test:electron: the extension-host run failed: ${(err as Error).message}`);
  } finally {
    workspace.dispose();
  }
  process.exitCode = code;
}

void main();
