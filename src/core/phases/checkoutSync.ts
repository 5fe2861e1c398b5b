// The researcher's own checkout after a worker pushed results: a worker works in its private
// worktree and pushes to the remote, so the checkout the editor has open falls behind ("24 commits
// behind"). These read how far behind it is and fast-forward it — never a merge, never a reset.
import { git } from './git';

export interface CheckoutState {
  /** The upstream branch, e.g. `origin/main`. */
  upstream: string;
  behind: number;
  ahead: number;
  /** No changes to tracked files (untracked files never block a fast-forward git can do). */
  clean: boolean;
}

/** Fetches, then compares HEAD with its upstream; undefined when the branch has no upstream. */
export async function checkoutState(dir: string, signal?: AbortSignal): Promise<CheckoutState | undefined> {
  const up = await git(dir, ['rev-parse', '--abbrev-ref', '--symbolic-full-name', '@{u}'], { allowFail: true, signal });
  if (up.code !== 0) return undefined;
  const upstream = up.stdout.trim();
  const remote = upstream.split('/')[0]!;
  await git(dir, ['fetch', '--quiet', remote], { allowFail: true, signal });
  const counts = (await git(dir, ['rev-list', '--left-right', '--count', 'HEAD...@{u}'], { signal })).stdout.trim().split(/\s+/).map(Number);
  const status = await git(dir, ['status', '--porcelain', '--untracked-files=no'], { signal });
  return { upstream, ahead: counts[0] ?? 0, behind: counts[1] ?? 0, clean: status.stdout.trim() === '' };
}

/** `git merge --ff-only @{u}`: throws (GitError, git's own reason) when it cannot fast-forward. */
export async function fastForwardCheckout(dir: string, signal?: AbortSignal): Promise<void> {
  await git(dir, ['merge', '--ff-only', '--quiet', '@{u}'], { signal });
}
