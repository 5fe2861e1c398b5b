// The one way Airlock replaces a file a user cares about (outputs, reports, .airlock/*.json,
// ~/.ssh/config, state): write a temp file in the same directory, fsync it, rename it over the
// target. A failure at any step (disk full, quota, RLIMIT_FSIZE) leaves the previous file intact
// and removes the temp file; a reader never sees half a file. A symlinked target is written
// through (the link stays a link, e.g. a dotfiles repo), and an existing file keeps its mode.
import { closeSync, fchmodSync, fsyncSync, lstatSync, openSync, readlinkSync, realpathSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { lstat, open, readlink, realpath, rename, stat, unlink } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join, resolve } from 'node:path';

export interface AtomicWriteOptions {
  /** Mode for a new file (default 0o666 less the umask, as `writeFile`); an existing file keeps its own. */
  mode?: number;
  /** Secrets: apply `mode` exactly, even over an existing file's looser mode (and regardless of the umask). */
  forceMode?: boolean;
}

function modeFor(existing: number | undefined, opts: AtomicWriteOptions): { open: number; chmod?: number } {
  if (opts.forceMode && opts.mode !== undefined) return { open: opts.mode, chmod: opts.mode };
  return { open: existing ?? opts.mode ?? 0o666, chmod: existing };
}

/** Writes to the same path still in flight in this process, newest last. */
const inFlight = new Map<string, Promise<void>>();

/**
 * Writes `data` to `path` atomically; resolves once the new content is durable and in place.
 * Writes to one path from this process land in the order they were called: two overlapping
 * writes each rename their own temp file, and an older one whose fsync took longer would
 * otherwise land last and put back stale content (a state file then stayed behind its process).
 */
export function writeFileAtomic(path: string, data: string | Uint8Array, opts: AtomicWriteOptions = {}): Promise<void> {
  const key = resolve(path);
  const previous = inFlight.get(key);
  const mine = (previous ?? Promise.resolve()).then(
    () => writeNow(path, data, opts),
    () => writeNow(path, data, opts),
  );
  const tracked = mine.catch(() => undefined);
  inFlight.set(key, tracked);
  void tracked.then(() => inFlight.get(key) === tracked && inFlight.delete(key));
  return mine;
}

async function writeNow(path: string, data: string | Uint8Array, opts: AtomicWriteOptions): Promise<void> {
  const target = await resolveTarget(path);
  const existingMode = await stat(target).then(
    (s) => s.mode & 0o7777,
    () => undefined,
  );
  const mode = modeFor(existingMode, opts);
  const tmp = tempPathFor(target);
  const fh = await open(tmp, 'wx', mode.open);
  try {
    try {
      // open()'s mode is masked by the umask; a replaced file must keep exactly the mode it had.
      if (mode.chmod !== undefined) await fh.chmod(mode.chmod);
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, target);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
  await syncDir(dirname(target));
}

/** Synchronous twin for the few places that must finish before the process goes on (pid files at start-up). */
export function writeFileAtomicSync(path: string, data: string | Uint8Array, opts: AtomicWriteOptions = {}): void {
  const target = resolveTargetSync(path);
  let existingMode: number | undefined;
  try {
    existingMode = statSync(target).mode & 0o7777;
  } catch {
    existingMode = undefined;
  }
  const mode = modeFor(existingMode, opts);
  const tmp = tempPathFor(target);
  const fd = openSync(tmp, 'wx', mode.open);
  try {
    try {
      if (mode.chmod !== undefined) fchmodSync(fd, mode.chmod);
      const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
      for (let off = 0; off < buf.length;) off += writeSync(fd, buf, off, buf.length - off);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, target);
  } catch (err) {
    try {
      unlinkSync(tmp);
    } catch {
      /* already gone */
    }
    throw err;
  }
}

/**
 * Runs `produce(tmp)` to create the content at a temp path beside `path` (a download, a stream),
 * then fsyncs and renames it into place; on failure the temp file goes and `path` is untouched.
 */
export async function replaceFileWith<T>(path: string, produce: (tmpPath: string) => Promise<T>): Promise<T> {
  const target = await resolveTarget(path);
  const tmp = tempPathFor(target);
  try {
    const result = await produce(tmp);
    const fh = await open(tmp, 'r+');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, target);
    await syncDir(dirname(target));
    return result;
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
}

/** `.name.<random>.tmp` in the target's own directory, so the rename never crosses a file system. */
export function tempPathFor(target: string): string {
  return join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/** The file a write to `path` must replace: the end of a symlink chain (even a dangling one). */
async function resolveTarget(path: string): Promise<string> {
  const abs = resolve(path);
  const st = await lstat(abs).catch(() => undefined);
  if (!st?.isSymbolicLink()) return abs;
  return realpath(abs).catch(async () => resolve(dirname(abs), await readlink(abs)));
}

function resolveTargetSync(path: string): string {
  const abs = resolve(path);
  let link = false;
  try {
    link = lstatSync(abs).isSymbolicLink();
  } catch {
    return abs;
  }
  if (!link) return abs;
  try {
    return realpathSync(abs);
  } catch {
    return resolve(dirname(abs), readlinkSync(abs));
  }
}

/** Makes the rename itself durable; some file systems refuse to fsync a directory, which is fine. */
async function syncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r').catch(() => undefined);
  if (!fh) return;
  await fh.sync().catch(() => undefined);
  await fh.close().catch(() => undefined);
}
