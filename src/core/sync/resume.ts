// `airlock sync resume`: the checkpoint to continue from, local disk first, then Drive, then the
// Hub; each candidate's sha256 is checked before it is used, and the answer says which tier it
// came from and why each earlier tier was skipped.
import { copyFile, mkdir, rename, stat } from 'node:fs/promises';
import { basename, join, posix, resolve } from 'node:path';
import { writeFileAtomic } from '../fs/writeFileAtomic';
import type { DriveApi } from '../colab/driveClient';
import { HubError, type HubApi } from '../hfhub/hubClient';
import { errorMessage } from '../text/errorMessage';
import { sha256File } from './hashFile';
import { matchesAny, type SyncConfig } from './syncConfig';
import { latestCheckpoint, readSyncState } from './syncState';
import { shaSidecar } from './tiers';

export type ResumeTier = 'local' | 'drive' | 'hf';

export interface ResumeResult {
  tier: ResumeTier;
  name: string;
  path: string;
  sha256: string;
  /** Why each earlier tier did not serve it. `empty`: the tier answered that it holds no checkpoint at all (or is not configured) — as opposed to unreachable, damaged, or missing one it should have. */
  skipped: { tier: ResumeTier; reason: string; empty: boolean }[];
}

export interface ResumeOptions {
  /** The watched directory (its state file and local checkpoints). */
  dir: string;
  config: SyncConfig;
  /** A checkpoint path relative to the watched dir, or undefined for the latest. */
  name?: string;
  outDir: string;
  drive?: () => Promise<DriveApi>;
  hub?: () => HubApi;
}

const natural = (a: string, b: string) => a.localeCompare(b, undefined, { numeric: true });

export async function resumeCheckpoint(o: ResumeOptions): Promise<ResumeResult> {
  const skipped: ResumeResult['skipped'] = [];
  const state = await readSyncState(o.dir);
  const wanted = o.name ?? (state ? latestCheckpoint(state)?.[0] : undefined);
  await mkdir(o.outDir, { recursive: true });
  const outFor = (rel: string) => join(o.outDir, basename(rel));

  // Local: the file is there and has the hash the sync recorded.
  if (!state) skipped.push({ tier: 'local', reason: `no sync state in ${o.dir} (nothing recorded on this disk)`, empty: true });
  else if (!wanted) skipped.push({ tier: 'local', reason: 'the state records no checkpoint', empty: true });
  else {
    const rec = state.files[wanted];
    const abs = join(o.dir, wanted);
    const have = await stat(abs).catch(() => undefined);
    if (!rec) skipped.push({ tier: 'local', reason: `${wanted} is not in the sync state`, empty: true });
    else if (!have)
      skipped.push({
        tier: 'local',
        reason: rec.localDeletedAt ? `${wanted} was deleted by the retention rule at ${rec.localDeletedAt}` : `${wanted} is missing from ${o.dir}`,
        empty: false,
      });
    else {
      const sha = await sha256File(abs);
      if (sha !== rec.sha256)
        skipped.push({ tier: 'local', reason: `${wanted} on disk does not match its recorded sha256 (damaged or rewritten)`, empty: false });
      else {
        const out = outFor(wanted);
        if (resolve(out) !== resolve(abs)) await copyFile(abs, `${out}.tmp`).then(() => rename(`${out}.tmp`, out));
        return { tier: 'local', name: wanted, path: out, sha256: sha, skipped };
      }
    }
  }

  // Drive: the newest (or named) checkpoint with its .sha256 beside it.
  if (!o.config.drive || !o.drive) skipped.push({ tier: 'drive', reason: 'no Drive tier configured', empty: true });
  else {
    try {
      const api = await o.drive();
      const folder = await api.folderByPath(o.config.drive.folder, o.config.drive.rootId ? { rootId: o.config.drive.rootId } : {});
      if (!folder) throw new EmptyTier(`the folder ${o.config.drive.folder} does not exist on Drive`);
      const files = (await api.listTree(folder.id)).filter((f) => matchesAny(f.path, o.config.checkpointPatterns));
      const pick = wanted
        ? files.filter((f) => f.path === wanted).sort((a, b) => (b.modifiedTime ?? '').localeCompare(a.modifiedTime ?? ''))[0]
        : files.sort((a, b) => (b.modifiedTime ?? '').localeCompare(a.modifiedTime ?? '') || natural(b.path, a.path))[0];
      if (!pick) throw new EmptyTier(wanted ? `${wanted} is not on Drive` : 'no checkpoint on Drive');
      const all = await api.listTree(folder.id);
      const side = all.find((f) => f.path === shaSidecar(pick.path));
      if (!side) throw new Error(`${pick.path} has no ${shaSidecar(basename(pick.path))} beside it (its upload did not finish)`);
      const expect = (await api.download(side.id, side.name)).toString('utf8').slice(0, 64);
      const body = await api.download(pick.id, pick.name);
      const { createHash } = await import('node:crypto');
      const sha = createHash('sha256').update(body).digest('hex');
      if (sha !== expect) throw new Error(`${pick.path} from Drive does not match its sha256`);
      const out = outFor(pick.path);
      await writeFileAtomic(out, body);
      return { tier: 'drive', name: pick.path, path: out, sha256: sha, skipped };
    } catch (err) {
      skipped.push({ tier: 'drive', reason: errorMessage(err), empty: err instanceof EmptyTier });
    }
  }

  // The Hub: LFS oid = sha256 of the bytes.
  if (!o.config.hf || !o.hub) skipped.push({ tier: 'hf', reason: 'no Hugging Face tier configured', empty: true });
  else {
    try {
      const api = o.hub();
      const prefix = o.config.hf.pathPrefix;
      const rel = (p: string) => (prefix ? posix.relative(prefix, p) : p);
      const listed = await api.list(o.config.hf.repo).catch((err: unknown) => {
        // A first run: the sync creates the repo with its first upload.
        if (err instanceof HubError && err.status === 404) throw new EmptyTier(`${o.config.hf!.repo} does not exist on the Hub yet`);
        throw err;
      });
      const files = listed.filter((f) => (!prefix || f.path.startsWith(`${prefix}/`)) && matchesAny(rel(f.path), o.config.checkpointPatterns));
      const pick = wanted ? files.find((f) => rel(f.path) === wanted) : files.sort((a, b) => natural(b.path, a.path))[0];
      if (!pick) throw new EmptyTier(wanted ? `${wanted} is not in ${o.config.hf.repo}` : `no checkpoint in ${o.config.hf.repo}`);
      const out = outFor(pick.path);
      const got = await api.download(o.config.hf.repo, pick.path, `${out}.hub`);
      if (pick.sha256 && got.sha256 !== pick.sha256) throw new Error(`${pick.path} from the Hub does not match its sha256`);
      await rename(`${out}.hub`, out);
      return { tier: 'hf', name: rel(pick.path), path: out, sha256: got.sha256, skipped };
    } catch (err) {
      skipped.push({ tier: 'hf', reason: errorMessage(err), empty: err instanceof EmptyTier });
    }
  }
  throw new ResumeError(skipped);
}

/** A tier that answered: it holds no checkpoint (a first run), as opposed to one that failed. */
class EmptyTier extends Error {}

export class ResumeError extends Error {
  constructor(readonly skipped: ResumeResult['skipped']) {
    super(`no checkpoint to resume from: ${skipped.map((s) => `${s.tier}: ${s.reason}`).join('; ')}`);
    this.name = 'ResumeError';
  }
  /** Every tier answered that it holds no checkpoint: a first run, safe to start from scratch. */
  get nothingAnywhere(): boolean {
    return this.skipped.every((s) => s.empty);
  }
}
