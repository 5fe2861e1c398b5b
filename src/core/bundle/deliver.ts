// Where a bundle goes: a file, a host's work directory over SFTP (any Hosts entry; `local` is a
// copy), optionally unpacked there. Unpacking writes every file from the bundle (checked against
// its manifest first), marks executables, and leaves `.airlock-bundle.json` for `verify`.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import type { HostRunner } from '../hosts/types';
import { throwIfAborted } from '../process/errors';
import { remotePathExpr, shellQuote } from '../shell/quote';
import { receivedName, type ReceivedRecord } from './manifest';
import type { OpenedBundle } from './readBundle';

export interface DeliverProgress {
  (done: number, total: number, what: string): void;
}

/** Uploads the zip itself to `remotePath` on the host. */
export async function uploadBundle(runner: HostRunner, zip: Uint8Array, remotePath: string, signal?: AbortSignal): Promise<void> {
  const tmp = await mkdtemp(join(tmpdir(), 'airlock-bundle-'));
  try {
    const file = join(tmp, 'bundle.zip');
    await writeFile(file, zip);
    await runner.upload(file, remotePath, signal);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/** Unpacks into `dir` on the host and records the manifest there. Returns the record written. */
export async function unpackOnHost(
  runner: HostRunner,
  bundle: OpenedBundle,
  dir: string,
  o: { signal?: AbortSignal; onProgress?: DeliverProgress; now?: () => Date } = {},
): Promise<ReceivedRecord> {
  const tmp = await mkdtemp(join(tmpdir(), 'airlock-unpack-'));
  const total = bundle.manifest.files.length + 1;
  try {
    // Every directory first, in one command: parallel uploads creating the same parent would race.
    const dirs = [...new Set(bundle.manifest.files.map((f) => posix.dirname(posix.join(dir, f.path))))];
    const made = await runner.exec(`mkdir -p -- ${dirs.map(remotePathExpr).join(' ')}`, { signal: o.signal });
    if (made.code !== 0) throw new Error(`could not create ${dir} on ${runner.host.name}: ${made.stderr.trim() || `exit ${made.code}`}`);
    let done = 0;
    const queue = [...bundle.manifest.files];
    // A few transfers at once: one SFTP channel each on the pooled connection.
    const worker = async () => {
      for (let f = queue.shift(); f; f = queue.shift()) {
        throwIfAborted(o.signal);
        const local = join(tmp, String(done + queue.length));
        await writeFile(local, bundle.files.get(f.path)!);
        await runner.upload(local, posix.join(dir, f.path), o.signal);
        await rm(local, { force: true });
        o.onProgress?.(++done, total, f.path);
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
    const executables = bundle.manifest.files.filter((f) => f.mode === '100755').map((f) => f.path);
    if (executables.length) {
      const r = await runner.exec(`cd ${remotePathExpr(dir)} && chmod +x -- ${executables.map(shellQuote).join(' ')}`, { signal: o.signal });
      if (r.code !== 0) throw new Error(`could not mark executables on ${runner.host.name}: ${r.stderr.trim()}`);
    }
    const record: ReceivedRecord = { bundleSha256: bundle.sha256, unpackedAt: (o.now?.() ?? new Date()).toISOString(), manifest: bundle.manifest };
    const recFile = join(tmp, receivedName);
    await writeFile(recFile, JSON.stringify(record, null, 2) + '\n');
    await runner.upload(recFile, posix.join(dir, receivedName), o.signal);
    o.onProgress?.(total, total, receivedName);
    return record;
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/** Reads `.airlock-bundle.json` from `dir` on the host; undefined when there is none. */
export async function readReceived(runner: HostRunner, dir: string, signal?: AbortSignal): Promise<ReceivedRecord | undefined> {
  const r = await runner.exec(`cat ${remotePathExpr(posix.join(dir, receivedName))} 2>/dev/null`, { signal });
  if (r.code !== 0 || !r.stdout.trim()) return undefined;
  try {
    const rec = JSON.parse(r.stdout) as ReceivedRecord;
    return rec && typeof rec.bundleSha256 === 'string' && rec.manifest ? rec : undefined;
  } catch {
    return undefined;
  }
}
