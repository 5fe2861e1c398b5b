// The queue's state at one point: TODO lists, results, claims and failures — read from a work tree
// (the worker, right after syncing) or from a ref such as origin/main (the editor, without
// touching the user's checkout).
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseClaim, type Claim } from './claims';
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
}

function empty(): QueueSnapshot {
  return { todo: new Map(), results: new Set(), claims: new Map(), failed: new Map() };
}

export function parseTodo(text: string): string[] {
  return text.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
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
  else if (c.kind === 'todo') s.todo.set(c.phase, parseTodo(await read()));
  else if (c.kind === 'claim') s.claims.set(c.entry, parseClaim(await read()));
  else s.failed.set(c.entry, parseFailure(await read()));
}

export async function snapshotFromWorktree(dir: string): Promise<QueueSnapshot> {
  const s = empty();
  for (const sub of [layout.phaseDir, layout.runsDir, layout.claimsDir, layout.failedDir]) {
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
  const bodies = await catFileBatch(dir, wanted.map((w) => w.oid), signal);
  for (const [i, w] of wanted.entries()) await add(s, w.path, async () => bodies[i]?.toString('utf8') ?? '');
  return s;
}
