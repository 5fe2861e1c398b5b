// The worker's view of the queue repository: sync to the remote, and commit-and-push a change that
// must not be lost or duplicated. All git operations of one worker go through one queue (a lease
// refresh never interleaves with a claim).
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile, copyFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { CancelledError, sleep } from '../process/errors';
import { git, GitError, isPushRejected } from './git';
import { currentBranch } from './gitRead';

export class NetworkError extends Error {
  override readonly name = 'NetworkError';
}

export interface RetryOptions {
  /** First retry delay for network errors; doubles up to `maxBackoffMs`. */
  backoffMs?: number;
  maxBackoffMs?: number;
  onRetry?: (what: string, attempt: number, delayMs: number, err: Error) => void;
}

/**
 * Runs `fn` until it does not throw a NetworkError: a remote that is down is waited for (with
 * exponential back-off, reported through onRetry), never confused with a lost race.
 */
export async function retryNetwork(opts: RetryOptions, what: string, signal: AbortSignal | undefined, fn: () => Promise<void>): Promise<void> {
  let delay = opts.backoffMs ?? 1000;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!(err instanceof NetworkError) || signal?.aborted) throw signal?.aborted ? new CancelledError() : err;
      opts.onRetry?.(what, attempt, delay, err);
      await sleep(delay, signal);
      delay = Math.min(delay * 2, opts.maxBackoffMs ?? 60_000);
    }
  }
}

export interface RepoOptions {
  dir: string;
  remote?: string;
  branch?: string;
  /** First retry delay for network errors; doubles up to `maxBackoffMs`. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** A branch lock on the remote older than this is reported as left behind (default 20 s). */
  staleLockMs?: number;
  onRetry?: (what: string, attempt: number, delayMs: number, err: Error) => void;
}

export type FileChange = { path: string; content?: string; copyFrom?: string } | { path: string; remove: true };

export type ChangeOutcome = 'pushed' | 'conflict' | 'skipped';

export class QueueRepo {
  readonly dir: string;
  readonly remote: string;
  branch: string;
  private chain: Promise<unknown> = Promise.resolve();
  private identity: string[] = [];

  constructor(private readonly opts: RepoOptions) {
    this.dir = opts.dir;
    this.remote = opts.remote ?? 'origin';
    this.branch = opts.branch ?? '';
  }

  /** Checks the worktree and finds the branch. */
  async open(signal?: AbortSignal): Promise<void> {
    const top = await git(this.dir, ['rev-parse', '--show-toplevel'], { allowFail: true, signal });
    if (top.code !== 0) throw new Error(`${this.dir} is not a git clone — run the worker inside a clone of the queue repository`);
    if (!this.branch) this.branch = await currentBranch(this.dir, signal);
    // This is the worker's private worktree: leftovers of a crash mid-commit are discarded (results
    // live outside it until pushed).
    await git(this.dir, ['rebase', '--abort'], { allowFail: true, signal });
    await git(this.dir, ['reset', '-q', '--hard'], { allowFail: true, signal });
    const email = await git(this.dir, ['config', 'user.email'], { allowFail: true, signal });
    if (!email.stdout.trim()) this.identity = ['-c', 'user.name=airlock worker', '-c', 'user.email=airlock@localhost'];
  }

  /** Runs git operations one at a time. */
  serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.chain.then(fn, fn);
    this.chain = next.catch(() => undefined);
    return next;
  }

  /** Fetches and resets the work tree to the remote branch (retrying network errors). */
  async sync(signal?: AbortSignal): Promise<void> {
    await this.retry('fetch', signal, async () => {
      const r = await git(this.dir, ['fetch', '--quiet', '--no-tags', this.remote, this.branch], { allowFail: true, signal });
      if (r.code !== 0) {
        // An empty remote (nothing pushed yet) is not a network error.
        if (/couldn't find remote ref/i.test(r.stderr)) return;
        throw new NetworkError(r.stderr.trim() || `git fetch exited ${r.code}`);
      }
    });
    const ref = `${this.remote}/${this.branch}`;
    const has = await git(this.dir, ['rev-parse', '-q', '--verify', ref], { allowFail: true, signal });
    if (has.code === 0) await git(this.dir, ['reset', '-q', '--hard', ref], { signal });
  }

  /**
   * Applies `change` on top of the remote and pushes it. `check` runs after each sync, on the
   * fresh tree: returning false abandons the change ('skipped', or 'conflict' when another host's
   * push got there first). A rejected push re-syncs, re-checks and tries again.
   *
   * `urgent` marks what an owner must land before its lease runs out (a finish, a lease refresh, a
   * release): it retries at once after a rejection, while new claims back off. Every push is a
   * compare-and-swap on one branch, so under contention the retry policy decides who lands; with
   * equal exponential backoff a worker that lost a few races waits longest and can lose its lease to
   * a taker while it is alive and holding a finished result.
   */
  async commitAndPush(
    message: string,
    files: () => Promise<FileChange[]> | FileChange[],
    check: () => Promise<boolean>,
    signal?: AbortSignal,
    opts: { urgent?: boolean } = {},
  ): Promise<ChangeOutcome> {
    let lostRace = false;
    let lockedSince: number | undefined;
    for (let attempt = 0; ; attempt++) {
      if (signal?.aborted) throw new CancelledError();
      await this.sync(signal);
      if (!(await check())) return lostRace ? 'conflict' : 'skipped';
      const changes = await files();
      const paths: string[] = [];
      for (const c of changes) {
        const abs = join(this.dir, c.path);
        // Removing what is not there changes nothing (and `git add` would refuse the path).
        if ('remove' in c) {
          if (existsSync(abs)) paths.push(c.path);
          await rm(abs, { force: true });
        } else {
          paths.push(c.path);
          await mkdir(dirname(abs), { recursive: true });
          if (c.copyFrom) await copyFile(c.copyFrom, abs);
          else await writeFile(abs, c.content ?? '');
        }
      }
      if (paths.length) await git(this.dir, ['add', '-A', '--', ...paths], { signal });
      const staged = await git(this.dir, ['diff', '--cached', '--quiet'], { allowFail: true, signal });
      if (staged.code === 0) return 'pushed'; // nothing to change: the remote already says so
      await git(this.dir, [...this.identity, 'commit', '-q', '-m', message], { signal });
      const pushed = await this.push(signal);
      if (pushed === true) return 'pushed';
      // Another push holds the branch's lock for a moment; a lock that stays was left by a push
      // that died on the remote's side, and only a person can tell it is safe to remove.
      if (pushed.lock) {
        lockedSince ??= Date.now();
        if (Date.now() - lockedSince > (this.opts.staleLockMs ?? 20_000))
          throw new Error(
            `the remote's branch has been locked for ${Math.round((this.opts.staleLockMs ?? 20_000) / 1000)} s (${pushed.lock} exists): a push that died there left it behind — remove that file on the remote if no git process is using it; nothing was lost here, "${message}" is retried on the next start`,
          );
      } else lockedSince = undefined;
      // Rejected: someone pushed first. The next round re-syncs and re-checks on their tree; a
      // push is a compare-and-swap on the branch, so what we checked is what we pushed onto.
      lostRace = true;
      // Many workers pushing to one branch: a random pause keeps them from retrying in lockstep;
      // claims pause longer and longer, so owners' urgent changes get through first.
      await sleep(opts.urgent ? Math.random() * 25 : Math.random() * Math.min(50 * 2 ** attempt, 1000), signal);
      if (attempt > (opts.urgent ? 400 : 50))
        throw new Error(`could not push "${message}" after ${attempt} attempts: the remote keeps moving (last: ${pushed.reason})`);
    }
  }

  /** Pushes HEAD: true, or why it was rejected (the remote moved, or its branch is locked); throws NetworkError after retries. */
  private async push(signal?: AbortSignal): Promise<true | { reason: string; lock?: string }> {
    let rejected: { reason: string; lock?: string } | undefined;
    await this.retry('push', signal, async () => {
      const r = await git(this.dir, ['push', '--quiet', this.remote, `HEAD:refs/heads/${this.branch}`], { allowFail: true, signal });
      if (r.code === 0) return;
      if (isPushRejected(r)) {
        const lock = /Unable to create '([^']+\.lock)': File exists/.exec(r.stderr)?.[1];
        rejected = { reason: r.stderr.trim().split('\n').at(-1) ?? 'rejected', ...(lock ? { lock } : {}) };
        return;
      }
      throw new NetworkError(r.stderr.trim() || `git push exited ${r.code}`);
    });
    return rejected ?? true;
  }

  private retry(what: string, signal: AbortSignal | undefined, fn: () => Promise<void>): Promise<void> {
    return retryNetwork(this.opts, what, signal, fn);
  }
}

export { GitError };
