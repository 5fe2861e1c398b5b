// Queue maintenance from a controller (the editor or `airlock phases ...`): generate TODO lists,
// release stale claims, requeue failures, read status. Changes go through a private worktree and
// are pushed at once, so the user's checkout is never touched.
import { mkdir, rm } from 'node:fs/promises';
import { writeFileAtomic } from '../fs/writeFileAtomic';
import { dirname, join } from 'node:path';
import { isStale } from './claims';
import { checkEntryName, expandPhase, entryIndex } from './entries';
import { git } from './git';
import { catFileBatch, currentBranch } from './gitRead';
import { layout } from './layout';
import type { PhasePlan } from './plan';
import { QueueRepo, type FileChange } from './queueRepo';
import { snapshotFromRef, snapshotFromWorktree, withEntryRefs, type QueueSnapshot } from './snapshot';
import { readEntryRefs } from './entryRefs';
import { RefQueue } from './refQueue';
import { queueRefspecs } from './refNames';
import { phaseStatus, type PhaseStatus } from './status';
import { WorkerState } from './workerState';

export interface AdminOptions {
  cloneDir: string;
  remote?: string;
  signal?: AbortSignal;
  backoffMs?: number;
}

async function hasRemote(dir: string, remote: string): Promise<boolean> {
  return (await git(dir, ['remote'], { allowFail: true })).stdout.split('\n').includes(remote);
}

/** The admin's private worktree and the queue on both protocols. */
async function adminQueue(opts: AdminOptions): Promise<{ repo: QueueRepo; refs: RefQueue }> {
  const state = await WorkerState.open(opts.cloneDir, '.admin');
  await state.ensureWorktree(opts.cloneDir);
  const branch = await currentBranch(opts.cloneDir);
  const net = { backoffMs: opts.backoffMs ?? 500, maxBackoffMs: 5000 };
  const repo = new QueueRepo({ dir: state.worktree, remote: opts.remote, branch, ...net });
  await repo.open(opts.signal);
  return { repo, refs: new RefQueue({ dir: state.worktree, remote: opts.remote, branch, host: '.admin', ...net }) };
}

/** Applies a change to the remote branch through the private admin worktree; `files` sees the queue with its entry refs. */
async function pushChange(
  q: { repo: QueueRepo; refs: RefQueue },
  opts: AdminOptions,
  message: string,
  files: (s: QueueSnapshot) => FileChange[],
): Promise<number> {
  const { repo, refs } = q;
  let count = 0;
  await repo.commitAndPush(
    message,
    async () => {
      const changes = files(withEntryRefs(await snapshotFromWorktree(repo.dir), (await refs.sync(opts.signal)).entryRefs ?? new Map()));
      count = changes.length;
      return changes;
    },
    async () => true,
    opts.signal,
  );
  // Bring the user's checkout up to date when it can fast-forward; never force it.
  await git(opts.cloneDir, ['merge', '--ff-only', '-q', `${repo.remote}/${repo.branch}`], { allowFail: true });
  return count;
}

export interface GenerateResult {
  phase: string;
  entries: number;
  skippedDone: number;
  path: string;
}

export type QueueProtocol = 'refs' | 'branch';

export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';
}

/**
 * Writes every phase's TODO list (skipping entries whose result exists). With a remote, commits
 * and pushes it; without one, writes it into the clone for the user to commit. A new queue uses the
 * ref protocol when the remote accepts entry refs (else the branch protocol, saying why); an existing
 * queue keeps its protocol unless `protocol` says otherwise (`refs` migrates a branch-protocol queue).
 */
export async function generate(
  plan: PhasePlan,
  opts: AdminOptions & { push?: boolean; protocol?: QueueProtocol },
): Promise<GenerateResult[] & { protocol?: QueueProtocol }> {
  entryIndex(plan); // name collisions are an error before anything is written
  // So is a name the queue cannot carry: written, it would never run or crash every worker.
  for (const p of plan.phases) for (const e of expandPhase(p)) checkEntryName(p, e);
  const remote = opts.remote ?? 'origin';
  const push = (opts.push ?? true) && (await hasRemote(opts.cloneDir, remote));
  const results: GenerateResult[] & { protocol?: QueueProtocol } = [];
  let protocol: QueueProtocol = 'branch';
  const build = (s: QueueSnapshot): FileChange[] => {
    if (s.format === 'refs' && protocol === 'branch')
      throw new ProtocolError(
        'this queue is on the ref protocol (data/phase/refs/): it cannot go back to the branch protocol while entry refs hold its claims — generate it without --protocol branch',
      );
    results.length = 0;
    return plan.phases.flatMap((p) => {
      const all = expandPhase(p).map((e) => e.name);
      const left = all.filter((e) => !s.results.has(e));
      const path = protocol === 'refs' ? layout.refsTodo(p.name) : layout.todo(p.name);
      results.push({ phase: p.name, entries: left.length, skippedDone: all.length - left.length, path });
      const todo: FileChange = { path, content: `${left.join('\n')}${left.length ? '\n' : ''}` };
      // Migrating: the branch protocol's list goes, so its workers take nothing more (they finish what they hold).
      return protocol === 'refs' ? [todo, { path: layout.todo(p.name), remove: true as const }] : [todo];
    });
  };
  if (push) {
    const q = await adminQueue(opts);
    const current = await q.refs.sync(opts.signal);
    const existing = current.format ?? (current.todo.size ? 'branch' : undefined);
    // The branch protocol stays the default for a new queue: the ref protocol is opt-in until it is
    // exactly-once under the 16-worker chaos test (it ran an entry twice there without a kill).
    protocol = opts.protocol ?? existing ?? 'branch';
    if (protocol === 'refs' && existing !== 'refs') {
      const ok = await q.refs.probe(opts.signal);
      if (ok !== true) throw new ProtocolError(ok);
    }
    await pushChange(q, opts, `generate ${plan.phases.map((p) => p.name).join(', ')}`, build);
  } else {
    const s = await snapshotFromWorktree(opts.cloneDir);
    protocol = opts.protocol ?? s.format ?? 'branch';
    for (const f of build(s)) {
      if ('remove' in f) await rm(join(opts.cloneDir, f.path), { force: true });
      else {
        await mkdir(dirname(join(opts.cloneDir, f.path)), { recursive: true });
        await writeFileAtomic(join(opts.cloneDir, f.path), f.content ?? '');
      }
    }
  }
  results.protocol = protocol;
  return results;
}

/** Removes claims whose lease expired (and legacy claims, which have none). Returns the entries. */
export async function releaseStaleClaims(opts: AdminOptions, now = Date.now()): Promise<string[]> {
  const q = await adminQueue(opts);
  const s = await q.refs.sync(opts.signal);
  const staleRefs = [...(s.entryRefs ?? [])]
    .filter(([, r]) => r.kind === 'claim' && r.claim && isStale(r.claim, now))
    .map(([entry, r]) => ({ entry, oid: r.oid }));
  const released = await q.refs.deleteRefs(staleRefs, opts.signal);
  let files: string[] = [];
  await pushChange(q, opts, 'release stale claims', (snap) => {
    files = [...(snap.branchClaims ?? snap.claims)].filter(([, c]) => isStale(c, now)).map(([e]) => e);
    return files.map((e) => ({ path: layout.claim(e), remove: true as const }));
  });
  return [...new Set([...released, ...files])];
}

/** Deletes failure records (of one phase, or all) so workers take those entries again. */
export async function requeueFailed(plan: PhasePlan, opts: AdminOptions & { phase?: string }): Promise<string[]> {
  const index = entryIndex(plan);
  const q = await adminQueue(opts);
  const s = await q.refs.sync(opts.signal);
  const inPhase = (e: string) => !opts.phase || index.get(e)?.phase === opts.phase;
  // Refs first: while the branch still holds the failure record, the entry stays failed in between.
  const failedRefs = [...(s.entryRefs ?? [])].filter(([e, r]) => r.kind === 'failed' && inPhase(e)).map(([entry, r]) => ({ entry, oid: r.oid }));
  const fromRefs = await q.refs.deleteRefs(failedRefs, opts.signal);
  let requeued: string[] = [];
  await pushChange(q, opts, 'requeue failed entries', (snap) => {
    requeued = [...snap.failed.keys()].filter(inPhase);
    return requeued.flatMap((e) => [
      { path: layout.failed(e), remove: true as const },
      { path: layout.failedLog(e), remove: true as const },
    ]);
  });
  return [...new Set([...fromRefs, ...requeued])].sort();
}

export interface QueueStatus {
  phases: PhaseStatus[];
  /** Where the state was read: the remote branch after a fetch, or the local checkout. */
  source: string;
  fetchError?: string;
}

/** Status of the queue on the remote (after a fetch), falling back to the local checkout. */
export async function readQueueStatus(plan: PhasePlan, opts: AdminOptions & { fetch?: boolean }, now = Date.now()): Promise<QueueStatus> {
  const remote = opts.remote ?? 'origin';
  const branch = await currentBranch(opts.cloneDir);
  let fetchError: string | undefined;
  if (await hasRemote(opts.cloneDir, remote)) {
    if (opts.fetch ?? true) {
      // The branch and the entry refs of the ref protocol (pruned: released claims disappear).
      const r = await git(opts.cloneDir, ['fetch', '--quiet', '--no-tags', '--prune', remote, ...queueRefspecs(remote, branch)], {
        allowFail: true,
        signal: opts.signal,
        env: { GIT_SSH_COMMAND: 'ssh -o BatchMode=yes -o ConnectTimeout=10' },
      });
      if (r.code !== 0) fetchError = r.stderr.trim().split('\n').at(-1);
    }
    const ref = `${remote}/${branch}`;
    if ((await git(opts.cloneDir, ['rev-parse', '-q', '--verify', ref], { allowFail: true })).code === 0) {
      const { refs } = await readEntryRefs(opts.cloneDir, remote, branch, opts.signal);
      const snapshot = withEntryRefs(await snapshotFromRef(opts.cloneDir, ref, opts.signal), refs, now);
      return { phases: phaseStatus(plan, snapshot, now), source: ref, ...(fetchError ? { fetchError } : {}) };
    }
  }
  return { phases: phaseStatus(plan, await snapshotFromWorktree(opts.cloneDir), now), source: 'local checkout', ...(fetchError ? { fetchError } : {}) };
}

/** Result JSONs of the done entries of one phase, read from the status' ref in one git call. */
export async function readPhaseResults(
  plan: PhasePlan,
  phase: string,
  status: QueueStatus,
  opts: AdminOptions,
): Promise<{ entry: import('./entries').Entry; json: unknown }[]> {
  const index = entryIndex(plan);
  const doneStatus = status.phases.find((p) => p.phase === phase)?.entries.filter((e) => e.state === 'done') ?? [];
  const done = doneStatus.map((e) => e.entry);
  if (!done.length) return [];
  const ref = status.source === 'local checkout' ? 'HEAD' : status.source;
  // A result not yet folded into the branch is read from its entry ref's commit.
  const bodies = await catFileBatch(
    opts.cloneDir,
    doneStatus.map((e) => `${e.at ?? ref}:${layout.result(e.entry)}`),
    opts.signal,
  );
  const results: { entry: import('./entries').Entry; json: unknown }[] = [];
  for (const [i, name] of done.entries()) {
    const body = bodies[i];
    const entry = index.get(name);
    if (!body || !entry) continue;
    try {
      results.push({ entry, json: JSON.parse(body.toString('utf8')) });
    } catch {
      /* a result that is not JSON has no fields to pivot */
    }
  }
  return results;
}
