// The queue's state at one point: TODO lists, results, claims and failures — read from a work tree
// (the worker, right after syncing) or from a ref such as origin/main (the editor, without
// touching the user's checkout).
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isStale, parseClaim, type Claim } from './claims';
import type { EntryRef } from './entryRefs';
import { catFileBatch, lsTree, type TreeEntry } from './gitRead';
import { classify, layout } from './layout';

export interface FailureRecord {
  host: string;
  exitCode: number | null;
  reason: string;
  failedAt: string;
}

export interface QueueSnapshot {
  todo: Map<string, string[]>;
  results: Set<string>;
  claims: Map<string, Claim>;
  failed: Map<string, FailureRecord>;
  /** 'refs' once `generate` wrote data/phase/refs/ (claims and fresh results are entry refs). */
  format?: 'branch' | 'refs';
  /** The ref protocol: each entry's ref, and which of them the branch does not hold yet. */
  entryRefs?: Map<string, EntryRef>;
  uncompacted?: string[];
  /** Where a result not yet in the branch can be read (`<commit>` of its entry ref). */
  resultAt?: Map<string, string>;
  /** Claim files on the branch (the branch protocol's, or left by its workers before a migration). */
  branchClaims?: Map<string, Claim>;
  /** Phases whose TODO list is the ref protocol's. */
  refsTodo?: Set<string>;
}

export function emptySnapshot(): QueueSnapshot {
  return { todo: new Map(), results: new Set(), claims: new Map(), failed: new Map() };
}
const empty = emptySnapshot;

/**
 * The queue as the ref protocol sees it: the branch (TODO lists, compacted results) plus entry
 * refs. A ref's result or failure counts as soon as it is pushed; a claim ref is the claim. Claim
 * files on the branch (workers of the branch protocol before a migration) still hold their entry
 * while their lease lives.
 */
export function withEntryRefs(base: QueueSnapshot, refs: Map<string, EntryRef>, now = Date.now()): QueueSnapshot {
  const s: QueueSnapshot = {
    ...base,
    results: new Set(base.results),
    failed: new Map(base.failed),
    claims: new Map(),
    entryRefs: refs,
    uncompacted: [],
    resultAt: new Map(),
    branchClaims: base.claims,
  };
  // On a branch-protocol queue its claim files are the claims, stale ones included (the view shows
  // them, takeover decides on them); only a migrated queue lets an expired claim file go.
  for (const [entry, c] of base.claims) if (base.format !== 'refs' || !isStale(c, now)) s.claims.set(entry, c);
  for (const [entry, r] of refs) {
    const inBranch = base.results.has(entry) || base.failed.has(entry);
    if (r.kind === 'claim') {
      if (!inBranch) s.claims.set(entry, r.claim!);
      continue;
    }
    s.claims.delete(entry);
    if (inBranch) continue;
    s.uncompacted!.push(entry);
    if (r.kind === 'done') {
      s.results.add(entry);
      s.resultAt!.set(entry, r.oid);
    } else s.failed.set(entry, r.failure!);
  }
  return s;
}

export function parseTodo(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
}

function parseFailure(text: string): FailureRecord {
  try {
    const v = JSON.parse(text) as FailureRecord;
    return { host: String(v.host ?? 'unknown'), exitCode: v.exitCode ?? null, reason: String(v.reason ?? ''), failedAt: String(v.failedAt ?? '') };
  } catch {
    return { host: 'unknown', exitCode: null, reason: 'unreadable failure record', failedAt: '' };
  }
}

async function add(s: QueueSnapshot, path: string, read: () => Promise<string>): Promise<void> {
  const c = classify(path);
  if (!c) return;
  if (c.kind === 'result') s.results.add(c.entry);
  else if (c.kind === 'refsTodo') {
    // A migrated queue may still hold the branch protocol's list: the ref protocol's wins.
    s.todo.set(c.phase, parseTodo(await read()));
    (s.refsTodo ??= new Set()).add(c.phase);
    s.format = 'refs';
  } else if (c.kind === 'todo') {
    if (!s.refsTodo?.has(c.phase)) s.todo.set(c.phase, parseTodo(await read()));
  } else if (c.kind === 'claim') s.claims.set(c.entry, parseClaim(await read()));
  else s.failed.set(c.entry, parseFailure(await read()));
}

export async function snapshotFromWorktree(dir: string): Promise<QueueSnapshot> {
  const s = empty();
  for (const sub of [layout.refsPhaseDir, layout.phaseDir, layout.runsDir, layout.claimsDir, layout.failedDir]) {
    const abs = join(dir, sub);
    if (!existsSync(abs)) continue;
    for (const f of await readdir(abs, { withFileTypes: true })) {
      if (f.isFile()) await add(s, `${sub}/${f.name}`, () => readFile(join(abs, f.name), 'utf8'));
    }
  }
  return s;
}

/** Reads `ref` (e.g. `origin/main`) without a checkout: one ls-tree and one cat-file --batch. */
export async function snapshotFromRef(dir: string, ref: string, signal?: AbortSignal): Promise<QueueSnapshot> {
  const s = empty();
  const wanted: TreeEntry[] = [];
  for (const t of await lsTree(dir, ref, ['data'], signal)) {
    if (t.type !== 'blob') continue;
    const c = classify(t.path);
    if (c?.kind === 'result') s.results.add(c.entry);
    else if (c) wanted.push(t);
  }
  // The ref protocol's TODO lists first: where both exist, they win.
  wanted.sort((a, b) => Number(classify(b.path)?.kind === 'refsTodo') - Number(classify(a.path)?.kind === 'refsTodo'));
  const bodies = await catFileBatch(
    dir,
    wanted.map((w) => w.oid),
    signal,
  );
  for (const [i, w] of wanted.entries()) await add(s, w.path, async () => bodies[i]?.toString('utf8') ?? '');
  return s;
}
