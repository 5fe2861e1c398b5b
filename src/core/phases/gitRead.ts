// Reading a queue repository without a checkout. Every reader here takes git's NUL-separated or
// length-prefixed output: git quotes names with non-ASCII bytes, quotes or tabs in its line output,
// so a reader splitting lines would misread exactly the entries whose names need care.
import { git, gitRaw } from './git';

/** The branch checked out in `dir` (`main` when HEAD is detached or unborn). */
export async function currentBranch(dir: string, signal?: AbortSignal): Promise<string> {
  const r = await git(dir, ['symbolic-ref', '--short', '-q', 'HEAD'], { allowFail: true, signal });
  return r.stdout.trim() || 'main';
}

export interface TreeEntry {
  mode: string;
  type: string;
  oid: string;
  path: string;
}

/** `git ls-tree -r -z` of `paths` at `treeish`; empty when the tree-ish does not exist. */
export async function lsTree(dir: string, treeish: string, paths: string[], signal?: AbortSignal): Promise<TreeEntry[]> {
  const r = await gitRaw(dir, ['ls-tree', '-r', '-z', '--full-tree', treeish, '--', ...paths], { signal, allowFail: true });
  if (r.code !== 0) return [];
  return parseLsTreeZ(r.stdout.toString('utf8'));
}

export function parseLsTreeZ(out: string): TreeEntry[] {
  const entries: TreeEntry[] = [];
  for (const rec of out.split('\0')) {
    const tab = rec.indexOf('\t');
    if (tab < 0) continue;
    const [mode = '', type = '', oid = ''] = rec.slice(0, tab).split(' ');
    entries.push({ mode, type, oid, path: rec.slice(tab + 1) });
  }
  return entries;
}

/**
 * Reads objects with one `git cat-file --batch`: each spec is an object id or `<rev>:<path>`;
 * undefined for a missing one. Specs must not contain a newline (queue paths never do).
 */
export async function catFileBatch(dir: string, specs: string[], signal?: AbortSignal): Promise<(Buffer | undefined)[]> {
  if (!specs.length) return [];
  const r = await gitRaw(dir, ['cat-file', '--batch'], { signal, input: specs.join('\n') + '\n' });
  return parseCatFileBatch(r.stdout, specs.length);
}

export function parseCatFileBatch(out: Buffer, count: number): (Buffer | undefined)[] {
  const bodies: (Buffer | undefined)[] = [];
  let pos = 0;
  for (let i = 0; i < count; i++) {
    const nl = out.indexOf(10, pos);
    if (nl < 0) break;
    const header = out.subarray(pos, nl).toString('utf8');
    if (/ (missing|ambiguous)$/.test(header)) {
      bodies.push(undefined);
      pos = nl + 1;
      continue;
    }
    const size = Number(header.split(' ')[2]);
    bodies.push(out.subarray(nl + 1, nl + 1 + size));
    pos = nl + 1 + size + 1;
  }
  return bodies;
}
