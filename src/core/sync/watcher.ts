// `airlock sync watch`: the loop beside a training process. It scans the watched directory, hashes
// each file once it is complete, and uploads it in the background to every tier whose patterns
// match, at most once per tier interval. The state file records what each remote confirmed (same
// size and sha256 there); a restart after a crash or SIGKILL asks the remote before uploading
// again, so a confirmed file is never sent twice. The retention rule deletes old local checkpoints
// only once a remote holds them; the disk guard warns at diskWarnPct and stops writing the state
// file at diskStopPct.
import { statfs, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { errorMessage } from '../text/errorMessage';
import { sleep } from '../process/errors';
import { completeFiles, type Seen } from './completeFiles';
import { sha256File } from './hashFile';
import { matchesAny, type SyncConfig, type TierName } from './syncConfig';
import { emptyState, readSyncState, writeSyncState, type FileRecord, type SyncState } from './syncState';
import type { RemoteTier } from './tiers';

export interface WatchOptions {
  dir: string;
  config: SyncConfig;
  tiers: RemoteTier[];
  signal: AbortSignal;
  log: (line: string) => void;
  /** Retry a failed tier pass after this long even when its interval is longer (default 30 s). */
  retrySec?: number;
}

const maxErrors = 20;

export async function diskUsedPct(dir: string): Promise<number> {
  const s = await statfs(dir);
  const used = s.blocks - s.bfree;
  return used + s.bavail > 0 ? (used / (used + s.bavail)) * 100 : 0;
}

export class SyncWatcher {
  readonly state: SyncState;
  private readonly seen = new Map<string, Seen>();
  private readonly nextRun = new Map<TierName, number>();
  private readonly busy = new Set<TierName>();
  private dirty = true;

  private constructor(
    private readonly o: WatchOptions,
    state: SyncState,
  ) {
    this.state = state;
  }

  static async open(o: WatchOptions): Promise<SyncWatcher> {
    const prev = await readSyncState(o.dir);
    const state =
      prev ??
      emptyState(
        o.dir,
        o.tiers.map((t) => t.name),
      );
    state.pid = process.pid;
    state.startedAt = new Date().toISOString();
    state.tiers = o.tiers.map((t) => t.name);
    state.tierPatterns = Object.fromEntries(o.tiers.map((t) => [t.name, t.patterns]));
    delete state.stoppedAt;
    // An upload that was running when the last sync died is not confirmed: it is asked about again.
    for (const f of Object.values(state.files))
      for (const [t, r] of Object.entries(f.tiers))
        if (r?.status === 'uploading') f.tiers[t as TierName] = { ...r, status: 'failed', error: 'interrupted (the sync stopped during the upload)' };
    return new SyncWatcher(o, state);
  }

  private error(message: string, tier?: TierName): void {
    this.state.errors.push({ at: new Date().toISOString(), ...(tier ? { tier } : {}), message });
    if (this.state.errors.length > maxErrors) this.state.errors.splice(0, this.state.errors.length - maxErrors);
    this.o.log(`error${tier ? ` ${tier}` : ''}: ${message}`);
  }

  async save(): Promise<void> {
    if (this.state.disk?.stateWritesStopped || !this.dirty) return;
    this.dirty = false;
    await writeSyncState(this.o.dir, this.state).catch((e: Error) => this.error(`could not write the state file: ${e.message}`));
  }

  /** One scan: new complete files hashed, due tier passes started, retention, disk guard, state saved. */
  async tick(): Promise<void> {
    const { dir, config } = this.o;
    for (const f of await completeFiles(dir, this.seen, config.settleSec * 1000)) {
      const rec = this.state.files[f.rel];
      if (rec && rec.size === f.size && rec.mtimeMs === f.mtimeMs && !rec.localDeletedAt) continue;
      const sha256 = await sha256File(join(dir, f.rel)).catch(() => undefined);
      if (!sha256) continue;
      if (rec && rec.sha256 === sha256) {
        Object.assign(rec, { size: f.size, mtimeMs: f.mtimeMs });
        delete rec.localDeletedAt;
      } else {
        this.state.files[f.rel] = {
          size: f.size,
          mtimeMs: f.mtimeMs,
          sha256,
          completeAt: new Date().toISOString(),
          checkpoint: matchesAny(f.rel, config.checkpointPatterns),
          tiers: {},
        };
        this.o.log(`complete ${f.rel} sha256:${sha256.slice(0, 12)}`);
      }
      this.dirty = true;
    }
    const now = Date.now();
    for (const t of this.o.tiers) {
      if (this.busy.has(t.name) || (this.nextRun.get(t.name) ?? 0) > now) continue;
      if (!this.pending(t).length) continue;
      this.busy.add(t.name);
      void this.pass(t).finally(() => this.busy.delete(t.name));
    }
    await this.retention();
    await this.diskGuard();
    await this.save();
  }

  private pending(t: RemoteTier): [string, FileRecord][] {
    return Object.entries(this.state.files).filter(([rel, f]) => !f.localDeletedAt && f.tiers[t.name]?.status !== 'confirmed' && matchesAny(rel, t.patterns));
  }

  /** Uploads everything this tier still lacks, oldest first; one failure does not stop the others. */
  private async pass(t: RemoteTier): Promise<void> {
    let failed = false;
    for (const [rel, f] of this.pending(t).sort((a, b) => a[1].mtimeMs - b[1].mtimeMs)) {
      if (this.o.signal.aborted) return;
      const abs = join(this.o.dir, rel);
      const mark = (r: FileRecord['tiers'][TierName]) => ((f.tiers[t.name] = r), (this.dirty = true));
      try {
        let remote = await t.confirmed(rel, abs, f.sha256, f.size);
        if (!remote) {
          mark({ status: 'uploading', at: new Date().toISOString(), progress: 0 });
          await this.save();
          let lastSaved = 0;
          await t.upload(rel, abs, f.sha256, (p) => {
            const r = f.tiers[t.name];
            if (r?.status === 'uploading') r.progress = Math.round(p * 100) / 100;
            this.dirty = true;
            if (Date.now() - lastSaved > 1000) void this.save().then(() => (lastSaved = Date.now()));
          });
          remote = await t.confirmed(rel, abs, f.sha256, f.size);
          if (!remote) throw new Error('the upload finished but the remote does not hold the same bytes');
          this.o.log(`uploaded ${t.name} ${rel}`);
        } else if (f.tiers[t.name]?.status !== 'confirmed') this.o.log(`already there ${t.name} ${rel}`);
        mark({ status: 'confirmed', at: new Date().toISOString(), remote });
        this.state.lastSync[t.name] = new Date().toISOString();
        await this.save();
      } catch (err) {
        if (this.o.signal.aborted) return;
        failed = true;
        mark({ status: 'failed', at: new Date().toISOString(), error: errorMessage(err) });
        this.error(`${rel}: ${errorMessage(err)}`, t.name);
        await this.save();
      }
    }
    this.nextRun.set(t.name, Date.now() + 1000 * (failed ? Math.min(t.intervalSec, this.o.retrySec ?? 30) : t.intervalSec));
  }

  /** Keep the newest keepLocal checkpoints; delete older ones only when a remote confirmed them. */
  private async retention(): Promise<void> {
    const local = Object.entries(this.state.files)
      .filter(([, f]) => f.checkpoint && !f.localDeletedAt)
      .sort((a, b) => b[1].mtimeMs - a[1].mtimeMs || b[0].localeCompare(a[0]));
    for (const [rel, f] of local.slice(this.o.config.keepLocal)) {
      // Stricter than "confirmed in one remote": every tier whose patterns match holds it.
      const tiers = this.o.tiers.filter((t) => matchesAny(rel, t.patterns));
      if (!tiers.length || !tiers.every((t) => f.tiers[t.name]?.status === 'confirmed')) continue;
      if (Object.values(f.tiers).some((r) => r?.status === 'uploading')) continue;
      await unlink(join(this.o.dir, rel)).catch((e: NodeJS.ErrnoException) => {
        if (e.code !== 'ENOENT') throw e;
      });
      f.localDeletedAt = new Date().toISOString();
      this.dirty = true;
      this.o.log(
        `deleted local ${rel} (kept in ${Object.entries(f.tiers)
          .filter(([, r]) => r?.status === 'confirmed')
          .map(([k]) => k)
          .join(', ')})`,
      );
    }
  }

  private async diskGuard(): Promise<void> {
    const pct = await diskUsedPct(this.o.dir).catch(() => undefined);
    if (pct === undefined) return;
    const { diskWarnPct, diskStopPct } = this.o.config;
    const prev = this.state.disk;
    const usedPct = Math.round(pct * 10) / 10;
    if (pct >= diskStopPct) {
      if (!prev?.stateWritesStopped) {
        // The last write says why the next ones do not happen.
        this.state.disk = {
          usedPct,
          warning: `disk ${usedPct}% full: stopped writing the state file (at ${diskStopPct}%); free space on ${this.o.dir}`,
          stateWritesStopped: false,
        };
        this.dirty = true;
        await this.save();
        this.state.disk.stateWritesStopped = true;
        this.o.log(`warning: ${this.state.disk.warning}`);
      }
      return;
    }
    if (pct >= diskWarnPct) {
      if (!prev?.warning || prev.stateWritesStopped) this.o.log(`warning: disk ${usedPct}% full (warns at ${diskWarnPct}%)`);
      this.state.disk = { usedPct, warning: `disk ${usedPct}% full (warns at ${diskWarnPct}%)` };
    } else this.state.disk = { usedPct };
    if (prev?.usedPct !== usedPct || prev?.stateWritesStopped) this.dirty = true;
  }

  /** Until the signal: scan every scanSec. Uploads in flight are abandoned (the next start redoes them). */
  async run(): Promise<void> {
    await this.tick();
    while (!this.o.signal.aborted) {
      await sleep(this.o.config.scanSec * 1000, this.o.signal).catch(() => undefined);
      if (this.o.signal.aborted) break;
      await this.tick().catch((e: unknown) => this.error(errorMessage(e)));
    }
    this.state.stoppedAt = new Date().toISOString();
    for (const f of Object.values(this.state.files))
      for (const [t, r] of Object.entries(f.tiers))
        if (r?.status === 'uploading') f.tiers[t as TierName] = { ...r, status: 'failed', error: 'interrupted (the sync stopped during the upload)' };
    this.dirty = true;
    await this.save();
  }
}
