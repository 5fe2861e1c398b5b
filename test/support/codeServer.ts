// Starts code-server 4.100.3 (VS Code 1.100.3, installed by scripts/setup-code-server.sh) for the
// vscode and e2e tiers and the demo check. See DESIGN.md §4 and docs/testing.md.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { stopGroup, trackGroup } from './processGroups';

export const repoRoot = resolve(__dirname, '../..');
export const codeServerEntry = join(repoRoot, '.cache/code-server/node_modules/code-server/out/node/entry.js');

export interface CodeServerOptions {
  workspace: string;
  userDataDir?: string;
  extensionsDir?: string;
  /** Extra environment for the server; the extension host inherits it (e.g. AIRLOCK_SSH_CONFIG). */
  env?: Record<string, string>;
  /** Loads the extension from this folder instead of (or besides) installed ones. */
  extensionDevelopmentPath?: string;
  /** Server output (log lines) goes here as it arrives; default: kept for error messages only. */
  onOutput?: (line: string) => void;
  startTimeoutMs?: number;
  /** Port on 127.0.0.1; default 0 (any free port). */
  port?: number;
}

export interface CodeServer {
  url: string;
  port: number;
  userDataDir: string;
  extensionsDir: string;
  /** Every line the server printed so far (the remote extension host logs here too). */
  output: string[];
  stop(): Promise<void>;
}

/**
 * Settings a fresh profile starts with, so tests and screenshots see the workbench itself rather
 * than welcome pages, walkthroughs, trust prompts or update checks (the network is closed).
 */
export const cleanUserSettings: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'telemetry.telemetryLevel': 'off',
  'security.workspace.trust.enabled': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'git.openRepositoryInParentFolders': 'never',
  'chat.commandCenter.enabled': false,
  'terminal.integrated.enablePersistentSessions': false,
  'files.hotExit': 'off',
  'window.restoreWindows': 'none',
};

export function assertCodeServerInstalled(): void {
  if (!existsSync(codeServerEntry)) {
    throw new Error(`code-server is not installed (${codeServerEntry} is missing): run bash scripts/setup-code-server.sh`);
  }
}

function seedUserData(userDataDir: string): void {
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify(cleanUserSettings, null, 2));
}

/** Starts code-server in its own process group and resolves once it listens. Retries once. */
export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  try {
    return await startOnce(options);
  } catch (first) {
    // A first start on a busy machine occasionally times out while VS Code warms its caches.
    options.onOutput?.(`[codeServer] start failed, retrying once: ${(first as Error).message}`);
    return await startOnce(options);
  }
}

async function startOnce(options: CodeServerOptions): Promise<CodeServer> {
  assertCodeServerInstalled();
  // Directories made here are ours to delete; ones the caller passed are left alone.
  const owned: string[] = [];
  const tempDir = (prefix: string) => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    owned.push(dir);
    return dir;
  };
  const userDataDir = options.userDataDir ?? tempDir('airlock-cs-data-');
  const extensionsDir = options.extensionsDir ?? tempDir('airlock-cs-ext-');
  seedUserData(userDataDir);
  mkdirSync(extensionsDir, { recursive: true });
  const args = [
    codeServerEntry,
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${options.port ?? 0}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    // Its own config file, so a test never writes ~/.config/code-server of whoever runs it.
    '--config',
    join(userDataDir, 'config.yaml'),
    '--user-data-dir',
    userDataDir,
    '--extensions-dir',
    extensionsDir,
    ...(options.extensionDevelopmentPath ? ['--extensionDevelopmentPath', options.extensionDevelopmentPath] : []),
    options.workspace,
  ];
  const child = spawn(process.execPath, args, {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...options.env },
  });
  if (child.pid === undefined) throw new Error('code-server did not start (no pid)');
  const pgid = child.pid;
  trackGroup(pgid);
  const output: string[] = [];
  const stop = async () => {
    await stopGroup(pgid);
    for (const dir of owned) rmSync(dir, { recursive: true, force: true });
  };
  const timeoutMs = options.startTimeoutMs ?? 60_000;

  const port = await new Promise<number>((resolvePort, reject) => {
    const timer = setTimeout(() => reject(new Error(`code-server did not listen within ${timeoutMs / 1000}s`)), timeoutMs);
    const onLine = (line: string) => {
      output.push(line);
      options.onOutput?.(line);
      const m = /HTTP server listening on https?:\/\/[^:]+:(\d+)/.exec(line);
      if (m) {
        clearTimeout(timer);
        resolvePort(Number(m[1]));
      }
    };
    for (const stream of [child.stdout, child.stderr]) {
      let buf = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        buf += chunk;
        const lines = buf.split('\n');
        buf = lines.pop() ?? '';
        lines.forEach(onLine);
      });
    }
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`code-server exited (${code ?? signal}) before listening:\n${output.slice(-20).join('\n')}`));
    });
  }).catch(async (err: Error) => {
    await stop();
    throw err;
  });
  return { url: `http://127.0.0.1:${port}`, port, userDataDir, extensionsDir, output, stop };
}

/** Installs a packaged .vsix into `extensionsDir` with code-server's own CLI (offline). */
export function installVsix(vsixPath: string, extensionsDir: string): void {
  assertCodeServerInstalled();
  if (!existsSync(vsixPath)) throw new Error(`${vsixPath} is missing: build and package first (bash scripts/test.sh does both)`);
  mkdirSync(extensionsDir, { recursive: true });
  const r = spawnSync(process.execPath, [codeServerEntry, '--extensions-dir', extensionsDir, '--install-extension', vsixPath], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (r.status !== 0) throw new Error(`installing ${vsixPath} failed (${r.status ?? r.signal}):\n${r.stdout}\n${r.stderr}`);
}
