// `airlock worker`: drains the queue. Claim (a pushed commit) → run with a refreshed lease →
// finish (result + log pushed, claim removed). Results are written outside the work tree first and
// pushed later if the remote is unreachable, so a result is never lost.
import { CancelledError, isCancelled, sleep } from '../process/errors';
import { isStale, newClaim, type Claim } from './claims';
import { entryIndex, runnerFor, type Entry } from './entries';
import { claimedByOthers, eligibleEntries, pickEntry, type Pick } from './pick';
import { pidAlive } from '../process/pidAlive';
import { loadPlan, type PhaseDef, type PhasePlan } from './plan';
import { QueueRepo } from './queueRepo';
import { currentBranch } from './gitRead';
import type { QueueSnapshot } from './snapshot';
import { BranchOps, RefOps, type QueueOps } from './queueOps';
import { RefQueue, RefsRefusedError } from './refQueue';
import { detectVramGb } from './vram';
import { runEntry } from './entryRun';
import { stopLeftoverRuns } from './leftovers';
import { leaseBackoffCapMs, StaleWatch } from './staleWatch';
import type { WorkerEvent, WorkerOptions, WorkerSummary } from './workerTypes';
import { WorkerState, type PendingFinish } from './workerState';

export async function runWorker(opts: WorkerOptions, signal: AbortSignal, onEvent: (e: WorkerEvent) => void = () => {}): Promise<WorkerSummary> {
  const plan = await loadPlan(opts.planPath);
  const state = await WorkerState.open(opts.cloneDir, opts.host);
  await state.ensureWorktree(opts.cloneDir);
  const leaseSec = opts.leaseSec ?? plan.leaseSec;
  const watch = new StaleWatch(leaseSec * 1000);
  const net = {
    // Capped below the takeover grace: cut off by an outage, we are back before anyone takes our claim.
    backoffMs: opts.backoffMs,
    maxBackoffMs: leaseBackoffCapMs(leaseSec, opts.maxBackoffMs),
    onRetry: (what: string, attempt: number, delayMs: number, err: Error) => {
      watch.networkTrouble();
      onEvent({ type: 'retry', what, attempt, delayMs, error: err.message });
    },
  };
  const branch = opts.branch ?? (await currentBranch(opts.cloneDir));
  const repo = new QueueRepo({ dir: state.worktree, remote: opts.remote, branch, ...net });
  await repo.open(signal);
  const refs = new RefQueue({
    dir: state.worktree,
    remote: opts.remote,
    branch,
    host: opts.host,
    ...net,
    ...(opts.compactEvery ? { compactEvery: opts.compactEvery } : {}),
  });
  const w = new Worker(opts, plan, state, { branch: new BranchOps(repo), refs: new RefOps(refs) }, signal, onEvent, watch);
  return w.run();
}

class Worker {
  private readonly summary: WorkerSummary = { done: 0, failed: 0, lost: 0, pending: 0, cancelled: false };
  private readonly leaseSec: number;
  private readonly index: Map<string, Entry>;
  private phases: PhaseDef[] = [];
  /** Decided by the queue itself on the first sync (its TODO lists say which protocol it uses). */
  private ops: QueueOps;

  constructor(
    private readonly opts: WorkerOptions,
    private readonly plan: PhasePlan,
    private readonly state: WorkerState,
    private readonly protocols: { branch: BranchOps; refs: RefOps },
    private readonly signal: AbortSignal,
    private readonly emit: (e: WorkerEvent) => void,
    private readonly watch: StaleWatch,
  ) {
    this.leaseSec = opts.leaseSec ?? plan.leaseSec;
    this.index = entryIndex(plan);
    this.ops = protocols.branch;
  }

  /** Syncs and reads the queue, switching to the ref protocol once the queue is on it. */
  private async sync(): Promise<QueueSnapshot> {
    let s = await this.ops.serial(() => this.ops.sync(this.signal));
    if (this.ops.kind === 'branch' && s.format === 'refs') {
      this.ops = this.protocols.refs;
      s = await this.ops.serial(() => this.ops.sync(this.signal));
    }
    return s;
  }

  async run(): Promise<WorkerSummary> {
    const runner = runnerFor(this.plan, this.opts.host);
    const wanted = this.opts.phases ?? runner.phases ?? this.plan.phases.map((p) => p.name);
    for (const p of wanted)
      if (!this.plan.phases.some((d) => d.name === p))
        throw new Error(`phase "${p}" is not in ${this.plan.file} (phases: ${this.plan.phases.map((d) => d.name).join(', ')})`);
    const vram = this.opts.vramGb ?? (await detectVramGb());
    const skipped: { phase: string; reason: string }[] = [];
    this.phases = this.plan.phases
      .filter((p) => wanted.includes(p.name))
      .filter((p) => {
        if (p.vramGb && vram < p.vramGb) skipped.push({ phase: p.name, reason: `needs ${p.vramGb} GB of GPU memory; this host has ${vram} GB` });
        return !(p.vramGb && vram < p.vramGb);
      });
    this.emit({ type: 'start', host: this.opts.host, phases: this.phases.map((p) => p.name), skipped });
    try {
      for (const left of await stopLeftoverRuns(this.state)) this.emit({ type: 'stopped-leftover', ...left });
      await this.sync();
      await this.pushPending(); // also with --max-entries 0: "just publish what is kept"
      await this.loop(runner);
      // Leaving: what this worker published goes into the branch, so no result waits for another worker.
      await this.compact(true);
    } catch (err) {
      if (!isCancelled(err)) throw err;
      this.summary.cancelled = true;
    }
    this.summary.pending = (await this.state.listPending()).length;
    return this.summary;
  }

  private async loop(runner: ReturnType<typeof runnerFor>): Promise<void> {
    const limit = this.opts.once ? 1 : (this.opts.maxEntries ?? Infinity);
    let ran = 0;
    const exclude = new Set<string>();
    // The ref protocol needs no fresh view to claim safely: creating an entry's ref fails if it
    // exists (claimed, done or failed), whatever we saw. So the view is re-fetched only when it may
    // mislead: after a lost race, when it shows nothing to take, or when it is a couple of seconds old.
    let snapshot: QueueSnapshot | undefined;
    let fetchedAt = 0;
    let refetch = false;
    const taken = new Set<string>();
    let lostInRow = 0;
    while (ran < limit) {
      // A result the remote refused in the last round goes first.
      await this.pushPending();
      const reuse = this.ops.kind === 'refs' && !refetch && Date.now() - fetchedAt < 2000;
      if (!reuse || !snapshot) {
        snapshot = await this.sync();
        fetchedAt = Date.now();
        taken.clear();
        this.watch.observe(snapshot.claims.values());
      }
      refetch = false;
      const view = snapshot;
      const live = [...view.claims.values()].filter((c) => !isStale(c)).length;
      const ctx = {
        snapshot: view,
        index: this.index,
        phases: this.phases,
        runner,
        host: this.opts.host,
        now: Date.now(),
        // Pick among more entries when more workers are at it (live claims ≈ busy workers): a view
        // up to 2 s old misses the claims others made since, and a narrow window sends everyone to
        // the same few entries (each lost race costs a push and a fetch).
        window: Math.max(this.opts.pickWindow ?? 32, 16 * (live + 1)),
        exclude: new Set([...exclude, ...taken]),
        pidAlive,
        takeoverReady: (c: Claim) => this.watch.ready(c),
      };
      const pick = pickEntry(ctx);
      if (!pick && reuse) {
        refetch = true; // nothing left in an old view: look again before waiting or leaving
        continue;
      }
      if (!pick && exclude.size) {
        // Entries lost to other workers are theirs only until they finish, release or expire them:
        // look at them again in a fresh view before waiting or leaving (a worker that left here
        // while the winner was later cancelled left its entry to no one).
        exclude.clear();
        refetch = true;
        continue;
      }
      if (!pick) {
        // Expired claims still in their grace period become ours soon: wait for them even with --no-wait.
        const graceLeft = eligibleEntries(ctx)
          .map((e) => view.claims.get(e.name))
          .map((c) => (c ? this.watch.waitMs(c) : undefined))
          .filter((ms): ms is number => ms !== undefined && ms > 0);
        if (graceLeft.length) {
          this.emit({ type: 'waiting', claimedByOthers: graceLeft.length });
          await sleep(Math.min(Math.min(...graceLeft) + 100, this.leaseSec * 500), this.signal);
          continue;
        }
        const others = claimedByOthers(ctx);
        if (others && (this.opts.waitForClaims ?? true) && !this.opts.once) {
          this.emit({ type: 'waiting', claimedByOthers: others });
          exclude.clear();
          await sleep(Math.min(this.leaseSec * 500, 30_000), this.signal);
          continue;
        }
        this.emit({ type: 'idle', reason: others ? `${others} entries are claimed by other hosts` : 'no entry left for this host' });
        return;
      }
      const claim = await this.claim(pick);
      if (!claim) {
        exclude.add(pick.entry.name);
        // The ref protocol: one lost race says only that this entry is taken; try another from the
        // same view first, and look again after a second loss in a row.
        refetch = this.ops.kind !== 'refs' || ++lostInRow >= 2;
        if (refetch) lostInRow = 0;
        this.summary.lost++;
        this.emit({ type: 'lost', entry: pick.entry.name });
        continue;
      }
      exclude.clear();
      lostInRow = 0;
      taken.add(pick.entry.name);
      ran++;
      await this.execute(pick.entry, claim);
    }
  }

  private async claim(pick: Pick): Promise<Claim | undefined> {
    const name = pick.entry.name;
    // A fresh lease on every attempt: the lease starts when the claim lands, not when we first tried.
    const make = () => newClaim(this.opts.host, this.leaseSec, Date.now(), pick.how === 'takeover' ? pick.previous?.host : undefined);
    const claim = await this.ops.serial(() => this.ops.claim(pick, make, this.signal));
    if (!claim) return undefined;
    this.emit({ type: 'claimed', entry: name, phase: pick.entry.phase, how: pick.how, from: pick.previous?.host });
    return claim;
  }

  private async execute(entry: Entry, claim: Claim): Promise<void> {
    const phase = this.phases.find((p) => p.name === entry.phase)!;
    const ops = this.ops;
    const ctx = {
      cloneDir: this.opts.cloneDir,
      host: this.opts.host,
      leaseSec: this.leaseSec,
      heartbeatSec: this.opts.heartbeatSec,
      ops,
      state: this.state,
      signal: this.signal,
      emit: this.emit,
    };
    const out = await runEntry(ctx, phase, entry, claim);
    if (out.kind === 'lost') return;
    if (out.kind === 'cancelled') {
      await this.release(entry.name, out.claim);
      throw new CancelledError();
    }
    const oid = ops.claimId(entry.name);
    await this.state.savePending({ ...out.pending, ...(oid ? { oid } : {}) });
    if (out.ok) this.emit({ type: 'finished', entry: entry.name, durationMs: out.durationMs });
    else this.emit({ type: 'failed', entry: entry.name, reason: out.reason ?? '' });
    if (!this.signal.aborted) return this.publish(out.pending);
    // Stopped just as the run completed: still try to publish it (bounded), then stop.
    await this.pushFinish(out.pending, AbortSignal.timeout(30_000)).catch(() => undefined);
    throw new CancelledError();
  }

  /** Pushes a finish (or failure) record; kept on disk until the remote has it. */
  private async pushFinish(p: PendingFinish, signal = this.signal): Promise<void> {
    const outcome = await this.ops.serial(() => this.ops.finish(p, signal));
    await this.state.dropPending(p.entry);
    if (outcome === 'pushed') {
      if (p.kind === 'finish') this.summary.done++;
      else this.summary.failed++;
      this.emit({ type: 'pushed', entry: p.entry });
    }
  }

  /** Folds published results into the branch when enough wait (or all of them). */
  private async compact(all: boolean): Promise<void> {
    const n = await this.ops.serial(() => this.ops.compact(all, this.signal));
    if (n) this.emit({ type: 'compacted', entries: n });
  }

  /** Pushes a finish; one the remote keeps refusing stays on disk and is retried every round. */
  private async publish(p: PendingFinish): Promise<void> {
    try {
      await this.pushFinish(p);
      await this.compact(false);
    } catch (err) {
      if (err instanceof RefsRefusedError) throw err;
      if (isCancelled(err)) throw err;
      this.emit({ type: 'pending', entry: p.entry, error: err instanceof Error ? err.message : String(err) });
    }
  }

  private async pushPending(): Promise<void> {
    for (const p of await this.state.listPending()) await this.publish(p);
  }

  /** On SIGINT/SIGTERM: remove our claim so the entry is free at once (bounded wait). */
  private async release(entry: string, claim: Claim): Promise<void> {
    const timeout = AbortSignal.timeout(30_000);
    const ok = await this.ops.serial(() => this.ops.release(entry, claim, timeout)).catch(() => false);
    if (ok) this.emit({ type: 'released', entry });
  }
}
