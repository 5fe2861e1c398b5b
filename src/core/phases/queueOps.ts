// The worker's queue operations on either protocol. The branch protocol (every claim and finish a
// commit pushed to the one branch) drains queues generated before the ref protocol existed, and
// queues on remotes that refuse refs outside branches and tags; the ref protocol (refQueue.ts)
// drains the rest. The worker loop and the entry run do not know which one they use.
import { type Claim } from './claims';
import { layout } from './layout';
import type { Pick } from './pick';
import type { QueueRepo } from './queueRepo';
import type { RefQueue } from './refQueue';
import { snapshotFromWorktree, type QueueSnapshot } from './snapshot';
import type { PendingFinish } from './workerState';

export interface QueueOps {
  readonly kind: 'branch' | 'refs';
  /** Runs operations one at a time (a lease refresh never interleaves with a claim). */
  serial<T>(fn: () => Promise<T>): Promise<T>;
  /** Fetches and reads the queue. */
  sync(signal?: AbortSignal): Promise<QueueSnapshot>;
  /** Claims the picked entry; `make` builds the claim (again on every attempt: the lease starts when it lands). */
  claim(pick: Pick, make: () => Claim, signal?: AbortSignal): Promise<Claim | undefined>;
  /** Refreshes the lease; false when the claim is no longer ours. */
  renew(entry: string, current: Claim, next: Claim, signal?: AbortSignal): Promise<boolean>;
  finish(p: PendingFinish, signal?: AbortSignal): Promise<'pushed' | 'skipped'>;
  release(entry: string, claim: Claim, signal?: AbortSignal): Promise<boolean>;
  /** Folds published results into the branch when due (`all`: everything, before the worker exits). */
  compact(all: boolean, signal?: AbortSignal): Promise<number>;
  /** What a kept result must remember to be published after a restart. */
  claimId(entry: string): string | undefined;
}

export class BranchOps implements QueueOps {
  readonly kind = 'branch';
  constructor(readonly repo: QueueRepo) {}

  serial<T>(fn: () => Promise<T>): Promise<T> {
    return this.repo.serial(fn);
  }

  async sync(signal?: AbortSignal): Promise<QueueSnapshot> {
    await this.repo.sync(signal);
    return snapshotFromWorktree(this.repo.dir);
  }

  async claim(pick: Pick, make: () => Claim, signal?: AbortSignal): Promise<Claim | undefined> {
    const name = pick.entry.name;
    let claim: Claim | undefined;
    const outcome = await this.repo.commitAndPush(
      `claim ${name}${pick.how === 'new' ? '' : ` (${pick.how}${pick.previous ? ` from ${pick.previous.host}` : ''})`}`,
      () => {
        claim = make();
        return [{ path: layout.claim(name), content: `${JSON.stringify(claim, null, 2)}\n` }];
      },
      async () => {
        // Re-checked on the freshest tree: the claim we saw must still be the one there.
        const s = await snapshotFromWorktree(this.repo.dir);
        if (s.results.has(name) || s.failed.has(name)) return false;
        const now = s.claims.get(name);
        if (pick.how === 'new') return !now;
        return !!now && now.token === pick.previous?.token;
      },
      signal,
    );
    return outcome === 'pushed' ? claim : undefined;
  }

  async renew(entry: string, current: Claim, next: Claim, signal?: AbortSignal): Promise<boolean> {
    const outcome = await this.repo.commitAndPush(
      `lease ${entry}`,
      () => [{ path: layout.claim(entry), content: `${JSON.stringify(next, null, 2)}\n` }],
      async () => (await snapshotFromWorktree(this.repo.dir)).claims.get(entry)?.token === current.token,
      signal,
      { urgent: true },
    );
    return outcome === 'pushed';
  }

  async finish(p: PendingFinish, signal?: AbortSignal): Promise<'pushed' | 'skipped'> {
    const outcome = await this.repo.commitAndPush(
      `${p.kind === 'finish' ? 'finish' : 'fail'} ${p.entry}`,
      () => [...p.files.map((f) => ({ path: f.path, content: f.content, copyFrom: f.from })), { path: layout.claim(p.entry), remove: true as const }],
      async () => {
        const s = await snapshotFromWorktree(this.repo.dir);
        // Someone else's result already landed (we were taken over): theirs stands.
        if (s.results.has(p.entry)) return false;
        if (p.kind === 'fail') return s.claims.get(p.entry)?.token === p.token;
        return true;
      },
      signal,
      { urgent: true },
    );
    return outcome === 'pushed' ? 'pushed' : 'skipped';
  }

  async release(entry: string, claim: Claim, signal?: AbortSignal): Promise<boolean> {
    const outcome = await this.repo.commitAndPush(
      `release ${entry}`,
      () => [{ path: layout.claim(entry), remove: true }],
      async () => (await snapshotFromWorktree(this.repo.dir)).claims.get(entry)?.token === claim.token,
      signal,
      { urgent: true },
    );
    return outcome === 'pushed';
  }

  async compact(): Promise<number> {
    return 0; // results are on the branch already
  }

  claimId(): string | undefined {
    return undefined;
  }
}

export class RefOps implements QueueOps {
  readonly kind = 'refs';
  constructor(readonly queue: RefQueue) {}

  serial<T>(fn: () => Promise<T>): Promise<T> {
    return this.queue.serial(fn);
  }

  sync(signal?: AbortSignal): Promise<QueueSnapshot> {
    return this.queue.sync(signal);
  }

  async claim(pick: Pick, make: () => Claim, signal?: AbortSignal): Promise<Claim | undefined> {
    const claim = make();
    return (await this.queue.claim(pick.entry.name, claim, signal)) ? claim : undefined;
  }

  renew(entry: string, _current: Claim, next: Claim, signal?: AbortSignal): Promise<boolean> {
    return this.queue.renew(entry, next, signal);
  }

  finish(p: PendingFinish, signal?: AbortSignal): Promise<'pushed' | 'skipped'> {
    return this.queue.finish(p, signal);
  }

  release(entry: string, _claim: Claim, signal?: AbortSignal): Promise<boolean> {
    return this.queue.release(entry, signal);
  }

  private finished = 0;

  async compact(all: boolean, signal?: AbortSignal): Promise<number> {
    if (!all && ++this.finished % 50 === 0) await this.queue.maintain(signal);
    if (!all) return this.queue.shouldCompact() ? this.queue.compact(signal) : 0;
    // Before exiting: until nothing is left outside the branch (others folding at once only help).
    let folded = 0;
    await this.queue.sync(signal);
    for (let round = 0; this.queue.shouldCompact(true); round++) {
      folded += await this.queue.compact(signal);
      await this.queue.sync(signal);
      if (round > 100) break;
    }
    return folded;
  }

  claimId(entry: string): string | undefined {
    return this.queue.ownClaim(entry);
  }
}
