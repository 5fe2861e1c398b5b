// File transfer over SFTP on a pooled connection. `~` and `~/x` are resolved against the remote
// home; local parent directories (and remote ones on upload) are created as needed.
import type { Client, SFTPWrapper } from 'ssh2';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { replaceFileWith } from '../fs/writeFileAtomic';
import { dirname, posix } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { CancelledError, isCancelled } from '../process/errors';

export async function sftpDownload(sftp: SFTPWrapper, remotePath: string, localPath: string, hostName: string, signal?: AbortSignal): Promise<void> {
  try {
    const path = await resolveRemotePath(sftp, remotePath);
    await mkdir(dirname(localPath), { recursive: true });
    // Into a temp file beside the target: a broken transfer never replaces an earlier copy with half a file.
    await replaceFileWith(localPath, (tmp) => pipeline(sftp.createReadStream(path), createWriteStream(tmp), { signal })).catch((err) => {
      throw transferError(err, `download ${hostName}:${remotePath}`, signal);
    });
  } finally {
    sftp.end();
  }
}

export async function sftpUpload(sftp: SFTPWrapper, localPath: string, remotePath: string, hostName: string, signal?: AbortSignal): Promise<void> {
  try {
    const path = await resolveRemotePath(sftp, remotePath);
    await mkdirRemote(sftp, posix.dirname(path));
    await pipeline(createReadStream(localPath), sftp.createWriteStream(path), { signal }).catch((err) => {
      throw transferError(err, `upload ${localPath} to ${hostName}:${remotePath}`, signal);
    });
  } finally {
    sftp.end();
  }
}

export function openSftp(client: Client): Promise<SFTPWrapper> {
  return new Promise((resolve, reject) => client.sftp((err, sftp) => (err ? reject(err) : resolve(sftp))));
}

/** `~` → remote home (SFTP starts there), `~/x` → `<home>/x`; other paths unchanged. */
async function resolveRemotePath(sftp: SFTPWrapper, path: string): Promise<string> {
  if (path !== '~' && !path.startsWith('~/')) return path;
  const home = await new Promise<string>((resolve, reject) => sftp.realpath('.', (err, p) => (err ? reject(err) : resolve(p))));
  return path === '~' ? home : posix.join(home, path.slice(2));
}

async function mkdirRemote(sftp: SFTPWrapper, dir: string): Promise<void> {
  const missing: string[] = [];
  for (let d = dir; d && d !== '/' && d !== '.'; d = posix.dirname(d)) {
    const exists = await new Promise<boolean>((resolve) => sftp.stat(d, (err) => resolve(!err)));
    if (exists) break;
    missing.unshift(d);
  }
  for (const d of missing) {
    await new Promise<void>((resolve, reject) =>
      sftp.mkdir(d, (err) => (err ? reject(new Error(`could not create remote directory ${d}: ${err.message}`)) : resolve())),
    );
  }
}

function transferError(err: unknown, what: string, signal?: AbortSignal): Error {
  if (signal?.aborted || isCancelled(err)) return new CancelledError();
  const e = err as Error & { code?: number | string };
  const reason = e.code === 2 ? 'no such file' : e.code === 3 ? 'permission denied' : e.message;
  return new Error(`Could not ${what}: ${reason}`);
}
