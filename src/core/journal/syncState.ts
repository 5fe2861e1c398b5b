// Where a run's checkpoints are, read from the checkpoint sync's state file
// (`.airlock/sync-state.json` in the watched directory) when there is one. Read leniently: the
// journal only needs, per file, its path, hash and the tiers that confirmed it.
export interface CheckpointLocation {
  path: string;
  sha256?: string;
  /** Tiers that confirmed the upload, e.g. ["local", "drive", "hf"]. */
  tiers: string[];
}

export const syncStateFile = '.airlock/sync-state.json';

export function checkpointsFromSyncState(text: string): CheckpointLocation[] {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return [];
  }
  const files = (v as { files?: unknown; uploads?: unknown })?.files ?? (v as { uploads?: unknown })?.uploads;
  const entries: [string, unknown][] = Array.isArray(files)
    ? files.map((e) => [String((e as { path?: unknown; name?: unknown }).path ?? (e as { name?: unknown }).name ?? ''), e])
    : files && typeof files === 'object'
      ? Object.entries(files)
      : [];
  return entries
    .filter(([path]) => path)
    .map(([path, e]) => {
      const o = (e ?? {}) as { sha256?: unknown; tiers?: unknown; confirmed?: unknown };
      const tiersRaw = o.tiers ?? o.confirmed;
      const tiers = Array.isArray(tiersRaw)
        ? tiersRaw.map(String)
        : tiersRaw && typeof tiersRaw === 'object'
          ? Object.entries(tiersRaw as Record<string, unknown>)
              .filter(
                ([, t]) =>
                  t &&
                  (typeof t !== 'object' || (t as { confirmedAt?: unknown; state?: unknown }).confirmedAt || (t as { state?: unknown }).state === 'confirmed'),
              )
              .map(([k]) => k)
          : [];
      return { path, ...(typeof o.sha256 === 'string' ? { sha256: o.sha256 } : {}), tiers };
    });
}
