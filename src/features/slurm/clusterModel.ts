// The Slurm clusters among the hosts: a host whose probe found `sbatch`/`sinfo` on its login node
// (or that says `"scheduler": "slurm"` in .airlock/hosts.json). Partitions (sinfo) and my jobs
// (squeue, recent ones included) are read over the host's runner when its row is first expanded,
// then on the view's poll while it is visible; one read per cluster at a time.
import * as vscode from 'vscode';
import { listJobs, readCluster, type ClusterState } from '../../core/slurm/slurmClient';
import type { SlurmJob } from '../../core/slurm/slurmParse';
import { errorMessage } from '../../core/text/errorMessage';
import type { HostsModel } from '../hosts/hostsModel';

export interface ClusterView {
  state?: ClusterState;
  jobs?: SlurmJob[];
  /** Why the last read failed (Slurm's own words). */
  error?: string;
  loading: boolean;
  readAt?: number;
}

export class ClusterModel implements vscode.Disposable {
  private readonly views = new Map<string, ClusterView>();
  private readonly inFlight = new Map<string, Promise<void>>();
  /** Clusters whose row was expanded: only these are polled. */
  private readonly watched = new Set<string>();
  private readonly abort = new AbortController();
  private readonly changed = new vscode.EventEmitter<string>();
  /** Fires the host name whose cluster data changed. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly hosts: HostsModel) {}

  isCluster(name: string): boolean {
    const h = this.hosts.host(name);
    if (!h) return false;
    if (h.spec.scheduler === 'slurm') return true;
    return !!h.facts?.reachable && h.facts.scheduler === 'slurm';
  }

  clusters(): string[] {
    return this.hosts.hosts.map((h) => h.spec.name).filter((n) => this.isCluster(n));
  }

  view(name: string): ClusterView | undefined {
    return this.views.get(name);
  }

  /** The row was expanded: read it now if never read, and poll it from now on. */
  watch(name: string): void {
    if (this.watched.has(name)) return;
    this.watched.add(name);
    if (!this.views.get(name)?.readAt) void this.load(name);
  }

  /** Re-reads every watched cluster (the view's poll), or just `names`. */
  async refresh(names?: string[]): Promise<void> {
    const which = (names ?? [...this.watched]).filter((n) => this.isCluster(n));
    await Promise.all(which.map((n) => this.load(n)));
  }

  /** One read of partitions and my jobs; a second call while one runs waits for it. */
  load(name: string): Promise<void> {
    const running = this.inFlight.get(name);
    if (running) return running;
    const view = this.views.get(name) ?? { loading: false };
    this.views.set(name, view);
    view.loading = true;
    this.changed.fire(name);
    const p = (async () => {
      try {
        const runner = this.hosts.runner(name);
        const signal = this.abort.signal;
        const [state, jobs] = await Promise.all([
          readCluster(runner, { signal, timeoutMs: 30_000 }),
          listJobs(runner, { recent: true, signal, timeoutMs: 30_000 }),
        ]);
        Object.assign(view, { state, jobs, readAt: Date.now() });
        delete view.error;
      } catch (err) {
        if (this.abort.signal.aborted) return;
        view.error = errorMessage(err);
        view.readAt = Date.now();
      } finally {
        view.loading = false;
        this.inFlight.delete(name);
        if (!this.abort.signal.aborted) this.changed.fire(name);
      }
    })();
    this.inFlight.set(name, p);
    return p;
  }

  dispose(): void {
    this.abort.abort();
    this.changed.dispose();
  }
}
