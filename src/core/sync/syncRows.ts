// What the Hosts view shows for one checkpoint sync on a host, from `airlock sync status --json`:
// the summary row and its children (latest checkpoint and where it is, last sync per tier, disk
// warning, errors with what to do). Plain data so the editor's nodes only render it.
import { formatDuration } from '../text/duration';
import { latestCheckpoint } from './syncState';
import { whereLine } from './syncStatus';
import type { RemoteSyncStatus } from './remoteSync';
import type { TierName } from './syncConfig';

export interface SyncRow {
  /** Stable within one sync: the node id suffix. */
  key: string;
  label: string;
  description: string;
  icon: string;
  severity?: 'warning' | 'error';
  tooltip: string;
}

export interface SyncSummaryRow {
  description: string;
  state: 'running' | 'stopped' | 'unknown';
  tooltip: string;
}

const tierLabel: Record<TierName, string> = { drive: 'Drive', hf: 'HF' };
const ago = (iso: string, now: number) => {
  const t = Date.parse(iso);
  return Number.isFinite(t) ? `${formatDuration(Math.max(0, now - t))} ago` : iso;
};

export function syncSummaryRow(dir: string, s: RemoteSyncStatus | undefined, loading: boolean): SyncSummaryRow {
  if (!s) return { description: `${dir} · ${loading ? 'reading…' : 'not read yet'}`, state: 'unknown', tooltip: `Checkpoint sync of ${dir}` };
  const state = s.alive && !s.state?.stoppedAt ? 'running' : 'stopped';
  const n = s.state ? Object.values(s.state.files).filter((f) => f.checkpoint).length : 0;
  const what = s.state ? `${n} checkpoint${n === 1 ? '' : 's'}` : 'no state';
  return {
    description: `${dir} · ${state === 'running' ? 'syncing' : 'stopped'} · ${what}`,
    state,
    tooltip: `Checkpoint sync of ${dir} (${state === 'running' ? `pid ${s.state?.pid ?? '?'}, running` : 'not running'})${s.state ? `; state updated ${s.state.updatedAt}` : ''}`,
  };
}

export function syncRows(s: RemoteSyncStatus | undefined, now = Date.now()): SyncRow[] {
  if (!s) return [];
  if (!s.state)
    return [
      {
        key: 'nostate',
        label: 'No sync state',
        description: s.error ?? 'the watcher wrote no state yet',
        icon: 'warning',
        severity: 'warning',
        tooltip: `${s.error ?? 'No state file yet.'} ${s.alive ? 'The watcher is starting; it writes its state after the first scan.' : 'Start it again with "Airlock: Start Checkpoint Sync on Host…" and look at its log in Live Logs.'}`,
      },
    ];
  const st = s.state;
  const rows: SyncRow[] = [];
  const latest = latestCheckpoint(st);
  if (latest) {
    const where = whereLine(st, latest[1], latest[0]);
    rows.push({
      key: 'latest',
      label: 'Latest checkpoint',
      description: `${latest[0]} · ${where}`,
      icon: /✗ (failed|pending|uploading)/.test(where) ? 'cloud-upload' : 'pass',
      tooltip: `${latest[0]} (sha256 ${latest[1].sha256.slice(0, 12)}…, ${latest[1].size} bytes), complete at ${latest[1].completeAt}: ${where}`,
    });
  } else
    rows.push({
      key: 'latest',
      label: 'Latest checkpoint',
      description: 'none yet',
      icon: 'circle-outline',
      tooltip: 'No checkpoint file has been completed in the watched directory yet.',
    });
  for (const t of st.tiers) {
    const at = st.lastSync[t];
    rows.push({
      key: `last-${t}`,
      label: `Last ${tierLabel[t]} sync`,
      description: at ? ago(at, now) : 'never',
      icon: 'cloud',
      tooltip: at ? `Last successful upload to ${tierLabel[t]}: ${at}` : `Nothing confirmed on ${tierLabel[t]} yet.`,
    });
  }
  if (st.disk?.warning)
    rows.push({
      key: 'disk',
      label: 'Disk',
      description: st.disk.warning,
      icon: 'warning',
      severity: 'warning',
      tooltip: `${st.disk.warning} — delete old checkpoints or lower retention.keepLocal in the sync config; a full disk bricks the machine.`,
    });
  if (s.error)
    rows.push({
      key: 'read',
      label: 'Status',
      description: `could not read: ${s.error}`,
      icon: 'warning',
      severity: 'warning',
      tooltip: `The last read of the sync status failed (${s.error}); the rows show the read before. Is the host reachable? Refresh the Hosts view to try again.`,
    });
  const last = st.errors.at(-1);
  if (last)
    rows.push({
      key: 'error',
      label: `Error${st.errors.length > 1 ? ` (${st.errors.length})` : ''}`,
      description: `${last.tier ? `${tierLabel[last.tier]}: ` : ''}${last.message}`,
      icon: 'error',
      severity: 'error',
      tooltip: `${last.at}: ${last.message}\n\n${whatToDo(last.message, last.tier)}`,
    });
  return rows;
}

/** The fix a user can apply for a sync error (the watcher retries on its own either way). */
export function whatToDo(message: string, tier?: TierName): string {
  const where = tier ? tierLabel[tier] : 'the remote';
  if (/\b401\b|unauthori[sz]ed|invalid.*token|no .*token|credentials/i.test(message))
    return tier === 'hf'
      ? 'The Hugging Face token was refused: set one with write access ("Airlock: Set Hugging Face Token…"), then stop and start the sync.'
      : 'Google Drive refused the credentials: set them again ("Airlock: Set Google Drive Service-Account Key…" or "Airlock: Sign in to Google Drive…"), then restart the sync.';
  if (/\b403\b|forbidden|permission/i.test(message)) return `${where} refused access: share the folder / repo with the account, then restart the sync.`;
  if (/\b429\b|rate/i.test(message)) return `${where} is rate-limiting: the sync waits and retries by itself.`;
  if (/disk|ENOSPC|no space/i.test(message)) return 'The disk is full: delete old files there; the sync resumes once there is room.';
  return `The sync retries ${where} on its next interval; if it keeps failing, read its log in Live Logs (Stop and Start again re-reads the config).`;
}
