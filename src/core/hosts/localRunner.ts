// The built-in `local` host: this machine, no SSH. Commands run through runLocal (process-group kill);
// "transfers" are file copies.
import { copyFile, mkdir } from 'node:fs/promises';
import { replaceFileWith } from '../fs/writeFileAtomic';
import { dirname } from 'node:path';
import { throwIfAborted } from '../process/errors';
import type { ExecOptions, ExecResult } from '../process/exec';
import { expandHome, runLocal } from '../process/runLocal';
import type { HostRunner, HostSpec } from './types';

const localHostName = 'local';

/** The embedded default host, always first in the inventory. */
export function localHostSpec(workDir?: string): HostSpec {
  return { name: localHostName, kind: 'local', source: 'builtin', description: 'This machine', workDir };
}

export class LocalRunner implements HostRunner {
  /** `killGraceMs`: how long a cancelled command's process group has between TERM and KILL. */
  constructor(
    readonly host: HostSpec = localHostSpec(),
    private readonly killGraceMs?: number,
  ) {}

  exec(command: string, opts: ExecOptions = {}): Promise<ExecResult> {
    return runLocal(command, opts, this.killGraceMs);
  }

  async download(remotePath: string, localPath: string, signal?: AbortSignal): Promise<void> {
    await copy(expandHome(remotePath), localPath, signal);
  }

  async upload(localPath: string, remotePath: string, signal?: AbortSignal): Promise<void> {
    await copy(localPath, expandHome(remotePath), signal);
  }
}

async function copy(from: string, to: string, signal?: AbortSignal): Promise<void> {
  throwIfAborted(signal);
  await mkdir(dirname(to), { recursive: true });
  await replaceFileWith(to, (tmp) => copyFile(from, tmp));
}
