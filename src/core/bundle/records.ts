// What this workspace knows about the bundles it sent: one file per host under
// `.airlock/bundles/<host>.json` (commit, bundle hash, directory, last verify), which the Hosts and
// Pods views read to show "code @ abc1234 · clean" or "drifted: 3 files" without a round trip.
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../fs/writeFileAtomic';
import type { DriftReport } from './verify';
import type { BundleManifest } from './manifest';

export interface HostBundleRecord {
  host: string;
  dir: string;
  bundleSha256: string;
  commit: string;
  branch: string | null;
  dirty: boolean;
  files: number;
  exportedAt: string;
  /** The last verify; at export time the unpacked copy is the bundle, so it starts clean. */
  lastVerify: { at: string; clean: boolean; changed: string[]; missing: string[]; extra: string[] };
}

export const bundleRecordsDir = (workspace: string) => join(workspace, '.airlock', 'bundles');
const fileFor = (workspace: string, host: string) => join(bundleRecordsDir(workspace), `${encodeURIComponent(host)}.json`);

export function recordFor(host: string, dir: string, bundleSha256: string, manifest: BundleManifest, at: Date): HostBundleRecord {
  return {
    host,
    dir,
    bundleSha256,
    commit: manifest.commit,
    branch: manifest.branch,
    dirty: manifest.dirty !== null,
    files: manifest.files.length,
    exportedAt: at.toISOString(),
    lastVerify: { at: at.toISOString(), clean: true, changed: [], missing: [], extra: [] },
  };
}

export async function writeHostBundleRecord(workspace: string, rec: HostBundleRecord): Promise<void> {
  await mkdir(bundleRecordsDir(workspace), { recursive: true });
  await writeFileAtomic(fileFor(workspace, rec.host), JSON.stringify(rec, null, 2) + '\n');
}

export async function readHostBundleRecord(workspace: string, host: string): Promise<HostBundleRecord | undefined> {
  const text = await readFile(fileFor(workspace, host), 'utf8').catch(() => undefined);
  if (!text) return undefined;
  try {
    const rec = JSON.parse(text) as HostBundleRecord;
    return typeof rec.commit === 'string' && rec.lastVerify ? rec : undefined;
  } catch {
    return undefined;
  }
}

export async function readAllHostBundleRecords(workspace: string): Promise<Map<string, HostBundleRecord>> {
  const names = await readdir(bundleRecordsDir(workspace)).catch(() => [] as string[]);
  const out = new Map<string, HostBundleRecord>();
  for (const n of names.filter((x) => x.endsWith('.json'))) {
    const rec = await readHostBundleRecord(workspace, decodeURIComponent(n.slice(0, -5)));
    if (rec) out.set(rec.host, rec);
  }
  return out;
}

/** Stores a verify's outcome on the host's record (if it is the directory the record describes). */
export async function noteVerify(workspace: string, host: string, dir: string, r: DriftReport, at: Date): Promise<HostBundleRecord | undefined> {
  const rec = await readHostBundleRecord(workspace, host);
  if (!rec || rec.dir !== dir) return undefined;
  const next = { ...rec, lastVerify: { at: at.toISOString(), clean: r.clean, changed: r.changed, missing: r.missing, extra: r.extra } };
  await writeHostBundleRecord(workspace, next);
  return next;
}

/** "code @ abc1234 · clean" / "code @ abc1234 · drifted: 3 files" — the tree's description. */
export function bundleLabel(rec: HostBundleRecord): string {
  const n = rec.lastVerify.changed.length + rec.lastVerify.missing.length + rec.lastVerify.extra.length;
  const state = rec.lastVerify.clean ? 'clean' : `drifted: ${n} file${n === 1 ? '' : 's'}`;
  return `code @ ${rec.commit.slice(0, 7)}${rec.dirty ? ' (dirty)' : ''} · ${state}`;
}

/**
 * The **Code** row of a host or a pod that received a bundle: its description, icon and tooltip.
 * `recheck` is how to check again from where the row is (`Run "Airlock: Show Drift"`, `Click`).
 */
export function bundleRow(rec: HostBundleRecord, recheck: string): { description: string; icon: 'warning' | 'git-commit'; tooltip: string } {
  const v = rec.lastVerify;
  const drifted = [...v.changed, ...v.missing, ...v.extra];
  return {
    description: `${bundleLabel(rec)} · ${rec.dir}`,
    icon: v.clean ? 'git-commit' : 'warning',
    tooltip: v.clean
      ? `Bundle ${rec.bundleSha256.slice(0, 12)} of ${rec.commit.slice(0, 12)}${rec.branch ? ` (${rec.branch})` : ''}, ${rec.files} files, exported ${rec.exportedAt}; last verified ${v.at}. ${recheck} to check again.`
      : `Drifted: ${drifted.slice(0, 5).join(', ')}${drifted.length > 5 ? ', …' : ''}. ${recheck} to check again and list every file.`,
  };
}
