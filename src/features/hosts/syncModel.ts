// The checkpoint syncs the editor started on hosts (kept in the workspace state, so they survive a
// restart like the watchers themselves) and their last `airlock sync status --json` read. A host's
// syncs are read when its row is first expanded, then on the view's poll while it is visible; one
// read per host at a time.
import * as vscode from 'vscode';
import { parseStatusOutput, statusCommand, type RemoteSyncStatus } from '../../core/sync/remoteSync';
import { errorMessage } from '../../core/text/errorMessage';
import type { HostsModel } from './hostsModel';

export interface SyncRecord {
  host: string;
  /** Absolute path of the watched directory on the host. */
  dir: string;
  startedAt: string;
  /** The CLI on the host that started it. */
  cli: string;
}

export interface SyncView {
  status?: RemoteSyncStatus;
  loading: boolean;
  readAt?: number;
}

const stateKey = 'airlock.checkpointSyncs';
const viewKey = (host: string, dir: string) => `${host}\u0000${dir}`;

export class SyncModel implements vscode.Disposable {
  private readonly views = new Map<string, SyncView>();
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly watched = new Set<string>();
  private readonly abort = new AbortController();
  private readonly changed = new vscode.EventEmitter<string>();
  /** Fires the host name whose syncs changed. */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly memento: vscode.Memento,
    private readonly hosts: HostsModel,
  ) {}

  private all(): SyncRecord[] {
    return this.memento.get<SyncRecord[]>(stateKey, []);
  }

  records(host: string): SyncRecord[] {
    return this.all().filter((r) => r.host === host);
  }

  record(host: string, dir: string): SyncRecord | undefined {
    return this.all().find((r) => r.host === host && r.dir === dir);
  }

  async add(rec: SyncRecord): Promise<void> {
    await this.memento.update(stateKey, [...this.all().filter((r) => !(r.host === rec.host && r.dir === rec.dir)), rec]);
    this.watched.add(rec.host);
    this.changed.fire(rec.host);
  }

  async remove(host: string, dir: string): Promise<void> {
    await this.memento.update(
      stateKey,
      this.all().filter((r) => !(r.host === host && r.dir === dir)),
    );
    this.views.delete(viewKey(host, dir));
    this.changed.fire(host);
  }

  view(host: string, dir: string): SyncView | undefined {
    return this.views.get(viewKey(host, dir));
  }

  /** The host's row was expanded: read its syncs now if never read, and poll them from now on. */
  watch(host: string): void {
    if (this.watched.has(host) || !this.records(host).length) return;
    this.watched.add(host);
    void this.load(host);
  }

  /** Re-reads every watched host (the view's poll), or just `hosts`. */
  async refresh(hosts?: string[]): Promise<void> {
    await Promise.all((hosts ?? [...this.watched]).map((h) => this.load(h)));
  }

  /** One status read of every sync on `host`; a second call while one runs waits for it. */
  load(host: string): Promise<void> {
    const running = this.inFlight.get(host);
    if (running) return running;
    const recs = this.records(host);
    if (!recs.length) return Promise.resolve();
    const p = (async () => {
      const runner = this.hosts.runner(host);
      for (const rec of recs) {
        const key = viewKey(host, rec.dir);
        const view = this.views.get(key) ?? { loading: false };
        this.views.set(key, view);
        view.loading = true;
        try {
          const r = await runner.exec(statusCommand({ cli: rec.cli, absDir: rec.dir }), { signal: this.abort.signal, timeoutMs: 60_000 });
          view.status = parseStatusOutput(r);
        } catch (err) {
          if (this.abort.signal.aborted) return;
          view.status = { alive: view.status?.alive ?? false, ...(view.status?.state ? { state: view.status.state } : {}), error: errorMessage(err) };
        } finally {
          view.loading = false;
          view.readAt = Date.now();
        }
      }
    })().finally(() => {
      this.inFlight.delete(host);
      if (!this.abort.signal.aborted) this.changed.fire(host);
    });
    this.inFlight.set(host, p);
    return p;
  }

  dispose(): void {
    this.abort.abort();
    this.changed.dispose();
  }
}
