// The sync state file, `<watched dir>/.airlock/sync-state.json`: every file the sync has seen
// complete, its sha256, and per remote tier whether it is confirmed there (the remote reported the
// same hash), being uploaded (with progress) or failed (with the error). Replaced atomically; a
// SIGKILL leaves the previous version. Other tools read it (the editor's Hosts view, the bundle
// side's import/journal): the format is documented in docs/airlock.md.
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../fs/writeFileAtomic';
import type { TierName } from './syncConfig';

export const stateDirName = '.airlock';
export const stateFileName = 'sync-state.json';
export const syncStatePath = (dir: string) => join(dir, stateDirName, stateFileName);

export interface TierRecord {
  status: 'confirmed' | 'uploading' | 'failed';
  /** When it was confirmed (or last tried), ISO time. */
  at: string;
  /** Drive file id, or the Hub path and commit. */
  remote?: string;
  progress?: number;
  error?: string;
}

export interface FileRecord {
  size: number;
  mtimeMs: number;
  sha256: string;
  completeAt: string;
  checkpoint: boolean;
  tiers: Partial<Record<TierName, TierRecord>>;
  /** Deleted from the local disk by the retention rule (after a remote confirmed it). */
  localDeletedAt?: string;
}

export interface SyncState {
  version: 1;
  dir: string;
  pid: number;
  startedAt: string;
  updatedAt: string;
  tiers: TierName[];
  /** Which files each tier takes (from the config the sync runs with). */
  tierPatterns?: Partial<Record<TierName, string[]>>;
  files: Record<string, FileRecord>;
  lastSync: Partial<Record<TierName, string>>;
  errors: { at: string; tier?: TierName; message: string }[];
  disk?: { usedPct: number; warning?: string; stateWritesStopped?: boolean };
  stoppedAt?: string;
}

export function emptyState(dir: string, tiers: TierName[]): SyncState {
  const now = new Date().toISOString();
  return { version: 1, dir, pid: process.pid, startedAt: now, updatedAt: now, tiers, files: {}, lastSync: {}, errors: [] };
}

export async function readSyncState(dir: string): Promise<SyncState | undefined> {
  const text = await readFile(syncStatePath(dir), 'utf8').catch(() => undefined);
  if (!text) return undefined;
  try {
    const s = JSON.parse(text) as SyncState;
    return s.version === 1 && typeof s.files === 'object' ? s : undefined;
  } catch {
    return undefined;
  }
}

export async function writeSyncState(dir: string, s: SyncState): Promise<void> {
  s.updatedAt = new Date().toISOString();
  await mkdir(join(dir, stateDirName), { recursive: true });
  await writeFileAtomic(syncStatePath(dir), `${JSON.stringify(s, null, 1)}\n`);
}

/** The newest checkpoint by completion time (what `resume --latest` and the tree show). */
export function latestCheckpoint(s: SyncState): [string, FileRecord] | undefined {
  return Object.entries(s.files)
    .filter(([, f]) => f.checkpoint)
    .sort((a, b) => a[1].mtimeMs - b[1].mtimeMs || a[0].localeCompare(b[0]))
    .at(-1);
}
