import { spawn } from 'node:child_process';
import { homedir } from 'node:os';
import { CancelledError } from './errors';
import { type ExecOptions, type ExecResult, OutputCapture } from './exec';
import { LineSplitter } from './lineSplitter';

/** Expands a leading `~` to the home directory. */
export function expandHome(path: string): string {
  return path === '~' ? homedir() : path.startsWith('~/') ? homedir() + path.slice(1) : path;
}

/**
 * Runs `command` with `bash -lc` in its own process group on this machine. Cancelling (or the
 * timeout) sends SIGTERM to the whole group, then SIGKILL after `killGraceMs`, so children die too.
 * Rejects with CancelledError when aborted; otherwise resolves with the exit status (never rejects
 * for a non-zero exit).
 */
export function runLocal(command: string, opts: ExecOptions = {}, killGraceMs = 2000): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    if (opts.signal?.aborted) return reject(new CancelledError());
    const child = spawn('bash', ['-lc', command], {
      cwd: opts.cwd ? expandHome(opts.cwd) : undefined,
      env: { ...process.env, ...opts.env },
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out = new OutputCapture();
    const err = new OutputCapture();
    const outLines = new LineSplitter((l) => {
      out.append(l);
      opts.onStdout?.(l);
    });
    const errLines = new LineSplitter((l) => {
      err.append(l);
      opts.onStderr?.(l);
    });
    child.stdout.on('data', (c: Buffer) => outLines.push(c));
    child.stderr.on('data', (c: Buffer) => errLines.push(c));
    child.stdin.on('error', () => undefined);
    child.stdin.end(opts.input ?? '');

    let timedOut = false;
    let aborted = false;
    let killTimer: NodeJS.Timeout | undefined;
    const killGroup = () => {
      killProcessGroup(child.pid, 'SIGTERM');
      killTimer = setTimeout(() => killProcessGroup(child.pid, 'SIGKILL'), killGraceMs);
    };
    const onAbort = () => {
      aborted = true;
      killGroup();
    };
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const timeout = opts.timeoutMs
      ? setTimeout(() => {
          timedOut = true;
          killGroup();
        }, opts.timeoutMs)
      : undefined;

    child.on('error', (e) => {
      cleanup();
      reject(e);
    });
    child.on('close', (code, signal) => {
      outLines.flush();
      errLines.flush();
      cleanup();
      // Leave no stragglers behind when the leader exits first (e.g. `cmd &` in the command).
      if (aborted || timedOut) killProcessGroup(child.pid, 'SIGKILL');
      if (aborted) return reject(new CancelledError());
      resolve({ code, signal, stdout: out.toString(), stderr: err.toString(), timedOut });
    });
    function cleanup() {
      opts.signal?.removeEventListener('abort', onAbort);
      if (timeout) clearTimeout(timeout);
      if (killTimer) clearTimeout(killTimer);
    }
  });
}

/** Signals every process in the group led by `pid`; a group that is already gone is fine. */
export function killProcessGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (!pid) return;
  try {
    process.kill(-pid, signal);
  } catch {
    /* already gone */
  }
}
