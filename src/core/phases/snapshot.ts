// The queue's state at one point: TODO lists, results, claims and failures — read from a work tree
// (the worker, right after syncing) or from a ref such as origin/main (the editor, without
// touching the user's checkout).
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseClaim, type Claim } from './claims';
import { git } from './git';
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
  const tree = await git(dir, ['ls-tree', '-r', '--full-tree', ref, '--', 'data'], { signal, allowFail: true });
  if (tree.code !== 0) return s;
  const wanted: { path: string; oid: string }[] = [];
  for (const line of tree.stdout.split('\n')) {
    const m = /^\d+ blob ([0-9a-f]+)\t(.*)$/.exec(line);
    if (!m) continue;
    const c = classify(m[2]!);
    if (c?.kind === 'result') s.results.add(c.entry);
    else if (c) wanted.push({ path: m[2]!, oid: m[1]! });
  }
  if (!wanted.length) return s;
  const batch = await git(dir, ['cat-file', '--batch'], { signal, input: wanted.map((w) => w.oid).join('\n') + '\n' });
  const out = Buffer.from(batch.stdout, 'utf8');
  let pos = 0;
  for (const w of wanted) {
    const nl = out.indexOf(10, pos);
    const size = Number(out.subarray(pos, nl).toString().split(' ')[2]);
    const body = out.subarray(nl + 1, nl + 1 + size).toString('utf8');
    pos = nl + 1 + size + 1;
    await add(s, w.path, async () => body);
  }
  return s;
}
