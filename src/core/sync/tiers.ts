// The remote tiers behind one interface: is this file (with this hash) confirmed there, and
// upload it. Drive (the Colab bundle's DriveApi, resumable upload) keeps a `<name>.sha256` file
// beside each upload, since Drive reports no sha256; the Hub's LFS oid is the sha256 itself.
import { readFile } from 'node:fs/promises';
import { posix } from 'node:path';
import type { DriveApi } from '../colab/driveClient';
import type { HubApi } from '../hfhub/hubClient';
import { gitBlobSha1File } from './hashFile';
import type { DriveTierConfig, HfTierConfig, TierName } from './syncConfig';

export interface RemoteTier {
  name: TierName;
  patterns: string[];
  intervalSec: number;
  /** The remote id when the remote holds exactly these bytes. */
  confirmed(rel: string, abs: string, sha256: string, size: number): Promise<string | undefined>;
  upload(rel: string, abs: string, sha256: string, onProgress: (fraction: number) => void): Promise<void>;
}

export const shaSidecar = (name: string) => `${name}.sha256`;

export function driveTier(cfg: DriveTierConfig, api: DriveApi): RemoteTier {
  const folders = new Map<string, string>();
  const folderFor = async (rel: string, create: boolean): Promise<string | undefined> => {
    const dir = posix.join(cfg.folder, posix.dirname(rel));
    const known = folders.get(dir);
    if (known) return known;
    const f = await api.folderByPath(dir, { create, ...(cfg.rootId ? { rootId: cfg.rootId } : {}) });
    if (f) folders.set(dir, f.id);
    return f?.id;
  };
  const writeSidecar = (parentId: string, name: string, sha256: string) =>
    api.upload({ parentId, name: shaSidecar(name), mimeType: 'text/plain', body: `${sha256}  ${name}\n`, resumable: false });
  return {
    name: 'drive',
    patterns: cfg.patterns,
    intervalSec: cfg.intervalSec,
    async confirmed(rel, _abs, sha256, size) {
      const parent = await folderFor(rel, false);
      if (!parent) return undefined;
      const name = posix.basename(rel);
      const f = await api.findChild(parent, name);
      if (!f || f.size !== size) return undefined;
      const side = await api.findChild(parent, shaSidecar(name));
      if (side && (await api.download(side.id, side.name)).toString('utf8').startsWith(sha256)) return f.id;
      // The upload finished but its hash file did not (the sync was killed in between): check the bytes.
      const { createHash } = await import('node:crypto');
      if (
        createHash('sha256')
          .update(await api.download(f.id, name))
          .digest('hex') !== sha256
      )
        return undefined;
      await writeSidecar(parent, name, sha256);
      return f.id;
    },
    async upload(rel, abs, sha256, onProgress) {
      const parent = (await folderFor(rel, true))!;
      const name = posix.basename(rel);
      const body = await readFile(abs);
      await api.upload({
        parentId: parent,
        name,
        mimeType: 'application/octet-stream',
        body,
        resumable: true,
        chunkSize: 256 * 1024,
        onProgress: (s, t) => onProgress(t ? s / t : 1),
      });
      await writeSidecar(parent, name, sha256);
    },
  };
}

export function hfTier(cfg: HfTierConfig, api: HubApi): RemoteTier {
  let repoReady = false;
  const remotePath = (rel: string) => (cfg.pathPrefix ? `${cfg.pathPrefix}/${rel}` : rel);
  return {
    name: 'hf',
    patterns: cfg.patterns,
    intervalSec: cfg.intervalSec,
    async confirmed(rel, abs, sha256, size) {
      const e = await api.entry(cfg.repo, remotePath(rel)).catch((err: { status?: number }) => {
        if (err.status === 404 || err.status === 401) return undefined;
        throw err;
      });
      if (!e || e.size !== size) return undefined;
      if (e.sha256 ? e.sha256 === sha256 : e.gitOid === (await gitBlobSha1File(abs))) return `${cfg.repo}/${remotePath(rel)}`;
      return undefined;
    },
    async upload(rel, abs, sha256, onProgress) {
      if (!repoReady) await api.ensureRepo(cfg.repo);
      repoReady = true;
      await api.uploadFile(cfg.repo, abs, remotePath(rel), { onProgress, sha256 });
    },
  };
}
