// Queue maintenance from a controller (the editor or `airlock phases ...`): generate TODO lists,
// release stale claims, requeue failures, read status. Changes go through a private worktree and
// are pushed at once, so the user's checkout is never touched.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { isStale } from './claims';
import { checkEntryName, expandPhase, entryIndex } from './entries';
import { git } from './git';
import { catFileBatch, currentBranch } from './gitRead';
import { layout } from './layout';
import type { PhasePlan } from './plan';
import { QueueRepo, type FileChange } from './queueRepo';
import { snapshotFromRef, snapshotFromWorktree, type QueueSnapshot } from './snapshot';
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


/** Applies a change to the remote branch through the private admin worktree. */
async function pushChange(opts: AdminOptions, message: string, files: (s: QueueSnapshot) => FileChange[]): Promise<number> {
  const state = await WorkerState.open(opts.cloneDir, '.admin');
  await state.ensureWorktree(opts.cloneDir);
  const repo = new QueueRepo({ dir: state.worktree, remote: opts.remote, branch: await currentBranch(opts.cloneDir), backoffMs: opts.backoffMs ?? 500, maxBackoffMs: 5000 });
  await repo.open(opts.signal);
  let count = 0;
  await repo.commitAndPush(message, async () => {
    const changes = files(await snapshotFromWorktree(repo.dir));
    count = changes.length;
    return changes;
  }, async () => true, opts.signal);
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

/**
 * Writes data/phase/<phase>.txt for every phase (skipping entries whose result exists). With a
 * remote, commits and pushes them; without one, writes them into the clone for the user to commit.
 */
export async function generate(plan: PhasePlan, opts: AdminOptions & { push?: boolean }): Promise<GenerateResult[]> {
  entryIndex(plan); // name collisions are an error before anything is written
  // So is a name the queue cannot carry: written, it would never run or crash every worker.
  for (const p of plan.phases) for (const e of expandPhase(p)) checkEntryName(p, e);
  const remote = opts.remote ?? 'origin';
  const push = (opts.push ?? true) && (await hasRemote(opts.cloneDir, remote));
  const results: GenerateResult[] = [];
  const build = (s: QueueSnapshot) =>
    plan.phases.map((p) => {
      const all = expandPhase(p).map((e) => e.name);
      const left = all.filter((e) => !s.results.has(e));
      results.push({ phase: p.name, entries: left.length, skippedDone: all.length - left.length, path: layout.todo(p.name) });
      return { path: layout.todo(p.name), content: `${left.join('\n')}${left.length ? '\n' : ''}` };
    });
  if (push) {
    await pushChange(opts, `generate ${plan.phases.map((p) => p.name).join(', ')}`, (s) => {
      results.length = 0;
      return build(s);
    });
  } else {
    for (const f of build(await snapshotFromWorktree(opts.cloneDir))) {
      await mkdir(dirname(join(opts.cloneDir, f.path)), { recursive: true });
      await writeFile(join(opts.cloneDir, f.path), f.content);
    }
  }
  return results;
}

/** Removes claims whose lease expired (and legacy claims, which have none). Returns the entries. */
export async function releaseStaleClaims(opts: AdminOptions, now = Date.now()): Promise<string[]> {
  let released: string[] = [];
  await pushChange(opts, 'release stale claims', (s) => {
    released = [...s.claims].filter(([, c]) => isStale(c, now)).map(([e]) => e);
    return released.map((e) => ({ path: layout.claim(e), remove: true as const }));
  });
  return released;
}

/** Deletes failure records (of one phase, or all) so workers take those entries again. */
export async function requeueFailed(plan: PhasePlan, opts: AdminOptions & { phase?: string }): Promise<string[]> {
  const index = entryIndex(plan);
  let requeued: string[] = [];
  await pushChange(opts, 'requeue failed entries', (s) => {
    requeued = [...s.failed.keys()].filter((e) => !opts.phase || index.get(e)?.phase === opts.phase);
    return requeued.flatMap((e) => [{ path: layout.failed(e), remove: true as const }, { path: layout.failedLog(e), remove: true as const }]);
  });
  return requeued;
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
      const r = await git(opts.cloneDir, ['fetch', '--quiet', '--no-tags', remote, branch], { allowFail: true, signal: opts.signal, env: { GIT_SSH_COMMAND: 'ssh -o BatchMode=yes -o ConnectTimeout=10' } });
      if (r.code !== 0) fetchError = r.stderr.trim().split('\n').at(-1);
    }
    const ref = `${remote}/${branch}`;
    if ((await git(opts.cloneDir, ['rev-parse', '-q', '--verify', ref], { allowFail: true })).code === 0) {
      return { phases: phaseStatus(plan, await snapshotFromRef(opts.cloneDir, ref, opts.signal), now), source: ref, ...(fetchError ? { fetchError } : {}) };
    }
  }
  return { phases: phaseStatus(plan, await snapshotFromWorktree(opts.cloneDir), now), source: 'local checkout', ...(fetchError ? { fetchError } : {}) };
}

/** Result JSONs of the done entries of one phase, read from the status' ref in one git call. */
export async function readPhaseResults(plan: PhasePlan, phase: string, status: QueueStatus, opts: AdminOptions): Promise<{ entry: import('./entries').Entry; json: unknown }[]> {
  const index = entryIndex(plan);
  const done = status.phases.find((p) => p.phase === phase)?.entries.filter((e) => e.state === 'done').map((e) => e.entry) ?? [];
  if (!done.length) return [];
  const ref = status.source === 'local checkout' ? 'HEAD' : status.source;
  const bodies = await catFileBatch(opts.cloneDir, done.map((e) => `${ref}:${layout.result(e)}`), opts.signal);
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
