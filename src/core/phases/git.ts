// A thin wrapper over the `git` command line (what users have, with their credentials and ssh
// setup), with cancellation and errors that keep git's own message.
import { execFile } from 'node:child_process';
import { CancelledError } from '../process/errors';

export interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
}

export class GitError extends Error {
  override readonly name = 'GitError';
  constructor(
    readonly args: string[],
    readonly result: GitResult,
  ) {
    super(`git ${args.join(' ')} failed (${result.code}): ${result.stderr.trim().split('\n').slice(-3).join(' | ') || result.stdout.trim()}`);
  }
}

export interface GitOptions {
  signal?: AbortSignal;
  /** Return a non-zero exit instead of throwing. */
  allowFail?: boolean;
  input?: string | Buffer;
  env?: Record<string, string>;
}

/** Counts git processes started by this process (the bench prints git processes per entry). */
export const gitStats = { processes: 0 };

export function git(cwd: string, args: string[], opts: GitOptions = {}): Promise<GitResult> {
  return gitRaw(cwd, args, opts).then((r) => ({ code: r.code, stdout: r.stdout.toString('utf8'), stderr: r.stderr }));
}

/** Like `git` but keeps stdout as bytes: blob contents and sizes from `cat-file` are byte-exact. */
export function gitRaw(cwd: string, args: string[], opts: GitOptions = {}): Promise<{ code: number; stdout: Buffer; stderr: string }> {
  return new Promise((resolve, reject) => {
    if (opts.signal?.aborted) return reject(new CancelledError());
    gitStats.processes++;
    const child = execFile(
      'git',
      args,
      {
        cwd,
        maxBuffer: 256 * 1024 * 1024,
        encoding: 'buffer',
        // Never wait for a password prompt: a worker has no one to answer it.
        env: { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C', ...opts.env },
        signal: opts.signal,
      },
      (err, stdout, stderr) => {
        if (opts.signal?.aborted) return reject(new CancelledError());
        const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
        const out = Buffer.isBuffer(stdout) ? stdout : Buffer.from(String(stdout));
        const result = { code, stdout: out, stderr: String(stderr) };
        if (code !== 0 && !opts.allowFail) reject(new GitError(args, { code, stdout: out.toString('utf8'), stderr: result.stderr }));
        else resolve(result);
      },
    );
    if (opts.input !== undefined) child.stdin?.end(opts.input);
  });
}

/** A push refused because the remote moved on (someone else pushed first), not a network error. */
export function isPushRejected(r: GitResult): boolean {
  return /\[rejected\]|non-fast-forward|fetch first|\(stale info\)|cannot lock ref|failed to update ref/i.test(r.stderr);
}
