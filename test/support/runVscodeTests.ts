// Runs the test/vscode suite inside code-server's real extension host, driven by headless Chromium.
//   node --import tsx test/support/runVscodeTests.ts <countsJsonPath>
// Writes {"passed","failed","skipped","failures"} to countsJsonPath (test/run.mjs reads it).
// Env: AIRLOCK_VSCODE_GREP, AIRLOCK_VSCODE_FILES (one test / file), AIRLOCK_VSCODE_TIMEOUT_SEC (default 600),
// AIRLOCK_TEST_VERBOSE=1 (also stream code-server's own log and full workbench stacks).
// Every other variable of this process reaches the extension host too (through code-server's env).
import { appendFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, newWorkbenchPage, recordConsole, saveFailureArtifacts } from './browser';
import { repoRoot, startCodeServer, type CodeServer } from './codeServer';
import { makeExamplesWorkspace, type TempWorkspace } from './workspace';
import { sshdSkipReason, startSshHosts, type SshTestHosts } from './sshd';
import { startFakeRunpod, type FakeRunpod } from './fakeRunpod/server';
import { jupyterSkipReason, startJupyter, type JupyterTestServer } from './jupyterServer';
import { startFakeDrive, type FakeDrive } from './fakeDrive/server';
import { startFakeColab, type FakeColab } from './fakeColab/server';
import { chromiumPath } from './browser';
import { vscodeSuiteTimeoutSec } from './vscodeTimeout.mjs';

const marker = 'AIRLOCK_VSCODE_COUNTS ';
const testsEntry = join(repoRoot, 'out/test/vscode/index.js');

interface Counts {
  passed: number;
  failed: number;
  skipped: number;
  failures: string[];
}

const verbose = process.env.AIRLOCK_TEST_VERBOSE === '1';

function log(line: string): void {
  process.stdout.write(line.endsWith('\n') ? line : line + '\n');
}

/** Workbench chatter every run prints (and the offline gallery lookup): only shown when verbose. */
const routine =
  /^(Creating a socket|Resolving connection token|Resolved connection token|Updating additional builtin|\[Service Worker\]|ChatSessionStore|getaddrinfo ENOTFOUND)/;

/** Test lines are multi-line on purpose (failure stacks); workbench errors are shortened unless verbose. */
function logWorkbench(level: string, message: string): void {
  if (!verbose && routine.test(message)) return;
  const isTestLine = /^\s*(✔|✖|-|\S.*$)/.test(message) && !/^(error|warn)/.test(level);
  log(`[workbench:${level}] ${verbose || isTestLine ? message : message.split('\n')[0]}`);
}

/** The workbench URL that loads the extension from the repo and runs the suite in its host. */
export function testRunUrl(server: CodeServer, folder: string): string {
  const remote = (p: string) => `vscode-remote://127.0.0.1:${server.port}${p}`;
  const payload = [
    ['extensionDevelopmentPath', remote(repoRoot)],
    ['extensionTestsPath', remote(testsEntry)],
  ];
  return `${server.url}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

async function runSuite(): Promise<Counts> {
  for (const [file, hint] of [
    [join(repoRoot, 'dist/extension.js'), 'npm run build'],
    [testsEntry, 'npm run build'],
  ]) {
    if (!existsSync(file)) throw new Error(`${file} is missing: run ${hint} first`);
  }
  const timeoutSec = vscodeSuiteTimeoutSec();
  let ws: TempWorkspace | undefined;
  let sshHosts: SshTestHosts | undefined;
  let fakeRunpod: FakeRunpod | undefined;
  let jupyter: JupyterTestServer | undefined;
  let drive: FakeDrive | undefined;
  let colab: FakeColab | undefined;
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let page: Page | undefined;
  let consoleLines: string[] = [];
  let counts: Counts | undefined;
  const seen = (text: string) => {
    const at = text.indexOf(marker);
    if (at >= 0 && !counts) counts = JSON.parse(text.slice(at + marker.length).trim()) as Counts;
  };
  try {
    ws = makeExamplesWorkspace();
    // Two real sshd hosts for the Hosts tests: the first up, the second stopped (a machine that is down).
    const env: Record<string, string> = {};
    if (!sshdSkipReason()) {
      sshHosts = await startSshHosts(2, { aliasPrefix: 'airlock-vscode' });
      await sshHosts.hosts[1]!.stop();
      env.AIRLOCK_SSH_CONFIG = sshHosts.sshConfigPath;
      env.AIRLOCK_TEST_SSH_HOSTS = JSON.stringify({ up: [sshHosts.hosts[0]!.alias], down: [sshHosts.hosts[1]!.alias] });
      // Fake pods map their 22/tcp onto the first sshd: trust it by address as well as by alias.
      appendFileSync(
        sshHosts.sshConfigPath,
        `\nHost 127.0.0.1\n  UserKnownHostsFile ${sshHosts.knownHostsPath}\n  IdentityFile ${sshHosts.clientKeyPath}\n  User ${sshHosts.user}\n`,
      );
    }
    // A faithful fake RunPod (the real one costs money and is not reachable here).
    fakeRunpod = await startFakeRunpod({ startAfterPolls: 1, ...(sshHosts ? { sshEndpoint: { ip: '127.0.0.1', port: sshHosts.hosts[0]!.port } } : {}) });
    env.AIRLOCK_RUNPOD_ENDPOINT = fakeRunpod.endpoint;
    // A real Jupyter server for the notebook tests.
    if (!jupyterSkipReason()) {
      jupyter = await startJupyter();
      env.AIRLOCK_TEST_JUPYTER = JSON.stringify({ url: jupyter.url, token: jupyter.token });
    }
    env.RUNPOD_API_KEY = fakeRunpod.apiKey;
    // Google Drive and Colab's page as faithful fakes; the extension reaches them through its
    // endpoint overrides, Chromium through playwright-core (headless: this machine has no display).
    drive = await startFakeDrive();
    colab = await startFakeColab(drive);
    Object.assign(colab.scenario, { cellMs: 30 });
    const keyFile = join(ws.folder, '..', 'airlock-test-sa.json');
    writeFileSync(keyFile, drive.oauth.serviceAccountKey());
    Object.assign(env, {
      DISPLAY: '',
      WAYLAND_DISPLAY: '',
      AIRLOCK_DRIVE_ROOT_URL: drive.rootUrl,
      AIRLOCK_GOOGLE_TOKEN_URL: drive.tokenUrl,
      AIRLOCK_COLAB_URL: colab.url,
      AIRLOCK_CHROME: chromiumPath,
    });
    env.AIRLOCK_TEST_COLAB = JSON.stringify({ keyFile, colabUrl: colab.url });
    const started = Date.now();
    // The remote extension host's console ends up in the server's output: stream and parse it.
    server = await startCodeServer({
      workspace: ws.folder,
      env,
      onOutput: (l) => {
        if (verbose) log(`[server] ${l}`);
        seen(l);
      },
    });
    log(`[vscode] code-server listening on ${server.url} after ${Date.now() - started} ms`);
    browser = await launchChromium();
    ({ page } = await newWorkbenchPage(browser));
    consoleLines = recordConsole(page, (l) => seen(l));
    let exitWith: (code: number) => void = () => {};
    const exited = new Promise<number>((r) => (exitWith = r));
    // Exposed before navigation: VS Code 1.100's web workbench calls codeAutomationExit(code, logs)
    // when the tests finish and codeAutomationLog(level, message) for renderer log lines.
    await page.exposeFunction('codeAutomationLog', (level: string, message: string) => {
      logWorkbench(level, String(message));
      seen(String(message));
    });
    await page.exposeFunction('codeAutomationExit', (code: number) => exitWith(code));
    await page.goto(testRunUrl(server, ws.folder));
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), timeoutSec * 1000)));
    const code = await Promise.race([exited, timedOut]);
    clearTimeout(timer);
    log(`[vscode] extension tests finished (${code}) after ${Date.now() - started} ms from server start`);
    if (code === 'timeout') {
      await saveFailureArtifacts(page, 'vscode-timeout', consoleLines, server.output);
      throw new Error(`the extension-host suite did not finish within ${timeoutSec}s (screenshot and console in test-results/vscode-timeout.*)`);
    }
    if (!counts) {
      await saveFailureArtifacts(page, 'vscode-no-counts', consoleLines, server.output);
      // No counts line (the suite never loaded): the exit code is all there is.
      return code === 0
        ? { passed: 0, failed: 1, skipped: 0, failures: ['extension tests exited 0 without reporting counts'] }
        : { passed: 0, failed: 1, skipped: 0, failures: [`extension tests exited ${code} without reporting counts (see test-results/vscode-no-counts.*)`] };
    }
    if (counts.failed > 0) await saveFailureArtifacts(page, 'vscode-failed', consoleLines, server.output);
    if (code !== 0 && counts.failed === 0) counts = { ...counts, failed: 1, failures: [...counts.failures, `extension tests exited ${code}`] };
    return counts;
  } finally {
    await browser?.close().catch(() => {});
    await server?.stop();
    await sshHosts?.stop();
    await fakeRunpod?.close();
    await jupyter?.stop();
    await colab?.close();
    await drive?.close();
    ws?.dispose();
  }
}

async function main(): Promise<void> {
  const out = process.argv[2] ?? '.test-tmp/vscode-counts.json';
  mkdirSync(dirname(out), { recursive: true });
  let counts: Counts;
  try {
    counts = await runSuite();
  } catch (err) {
    log(`[vscode] ${(err as Error).stack ?? String(err)}`);
    counts = { passed: 0, failed: 1, skipped: 0, failures: [`vscode tier: ${(err as Error).message}`] };
  }
  writeFileSync(out, JSON.stringify(counts) + '\n');
  process.exitCode = counts.failed ? 1 : 0;
}

if (require.main === module) void main();
