// One line per file and a summary: what `airlock sync status` prints and the Hosts tree shows.
import { matchesAny, type TierName } from './syncConfig';
import { latestCheckpoint, type FileRecord, type SyncState } from './syncState';

const tierLabel: Record<TierName, string> = { drive: 'Drive', hf: 'HF' };

/** "local ✓ · Drive ✓ · HF ✗ uploading 43 %" */
export function whereLine(s: SyncState, f: FileRecord, rel?: string): string {
  const parts = [`local ${f.localDeletedAt ? '✗ (retention)' : '✓'}`];
  for (const t of s.tiers) {
    const pats = s.tierPatterns?.[t];
    if (rel && pats && !matchesAny(rel, pats) && !f.tiers[t]) continue;
    const r = f.tiers[t];
    parts.push(
      `${tierLabel[t]} ${r?.status === 'confirmed' ? '✓' : r?.status === 'uploading' ? `✗ uploading ${Math.round((r.progress ?? 0) * 100)} %` : r?.status === 'failed' ? '✗ failed' : '✗ pending'}`,
    );
  }
  return parts.join(' · ');
}

export interface SyncSummary {
  latest?: { name: string; where: string };
  lastSync?: string;
  running: boolean;
  errors: number;
  lastError?: string;
  diskWarning?: string;
}

export function syncSummary(s: SyncState, alive: boolean): SyncSummary {
  const l = latestCheckpoint(s);
  const times = Object.values(s.lastSync).filter(Boolean).sort();
  const e = s.errors.at(-1);
  return {
    ...(l ? { latest: { name: l[0], where: whereLine(s, l[1], l[0]) } } : {}),
    ...(times.length ? { lastSync: times.at(-1)! } : {}),
    running: alive && !s.stoppedAt,
    errors: s.errors.length,
    ...(e ? { lastError: `${e.tier ? `${e.tier}: ` : ''}${e.message}` } : {}),
    ...(s.disk?.warning ? { diskWarning: s.disk.warning } : {}),
  };
}

export function formatSyncStatus(s: SyncState): string {
  const lines = [`sync of ${s.dir} (pid ${s.pid}${s.stoppedAt ? `, stopped ${s.stoppedAt}` : ''}), state updated ${s.updatedAt}`];
  for (const t of s.tiers) lines.push(`  last ${tierLabel[t]} sync: ${s.lastSync[t] ?? 'never'}`);
  const l = latestCheckpoint(s);
  if (l) lines.push(`  latest checkpoint: ${l[0]}  ${whereLine(s, l[1], l[0])}`);
  if (s.disk?.warning) lines.push(`  warning: ${s.disk.warning}`);
  for (const [rel, f] of Object.entries(s.files).sort((a, b) => a[1].mtimeMs - b[1].mtimeMs))
    lines.push(`  ${rel}  ${f.sha256.slice(0, 12)}  ${whereLine(s, f, rel)}`);
  for (const e of s.errors.slice(-5)) lines.push(`  error ${e.at}${e.tier ? ` ${e.tier}` : ''}: ${e.message}`);
  return `${lines.join('\n')}\n`;
}
