// What a bundle is made of, read from git and never from the working tree: the committed blobs
// of the chosen paths at HEAD (so untracked and ignored files cannot get in), the commit, branch
// and remote, and what is uncommitted under those paths (a dirty tree is refused or recorded).
import { git, gitRaw } from '../phases/git';
import { UserError } from '../errors/userError';

export interface CommittedFile {
  path: string;
  mode: string;
  oid: string;
  size: number;
}

export interface RepoState {
  root: string;
  commit: string;
  branch: string | null;
  /** `origin` (or the first remote) with any credentials removed; null without a remote. */
  remote: string | null;
}

/** Directories that never travel, whatever the paths say: where this project keeps keys. */
export const neverBundled = ['.secrets'];

export async function repoState(dir: string, signal?: AbortSignal): Promise<RepoState> {
  const top = await git(dir, ['rev-parse', '--show-toplevel'], { allowFail: true, signal });
  if (top.code !== 0) throw new UserError(`${dir} is not inside a git repository: a bundle is made from committed content, so commit the experiment first`);
  const root = top.stdout.trim();
  const head = await git(root, ['rev-parse', '--verify', '-q', 'HEAD^{commit}'], { allowFail: true, signal });
  if (head.code !== 0) throw new UserError(`${root} has no commit yet: commit the experiment, then export it`);
  const branch = await git(root, ['symbolic-ref', '-q', '--short', 'HEAD'], { allowFail: true, signal });
  const remotes = (await git(root, ['remote'], { signal })).stdout.split('\n').filter(Boolean);
  const name = remotes.includes('origin') ? 'origin' : remotes[0];
  const url = name ? (await git(root, ['remote', 'get-url', name], { allowFail: true, signal })).stdout.trim() : '';
  return { root, commit: head.stdout.trim(), branch: branch.code === 0 ? branch.stdout.trim() : null, remote: url ? stripCredentials(url) : null };
}

/** `https://user:token@host/x` → `https://host/x`; `ssh://git:pw@h/x` → `ssh://git@h/x`; scp-like `git@h:x` unchanged. */
export function stripCredentials(url: string): string {
  const m = /^([a-z][a-z0-9+.-]*:\/\/)([^@/]*)@(.*)$/i.exec(url);
  if (!m) return url;
  const [, scheme, userinfo, rest] = m;
  if (/^https?:\/\//i.test(scheme!)) return `${scheme}${rest}`;
  const user = userinfo!.split(':')[0];
  return user ? `${scheme}${user}@${rest}` : `${scheme}${rest}`;
}

/** Blobs under `paths` (repo-relative) at `commit`; a path that matches nothing committed is an error naming it. */
export async function committedFiles(root: string, commit: string, paths: string[], signal?: AbortSignal): Promise<CommittedFile[]> {
  const out = await gitRaw(root, ['ls-tree', '-r', '-z', '-l', '--full-tree', commit, '--', ...paths], { signal });
  const files: CommittedFile[] = [];
  for (const rec of out.stdout.toString('utf8').split('\0')) {
    if (!rec) continue;
    const tab = rec.indexOf('\t');
    const [mode, type, oid, size] = rec.slice(0, tab).split(/\s+/);
    const path = rec.slice(tab + 1);
    // Submodules (commit objects) are another repository's content: not ours to bundle.
    if (type !== 'blob') continue;
    if (path.split('/').some((part) => neverBundled.includes(part))) continue;
    files.push({ path, mode: mode!, oid: oid!, size: Number(size) });
  }
  for (const p of paths) {
    const norm = p.replace(/\/+$/, '');
    if (norm !== '.' && !files.some((f) => f.path === norm || f.path.startsWith(`${norm}/`)))
      throw new UserError(`"${p}" has no committed files at ${commit.slice(0, 12)}: commit it, or leave it out of the bundle paths`);
  }
  return files;
}

/** Reads blobs in one `git cat-file --batch`, byte-exact. */
export async function readBlobs(root: string, oids: string[], signal?: AbortSignal): Promise<Map<string, Buffer>> {
  const blobs = new Map<string, Buffer>();
  if (!oids.length) return blobs;
  const unique = [...new Set(oids)];
  const out = (await gitRaw(root, ['cat-file', '--batch'], { input: unique.join('\n') + '\n', signal })).stdout;
  let at = 0;
  for (const oid of unique) {
    const nl = out.indexOf(10, at);
    const header = out.subarray(at, nl).toString('utf8');
    const [got, , size] = header.split(' ');
    if (got !== oid || size === undefined) throw new Error(`git cat-file returned "${header}" for ${oid}`);
    const start = nl + 1;
    blobs.set(oid, out.subarray(start, start + Number(size)));
    at = start + Number(size) + 1;
  }
  return blobs;
}

export interface DirtyState {
  /** Tracked files changed or staged, and untracked files, under the paths (repo-relative). */
  files: string[];
  untracked: string[];
}

export async function dirtyFiles(root: string, paths: string[], signal?: AbortSignal): Promise<DirtyState> {
  const out = await gitRaw(root, ['status', '--porcelain=v1', '-z', '--untracked-files=all', '--', ...paths], { signal });
  const recs = out.stdout.toString('utf8').split('\0');
  const files: string[] = [];
  const untracked: string[] = [];
  for (let i = 0; i < recs.length; i++) {
    const rec = recs[i]!;
    if (!rec) continue;
    const xy = rec.slice(0, 2);
    const path = rec.slice(3);
    if (path.split('/').some((part) => neverBundled.includes(part))) continue;
    if (xy === '??') untracked.push(path);
    else files.push(path);
    // A rename lists its old path as the next record.
    if (xy[0] === 'R' || xy[0] === 'C') i++;
  }
  return { files, untracked };
}

/** The uncommitted change of tracked files under the paths, as a binary-safe patch against HEAD. */
export async function uncommittedPatch(root: string, paths: string[], signal?: AbortSignal): Promise<Buffer> {
  return (await gitRaw(root, ['diff', '--binary', 'HEAD', '--', ...paths], { signal })).stdout;
}

export async function commitTime(root: string, commit: string, signal?: AbortSignal): Promise<Date> {
  const s = (await git(root, ['show', '-s', '--format=%ct', commit], { signal })).stdout.trim();
  return new Date(Number(s) * 1000);
}
