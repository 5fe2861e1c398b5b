// Shared by the sync integration tests: both fakes, credentials in env (never argv), the bundled
// CLI started in its own process group, and waiting on the state file.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cliBundle } from '../../support/cliBundle';
import { startFakeDrive, type FakeDrive } from '../../support/fakeDrive/server';
import { startFakeHfHub, type FakeHfHub } from '../../support/fakeHfHub/server';
import type { SyncState } from '../../../src/core/sync/syncState';

export const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
export const hfToken = 'hf_syncTestToken';

export interface Fakes {
  drive: FakeDrive;
  hub: FakeHfHub;
  env: Record<string, string>;
  endpoints: string[];
  close(): Promise<void>;
}

export async function startFakes(tmp: string): Promise<Fakes> {
  const drive = await startFakeDrive();
  const hub = await startFakeHfHub({ multipartAbove: 1024 * 1024, chunkSize: 512 * 1024 });
  hub.addToken(hfToken, 'alice');
  const keyFile = join(tmp, 'sa.json');
  writeFileSync(keyFile, drive.oauth.serviceAccountKey(), { mode: 0o600 });
  return {
    drive,
    hub,
    env: { AIRLOCK_DRIVE_SA_JSON: keyFile, HF_TOKEN: hfToken, AIRLOCK_CONFIG_DIR: join(tmp, 'cfg') },
    endpoints: ['--hub-url', hub.hubUrl, '--drive-root-url', drive.rootUrl, '--token-url', drive.tokenUrl],
    close: async () => {
      await drive.close();
      await hub.close();
    },
  };
}

export function writeConfig(
  file: string,
  o: { folder: string; repo: string; keepLocal?: number; intervalSec?: number; extra?: Record<string, unknown> },
): void {
  writeFileSync(
    file,
    JSON.stringify({
      tiers: {
        drive: { patterns: ['*.log', '*.pt'], intervalSec: o.intervalSec ?? 0.5, folder: o.folder },
        hf: { patterns: ['*.pt'], intervalSec: o.intervalSec ?? 0.5, repo: o.repo },
      },
      retention: { keepLocal: o.keepLocal ?? 2, patterns: ['*.pt'] },
      settleSec: 0.4,
      scanSec: 0.25,
      ...o.extra,
    }),
  );
}

/** Every `sync watch` this file started and not yet seen exit: a failed assertion must not leave one running. */
const started = new Set<ChildProcess>();

/** SIGKILLs the process group of every CLI `startCli` started that is still running (call from `after`). */
export async function killStarted(): Promise<void> {
  await Promise.all([...started].map((c) => killGroup(c, 'SIGKILL')));
}

export function startCli(args: string[], env: Record<string, string>): ChildProcess & { out: string[] } {
  const child = spawn(process.execPath, [cliBundle(), ...args], {
    env: { ...process.env, ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  }) as ChildProcess & { out: string[] };
  child.out = [];
  started.add(child);
  child.once('exit', () => started.delete(child));
  child.stdout!.on('data', (d: Buffer) => child.out.push(d.toString()));
  child.stderr!.on('data', (d: Buffer) => child.out.push(d.toString()));
  return child;
}

export function runCli(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cliBundle(), ...args], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export function killGroup(child: ChildProcess, signal: NodeJS.Signals): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
    child.once('exit', (code) => resolve(code));
    try {
      process.kill(-child.pid!, signal);
    } catch {
      resolve(child.exitCode);
    }
  });
}

export function readState(dir: string): SyncState | undefined {
  try {
    return JSON.parse(readFileSync(join(dir, '.airlock', 'sync-state.json'), 'utf8')) as SyncState;
  } catch {
    return undefined;
  }
}

export async function waitFor<T>(what: string, fn: () => T | undefined | false, timeoutMs = 60_000, logs?: () => string): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${logs ? `\n${logs()}` : ''}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** Every file named `name` under the Drive folder path (duplicates show as several). */
export function driveFiles(drive: FakeDrive, folder: string, name: string) {
  const f = drive.store.folderByPath(folder, false);
  return f ? drive.store.children(f.id).filter((c) => c.name === name) : [];
}
