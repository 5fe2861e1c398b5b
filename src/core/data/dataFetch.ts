// `airlock data fetch SOURCE DEST`: a Hugging Face dataset repo (hf:ns/name[@rev]) or a Drive
// file/folder (drive:Path/In/My/Drive) onto the local disk before training. Every file is
// hash-checked (the Hub's sha256 or git blob id; Drive's `.sha256` beside a file when there is
// one), downloads resume their `.part`, a second fetch of the same revision downloads nothing
// (DEST/.airlock/data-cache.json), a network mount as DEST is refused, and each fetch appends a
// provenance record (DEST/.airlock/data-provenance.jsonl) for the journal.
import { createHash } from 'node:crypto';
import { appendFile, mkdir, readFile, rename, stat } from 'node:fs/promises';
import { dirname, join, posix } from 'node:path';
import { UserError } from '../errors/userError';
import { writeFileAtomic } from '../fs/writeFileAtomic';
import type { DriveApi } from '../colab/driveClient';
import type { HubApi } from '../hfhub/hubClient';
import { gitBlobSha1File, sha256File } from '../sync/hashFile';
import { mountOfPath } from './networkMount';

export type DataSource = { kind: 'hf'; repo: string; revision: string } | { kind: 'drive'; path: string };

export function parseDataSource(s: string): DataSource {
  let m = /^hf:(?:datasets\/)?([\w.-]+\/[\w.-]+)(?:@([\w./-]+))?$/.exec(s);
  if (m) return { kind: 'hf', repo: m[1]!, revision: m[2] ?? 'main' };
  m = /^drive:(.+)$/.exec(s);
  if (m) return { kind: 'drive', path: m[1]!.replace(/^\/+|\/+$/g, '') };
  throw new UserError(`SOURCE must be hf:NAMESPACE/DATASET[@REVISION] or drive:FOLDER/PATH, not "${s}"`);
}

export interface FetchedFile {
  path: string;
  size: number;
  sha256: string;
}

export interface DataFetchResult {
  source: string;
  revision: string;
  dest: string;
  files: FetchedFile[];
  downloadedBytes: number;
  cached: boolean;
  fetchedAt: string;
}

interface CacheFile {
  entries: Record<string, { revision: string; files: FetchedFile[]; fetchedAt: string }>;
}

const cachePath = (dest: string) => join(dest, '.airlock', 'data-cache.json');
export const provenancePath = (dest: string) => join(dest, '.airlock', 'data-provenance.jsonl');

async function isCached(dest: string, key: string, revision: string): Promise<FetchedFile[] | undefined> {
  const c = JSON.parse((await readFile(cachePath(dest), 'utf8').catch(() => '{"entries":{}}')) || '{"entries":{}}') as CacheFile;
  const e = c.entries?.[key];
  if (!e || e.revision !== revision) return undefined;
  for (const f of e.files) if ((await stat(join(dest, f.path)).catch(() => undefined))?.size !== f.size) return undefined;
  return e.files;
}

async function remember(dest: string, key: string, revision: string, files: FetchedFile[], fetchedAt: string): Promise<void> {
  const c = JSON.parse((await readFile(cachePath(dest), 'utf8').catch(() => '{"entries":{}}')) || '{"entries":{}}') as CacheFile;
  c.entries ??= {};
  c.entries[key] = { revision, files, fetchedAt };
  // A DEST that had no .airlock/ yet (its first fetch).
  await mkdir(dirname(cachePath(dest)), { recursive: true });
  await writeFileAtomic(cachePath(dest), `${JSON.stringify(c, null, 1)}\n`);
}

export interface DataFetchOptions {
  source: string;
  dest: string;
  hub?: () => HubApi;
  drive?: () => Promise<DriveApi>;
  /** Tests: let a network mount through (never in the CLI). */
  allowNetworkMount?: boolean;
  log?: (line: string) => void;
}

export async function fetchData(o: DataFetchOptions): Promise<DataFetchResult> {
  const src = parseDataSource(o.source);
  await mkdir(o.dest, { recursive: true });
  const mount = await mountOfPath(o.dest);
  if (mount?.network && !o.allowNetworkMount)
    throw new UserError(
      `${o.dest} is on a network mount (${mount.fsType} at ${mount.mountPoint}); fetch to the machine's local disk instead (e.g. /data or /content)`,
    );
  const fetchedAt = new Date().toISOString();
  let files: FetchedFile[] = [];
  let downloadedBytes = 0;
  let revision: string;
  if (src.kind === 'hf') {
    if (!o.hub) throw new UserError('no Hugging Face token: set HF_TOKEN');
    const api = o.hub();
    revision = await api.resolveRevision(src.repo, 'dataset', src.revision);
    const cached = await isCached(o.dest, o.source, revision);
    if (cached) return done(cached, true);
    for (const e of await api.list(src.repo, 'dataset', revision)) {
      const out = join(o.dest, e.path);
      await mkdir(dirname(out), { recursive: true });
      const have = await stat(out).catch(() => undefined);
      const ok = async () => (e.sha256 ? (await sha256File(out)) === e.sha256 : (await gitBlobSha1File(out)) === e.gitOid);
      if (!(have?.size === e.size && (await ok()))) {
        const got = await api.download(src.repo, e.path, out, { type: 'dataset', revision });
        downloadedBytes += got.bytes;
        if (!(await ok())) throw new UserError(`${e.path} from ${src.repo}@${revision} does not match the Hub's hash; fetch again`);
        o.log?.(`fetched ${e.path} (${e.size} bytes)`);
      }
      files.push({ path: e.path, size: e.size, sha256: e.sha256 ?? (await sha256File(out)) });
    }
  } else {
    if (!o.drive) throw new UserError('no Google Drive credentials: set AIRLOCK_DRIVE_SA_JSON');
    const api = await o.drive();
    const parentPath = posix.dirname(src.path);
    const name = posix.basename(src.path);
    const parent = parentPath === '.' ? { id: 'root' } : await api.folderByPath(parentPath);
    const node = parent && (await api.findChild(parent.id, name));
    if (!node) throw new UserError(`drive:${src.path} does not exist on Drive`);
    const all = node.mimeType === 'application/vnd.google-apps.folder' ? await api.listTree(node.id) : [{ ...node, path: name }];
    const items = all.filter((f) => !f.path.endsWith('.sha256'));
    // Drive has no revision id for a folder: its files' newest modification time and total size stand in.
    revision = `${
      items
        .map((f) => f.modifiedTime ?? '')
        .sort()
        .at(-1) ?? ''
    }/${items.reduce((n, f) => n + (f.size ?? 0), 0)}`;
    const cached = await isCached(o.dest, o.source, revision);
    if (cached) return done(cached, true);
    for (const f of items) {
      const out = join(o.dest, f.path);
      await mkdir(dirname(out), { recursive: true });
      const part = `${out}.part`;
      if ((await stat(out).catch(() => undefined))?.size !== f.size) {
        const offset = (await stat(part).catch(() => undefined))?.size ?? 0;
        const chunk = await api.downloadFrom(f.id, offset <= (f.size ?? 0) ? offset : 0, f.path);
        await (offset > 0 && offset <= (f.size ?? 0) ? appendFile(part, chunk) : writeFileAtomic(part, chunk));
        downloadedBytes += chunk.length;
        if ((await stat(part)).size !== f.size) throw new UserError(`drive:${f.path} arrived with the wrong size; fetch again (it resumes)`);
        await rename(part, out);
        o.log?.(`fetched ${f.path} (${f.size} bytes)`);
      }
      const sha = await sha256File(out);
      const side = all.find((x) => x.path === `${f.path}.sha256`);
      if (side) {
        const expect = (await api.download(side.id, side.name)).toString('utf8').slice(0, 64);
        if (expect !== sha) throw new UserError(`drive:${f.path} does not match its ${side.name}; fetch again`);
      }
      files.push({ path: f.path, size: f.size ?? 0, sha256: sha });
    }
  }
  await remember(o.dest, o.source, revision, files, fetchedAt);
  return done(files, false);

  async function done(fs: FetchedFile[], cached: boolean): Promise<DataFetchResult> {
    files = fs;
    const r: DataFetchResult = { source: o.source, revision, dest: o.dest, files, downloadedBytes, cached, fetchedAt };
    const digest = createHash('sha256')
      .update(files.map((f) => `${f.sha256}  ${f.path}`).join('\n'))
      .digest('hex');
    await appendFile(
      provenancePath(o.dest),
      `${JSON.stringify({ dataset: o.source, source: o.source, revision, downloaded: fetchedAt, files: files.length, bytes: files.reduce((n, f) => n + f.size, 0), digest, cached })}\n`,
    );
    return r;
  }
}

/** The journal's "## Data" block (seed 002 §4.A). */
export function provenanceMarkdown(r: DataFetchResult): string {
  return `## Data\n- **Dataset**: ${r.source}\n- **Source**: ${r.source}\n- **Revision**: ${r.revision}\n- **Downloaded**: ${r.fetchedAt.slice(0, 10)}\n- **Files**: ${r.files.length} (${r.files.reduce((n, f) => n + f.size, 0)} bytes) in ${r.dest}\n`;
}
