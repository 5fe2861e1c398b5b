// A run's results folder on Drive: its files (recursively), its status, and a download that keeps
// the folder layout locally. Google Docs-type files cannot be downloaded as bytes and are listed as
// skipped; names are sanitised so a Drive name can never write outside the destination.
import { mkdir } from 'node:fs/promises';
import { writeFileAtomic } from '../fs/writeFileAtomic';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { parseRunStatus, statusFileName, type RunStatus } from '../notebook/statusWriter';
import { throwIfAborted } from '../process/errors';
import type { DriveApi, DriveFile } from './driveClient';

export interface RunFile extends DriveFile {
  /** Relative to the run folder, `/`-separated. */
  path: string;
}

export const driveFolderUrl = (id: string) => `https://drive.google.com/drive/folders/${id}`;

/** The run folder `<driveFolder>/<runId>`, from My Drive or from `rootId` (a folder shared with a service account). */
export function findRunFolder(drive: DriveApi, driveFolder: string, runId: string, rootId?: string): Promise<DriveFile | undefined> {
  return drive.folderByPath(`${driveFolder}/${runId}`, rootId ? { rootId } : {});
}

export function listRunResults(drive: DriveApi, folderId: string): Promise<RunFile[]> {
  return drive.listTree(folderId);
}

export async function readRunStatus(drive: DriveApi, folderId: string): Promise<RunStatus | undefined> {
  const f = await drive.findChild(folderId, statusFileName);
  return f ? parseRunStatus((await drive.download(f.id, statusFileName)).toString('utf8')) : undefined;
}

const safeSegment = (s: string) => (s === '..' || s === '.' || s === '' ? '_' : s.replace(/[\\:*?"<>|\x00-\x1f]/g, '_')); // eslint-disable-line no-control-regex

export interface DownloadedFile {
  path: string;
  local?: string;
  skipped?: string;
}

export async function downloadRunResults(
  drive: DriveApi,
  folderId: string,
  destDir: string,
  o: { signal?: AbortSignal; onFile?: (f: DownloadedFile) => void } = {},
): Promise<DownloadedFile[]> {
  const root = resolve(destDir);
  const out: DownloadedFile[] = [];
  for (const f of await listRunResults(drive, folderId)) {
    throwIfAborted(o.signal);
    const local = resolve(root, ...f.path.split('/').map(safeSegment));
    let d: DownloadedFile;
    if (!local.startsWith(root + sep)) d = { path: f.path, skipped: 'its name would land outside the destination' };
    else if (f.mimeType.startsWith('application/vnd.google-apps.')) d = { path: f.path, skipped: 'a Google Docs-type file (open it in Drive)' };
    else {
      await mkdir(dirname(local), { recursive: true });
      await writeFileAtomic(local, await drive.download(f.id, f.path));
      d = { path: f.path, local: join(destDir, relative(root, local)) };
    }
    out.push(d);
    o.onFile?.(d);
  }
  return out;
}
