// The second half of scripts/demo.sh (after setup, build and packaging): installs the .vsix into
// .cache/demo/extensions, prepares .cache/demo/workspace (a copy of examples/ with a local bare git
// remote), starts code-server on 127.0.0.1 and prints the URL; Ctrl+C stops everything.
//   node --import tsx test/support/demoServer.ts [--check]
// --check: verify in headless Chromium that the workbench shows the Airlock container, save
// test-results/demo-check.png, stop, exit 0 or 1.
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { launchChromium, newWorkbenchPage, recordConsole, saveFailureArtifacts } from './browser';
import { installVsix, repoRoot, startCodeServer, type CodeServer } from './codeServer';
import { openViewContainer, openWorkbench, screenshot, soloView, viewHeader } from './workbench';
import { initGitWithRemote } from './workspace';
import { jupyterSkipReason, startJupyter } from './jupyterServer';
import { startFakeRunpod } from './fakeRunpod/server';

/** What the Pods view and Create Pod call the fake RunPod, so nobody takes it for the real service. */
export const demoEndpointLabel = 'demo endpoint';

const demoDir = join(repoRoot, '.cache/demo');
const vsix = join(repoRoot, 'dist/airlock.vsix');

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer()
      .once('error', () => resolve(false))
      .once('listening', () => probe.close(() => resolve(true)))
      .listen(port, '127.0.0.1');
  });
}

/** A fresh copy each run, so the demo always shows the current examples/. */
function prepareWorkspace(): string {
  const folder = join(demoDir, 'workspace');
  rmSync(folder, { recursive: true, force: true });
  rmSync(join(demoDir, 'remote.git'), { recursive: true, force: true });
  cpSync(join(repoRoot, 'examples'), folder, { recursive: true });
  initGitWithRemote(folder, join(demoDir, 'remote.git'));
  return folder;
}

async function checkWorkbench(server: CodeServer, folder: string): Promise<boolean> {
  const browser = await launchChromium();
  const { page } = await newWorkbenchPage(browser);
  const consoleLines = recordConsole(page);
  try {
    await openWorkbench(page, server.url, folder);
    await openViewContainer(page, 'Airlock');
    for (const view of ['Phases', 'Hosts', 'Pods']) await viewHeader(page, view).waitFor({ state: 'visible', timeout: 15_000 });
    // The Pods view is on the fake RunPod, and says so in its title (VS Code shows a view's description only while
    // it is expanded, and Pods starts folded).
    await soloView(page, 'Pods');
    await viewHeader(page, 'Pods').getByText(demoEndpointLabel).waitFor({ state: 'visible', timeout: 15_000 });
    console.log(`[demo] workbench shows Airlock (Phases, Hosts, Pods): ${await screenshot(page, 'demo-check')}`);
    console.log(`[demo] the Pods view is labelled "${demoEndpointLabel}"`);
    return true;
  } catch (err) {
    console.error(`[demo] check failed: ${(err as Error).message}`);
    await saveFailureArtifacts(page, 'demo-check-failed', consoleLines, server.output);
    return false;
  } finally {
    await browser.close().catch(() => {});
  }
}

async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  const extensionsDir = join(demoDir, 'extensions');
  rmSync(extensionsDir, { recursive: true, force: true });
  installVsix(vsix, extensionsDir);
  const folder = prepareWorkspace();
  const userDataDir = join(demoDir, 'user-data');
  mkdirSync(userDataDir, { recursive: true });

  const wanted = Number(process.env.AIRLOCK_DEMO_PORT ?? 8765);
  // --check never takes the demo's port: a demo may be running while the tests run.
  const port = !check && (await portFree(wanted)) ? wanted : 0;
  if (!check && port !== wanted) console.log(`[demo] port ${wanted} is busy; using a free port`);
  // A Jupyter server on this machine, so Dispatch Notebook… has a target with no account anywhere
  // (Airlock finds it the way `jupyter server list` does).
  const jupyter = jupyterSkipReason()
    ? undefined
    : await startJupyter().catch((err: Error) => void console.log(`[demo] no Jupyter server for the Notebooks view: ${err.message.split('\n')[0]}`));
  // A fake RunPod (REST v2 and GraphQL, validated like the real one), so Pods can be tried with no
  // account and nothing billed; its key is handed to the extension host, never written anywhere.
  const runpod = await startFakeRunpod({ apiKey: `demo-${process.pid}` });
  const server = await startCodeServer({
    workspace: folder,
    userDataDir,
    extensionsDir,
    port,
    env: {
      AIRLOCK_RUNPOD_ENDPOINT: runpod.endpoint,
      AIRLOCK_RUNPOD_ENDPOINT_LABEL: demoEndpointLabel,
      RUNPOD_API_KEY: runpod.apiKey,
      ...(jupyter ? { JUPYTER_RUNTIME_DIR: jupyter.runtimeDir } : {}),
    },
  });
  if (check) {
    const ok = await checkWorkbench(server, folder);
    await server.stop();
    await jupyter?.stop();
    await runpod.close();
    process.exit(ok ? 0 : 1);
  }
  console.log(
    `\n  Airlock is running in VS Code: open ${server.url}/?folder=${encodeURIComponent(folder).replace(/%2F/g, '/')}\n  (workspace: ${folder}; press Ctrl+C to stop)${jupyter ? `\n  A Jupyter server runs on this machine for the Notebooks view: ${jupyter.url}` : ''}\n  Pods use a fake RunPod on this machine (the "${demoEndpointLabel}", ${runpod.endpoint.replace(/\/graphql$/, '')}): nothing is billed\n`,
  );
  // Stay up until Ctrl+C; processGroups kills code-server's whole group on the way out.
  await new Promise(() => {});
}

void main().catch((err: Error) => {
  console.error(`[demo] ${err.message}`);
  process.exit(1);
});
