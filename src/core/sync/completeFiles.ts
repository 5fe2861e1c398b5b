// Which files in the watched directory are complete: not hidden, not a temp name (a writer that
// renames into place writes `x.pt.tmp` first), size and mtime unchanged for the settle time, and
// not open for writing by any process (Linux: /proc/<pid>/fdinfo flags). Never a file still being
// written.
import { readdir, readFile, readlink, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';

const tempName = /(\.(tmp|part|partial|swp|lock|incomplete)|~)$|^\.|^tmp/;

export interface Seen {
  size: number;
  mtimeMs: number;
  since: number;
}

export async function listFiles(dir: string, sub = ''): Promise<string[]> {
  const out: string[] = [];
  const entries = await readdir(join(dir, sub), { withFileTypes: true }).catch(() => []);
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const rel = sub ? `${sub}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await listFiles(dir, rel)));
    else if (e.isFile() && !tempName.test(e.name)) out.push(rel);
  }
  return out;
}

/** Absolute paths some process holds open with O_WRONLY or O_RDWR. */
export async function openForWriting(): Promise<Set<string>> {
  const out = new Set<string>();
  const pids = await readdir('/proc').catch(() => [] as string[]);
  for (const pid of pids) {
    if (!/^\d+$/.test(pid)) continue;
    const fds = await readdir(`/proc/${pid}/fd`).catch(() => [] as string[]);
    for (const fd of fds) {
      const target = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
      if (!target.startsWith('/')) continue;
      const info = await readFile(`/proc/${pid}/fdinfo/${fd}`, 'utf8').catch(() => '');
      const flags = parseInt(/flags:\s*([0-7]+)/.exec(info)?.[1] ?? '0', 8);
      if (flags & 3) out.add(target);
    }
  }
  return out;
}

/** Updates `seen` with this scan and returns the files that are complete now. */
export async function completeFiles(
  dir: string,
  seen: Map<string, Seen>,
  settleMs: number,
  now = Date.now(),
): Promise<{ rel: string; size: number; mtimeMs: number }[]> {
  const files = await listFiles(dir);
  const present = new Set(files);
  for (const k of seen.keys()) if (!present.has(k)) seen.delete(k);
  const settled: { rel: string; size: number; mtimeMs: number }[] = [];
  for (const rel of files) {
    const st = await stat(join(dir, rel)).catch(() => undefined);
    if (!st) continue;
    const prev = seen.get(rel);
    if (!prev || prev.size !== st.size || prev.mtimeMs !== st.mtimeMs) {
      seen.set(rel, { size: st.size, mtimeMs: st.mtimeMs, since: now });
      if (settleMs > 0) continue;
    }
    if (now - (seen.get(rel)?.since ?? now) >= settleMs) settled.push({ rel, size: st.size, mtimeMs: st.mtimeMs });
  }
  if (!settled.length) return settled;
  const writing = await openForWriting();
  const root = resolve(dir);
  return settled.filter((f) => !writing.has(join(root, f.rel)) && !relative(root, join(root, f.rel)).startsWith('..'));
}
