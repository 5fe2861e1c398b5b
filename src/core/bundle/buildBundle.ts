// `airlock export`: the committed content of the chosen paths as one zip with its manifest. The
// zip's timestamps are the commit's, so only the manifest's `createdAt` differs between two
// exports of one commit.
import { zipSync, type Zippable } from 'fflate';
import { isAbsolute, relative, resolve } from 'node:path';
import { UserError } from '../errors/userError';
import { commitTime, committedFiles, dirtyFiles, readBlobs, repoState, uncommittedPatch } from './gitTree';
import { manifestFormat, manifestName, patchName, sha256, type BundleManifest } from './manifest';

export interface BuildOptions {
  /** The workspace (any folder inside the repository); relative paths are resolved against it. */
  cwd: string;
  paths: string[];
  allowDirty?: boolean;
  toolVersion: string;
  now?: () => Date;
  signal?: AbortSignal;
}

export interface BuiltBundle {
  zip: Uint8Array;
  sha256: string;
  manifest: BundleManifest;
}

/** Thrown for a dirty tree without --allow-dirty: the files are listed so the user can commit them. */
export class DirtyTreeError extends UserError {
  constructor(readonly files: string[]) {
    super(
      `the tree has uncommitted changes under the bundle paths — commit them, or pass --allow-dirty to bundle the commit and record the diff:\n` +
        files.map((f) => `  ${f}`).join('\n'),
    );
  }
}

export async function buildBundle(o: BuildOptions): Promise<BuiltBundle> {
  if (!o.paths.length) throw new UserError('no paths to bundle: name them, or set "bundle.paths" in .airlock/airlock.json');
  const repo = await repoState(o.cwd, o.signal);
  const paths = o.paths.map((p) => repoRelative(repo.root, o.cwd, p));
  const dirty = await dirtyFiles(repo.root, paths, o.signal);
  const dirtyList = [...dirty.files, ...dirty.untracked.map((f) => `${f} (untracked)`)];
  if (dirtyList.length && !o.allowDirty) throw new DirtyTreeError(dirtyList);
  const files = await committedFiles(repo.root, repo.commit, paths, o.signal);
  const blobs = await readBlobs(
    repo.root,
    files.map((f) => f.oid),
    o.signal,
  );
  const mtime = await commitTime(repo.root, repo.commit, o.signal);
  const zipped: Zippable = {};
  const manifestFiles = files.map((f) => {
    const data = blobs.get(f.oid)!;
    zipped[f.path] = [data, { mtime, level: 6 }];
    return { path: f.path, size: data.length, sha256: sha256(data), ...(f.mode === '100644' ? {} : { mode: f.mode }) };
  });
  let patch: Buffer | undefined;
  if (dirtyList.length) {
    patch = await uncommittedPatch(repo.root, paths, o.signal);
    if (patch.length) zipped[patchName] = [patch, { mtime, level: 6 }];
  }
  const manifest: BundleManifest = {
    format: manifestFormat,
    tool: { name: 'airlock', version: o.toolVersion },
    createdAt: (o.now?.() ?? new Date()).toISOString(),
    commit: repo.commit,
    branch: repo.branch,
    remote: repo.remote,
    paths,
    files: manifestFiles,
    dirty: dirtyList.length
      ? { files: dirty.files, untracked: dirty.untracked, patch: patch?.length ? patchName : null, patchSha256: patch?.length ? sha256(patch) : null }
      : null,
  };
  // The manifest first, so a reader finds it without scanning the whole archive.
  const ordered: Zippable = { [manifestName]: [Buffer.from(JSON.stringify(manifest, null, 2) + '\n'), { mtime, level: 6 }], ...zipped };
  const zip = zipSync(ordered);
  return { zip, sha256: sha256(zip), manifest };
}

function repoRelative(root: string, cwd: string, p: string): string {
  const abs = isAbsolute(p) ? p : resolve(cwd, p);
  const rel = relative(root, abs).split('\\').join('/');
  if (rel.startsWith('..') || isAbsolute(rel)) throw new UserError(`"${p}" is outside the repository ${root}`);
  return rel === '' ? '.' : rel;
}
