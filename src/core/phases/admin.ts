// Queue maintenance from a controller (the editor or `airlock phases ...`): generate TODO lists,
// release stale claims, requeue failures, read status. Changes go through a private worktree and
// are pushed at once, so the user's checkout is never touched.
import { mkdir } from 'node:fs/promises';
import { writeFileAtomic } from '../fs/writeFileAtomic';
import { dirname, join } from 'node:path';
import { isStale } from './claims';
import { expandPhase, entryIndex } from './entries';
import { git } from './git';
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

async function branchOf(dir: string): Promise<string> {
  return (await git(dir, ['symbolic-ref', '--short', '-q', 'HEAD'], { allowFail: true })).stdout.trim() || 'main';
}

/** Applies a change to the remote branch through the private admin worktree. */
async function pushChange(opts: AdminOptions, message: string, files: (s: QueueSnapshot) => FileChange[]): Promise<number> {
  const state = await WorkerState.open(opts.cloneDir, '.admin');
  await state.ensureWorktree(opts.cloneDir);
  const repo = new QueueRepo({ dir: state.worktree, remote: opts.remote, branch: await branchOf(opts.cloneDir), backoffMs: opts.backoffMs ?? 500, maxBackoffMs: 5000 });
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
      await writeFileAtomic(join(opts.cloneDir, f.path), f.content);
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
  const branch = await branchOf(opts.cloneDir);
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
  const batch = await git(opts.cloneDir, ['cat-file', '--batch'], { signal: opts.signal, input: done.map((e) => `${ref}:${layout.result(e)}`).join('\n') + '\n' });
  const out = Buffer.from(batch.stdout, 'utf8');
  const results: { entry: import('./entries').Entry; json: unknown }[] = [];
  let pos = 0;
  for (const name of done) {
    const nl = out.indexOf(10, pos);
    const header = out.subarray(pos, nl).toString();
    if (header.endsWith('missing')) {
      pos = nl + 1;
      continue;
    }
    const size = Number(header.split(' ')[2]);
    const body = out.subarray(nl + 1, nl + 1 + size).toString('utf8');
    pos = nl + 1 + size + 1;
    const entry = index.get(name);
    if (!entry) continue;
    try {
      results.push({ entry, json: JSON.parse(body) });
    } catch {
      /* a result that is not JSON has no fields to pivot */
    }
  }
  return results;
}
