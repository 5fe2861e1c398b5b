// The Jupyter servers this editor window started on Slurm compute nodes (Start Jupyter on Slurm…):
// starting ones (pending with Slurm's reason, or waiting for the server to listen) and running ones
// with their tunnel. They are rows under their cluster in the Hosts view, dispatch targets in
// Dispatch Notebook… and kernels in the notebook kernel picker. They live as long as this window:
// disposing (window closed, extension deactivated) stops every one (scancel), and should that not
// run at all, the login node cancels the job when our SSH connection closes (core's job guard).
import * as vscode from 'vscode';
import type { HostRunner } from '../../core/hosts/types';
import type { JupyterJobOptions, JupyterJobProgress } from '../../core/slurm/jupyterJob';
import { startJupyterOnSlurm, type SlurmJupyter } from '../../core/slurm/jupyterOnSlurm';
import { isCancelled } from '../../core/process/errors';
import { isFinished, type SlurmJob } from '../../core/slurm/slurmParse';
import { errorMessage } from '../../core/text/errorMessage';

export interface SlurmJupyterSession {
  /** `<cluster>:<seq>` until submitted, then `<cluster>:<jobId>`; stable for the row. */
  key: string;
  cluster: string;
  jobId?: string;
  phase: 'submitting' | 'pending' | 'starting' | 'running' | 'stopping';
  /** Slurm's pending reason while pending. */
  reason?: string;
  node?: string;
  server?: SlurmJupyter;
  options: JupyterJobOptions;
  startedAt: number;
}

export class SlurmJupyterSessions implements vscode.Disposable {
  private readonly sessions = new Map<string, SlurmJupyterSession>();
  private readonly aborts = new Map<SlurmJupyterSession, AbortController>();
  private readonly changed = new vscode.EventEmitter<string>();
  private seq = 0;
  /** Fires the cluster whose servers changed. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly log?: vscode.LogOutputChannel) {}

  list(cluster?: string): SlurmJupyterSession[] {
    return [...this.sessions.values()].filter((s) => !cluster || s.cluster === cluster);
  }

  running(): (SlurmJupyterSession & { server: SlurmJupyter })[] {
    return this.list().filter((s): s is SlurmJupyterSession & { server: SlurmJupyter } => s.phase === 'running' && !!s.server);
  }

  get(key: string): SlurmJupyterSession | undefined {
    return this.sessions.get(key);
  }

  /** The running server whose dispatch target is `slurm:<cluster>:<jobId>`. */
  byTarget(ref: string): SlurmJupyter | undefined {
    const s = this.sessions.get(ref.replace(/^slurm:/, ''));
    return s?.phase === 'running' ? s.server : undefined;
  }

  /**
   * Submits and waits until the server answers through its tunnel. `signal` (the progress's
   * Cancel) cancels the job; `onProgress` sees the pending reason as Slurm gives it.
   */
  async start(runner: HostRunner, options: JupyterJobOptions, signal: AbortSignal, onProgress?: (p: JupyterJobProgress) => void): Promise<SlurmJupyterSession> {
    const cluster = runner.host.name;
    let s: SlurmJupyterSession = { key: `${cluster}:new${++this.seq}`, cluster, phase: 'submitting', options, startedAt: Date.now() };
    const ctl = new AbortController();
    const onAbort = () => ctl.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    if (signal.aborted) ctl.abort();
    this.put(s);
    this.aborts.set(s, ctl);
    try {
      const server = await startJupyterOnSlurm(runner, options, {
        signal: ctl.signal,
        onSubmitted: (j) => {
          this.sessions.delete(s.key);
          s = Object.assign(s, { key: `${cluster}:${j.jobId}`, jobId: j.jobId, phase: 'pending' as const });
          this.put(s);
          this.log?.info(`Slurm Jupyter: job ${j.jobId} submitted on ${cluster} (${j.command})`);
        },
        onProgress: (p) => {
          if (p.kind === 'pending') Object.assign(s, { phase: 'pending', reason: p.reason });
          else Object.assign(s, { phase: 'starting', node: p.node, reason: undefined });
          this.changed.fire(cluster);
          onProgress?.(p);
        },
        onTunnelError: (e) => this.log?.warn(`Slurm Jupyter job ${s.jobId} on ${cluster}: ${e.message}`),
      });
      Object.assign(s, { phase: 'running', server, node: server.node, reason: undefined });
      this.changed.fire(cluster);
      this.log?.info(`Slurm Jupyter: job ${server.jobId} on ${server.node} listens; tunnelled to ${server.url}`);
      return s;
    } catch (err) {
      // startJupyterOnSlurm cancelled the job already.
      this.sessions.delete(s.key);
      this.changed.fire(cluster);
      if (!isCancelled(err)) this.log?.warn(`Slurm Jupyter on ${cluster}: ${errorMessage(err)}`);
      throw err;
    } finally {
      signal.removeEventListener('abort', onAbort);
      this.aborts.delete(s);
    }
  }

  /** Stop: scancel, wait until Slurm ended it, tunnel closed, its directory (token) removed. */
  async stop(key: string): Promise<string | undefined> {
    const s = this.sessions.get(key);
    if (!s) return undefined;
    const starting = this.aborts.get(s);
    if (starting) {
      // Still starting: its cancel path scancels; wait for it to finish.
      s.phase = 'stopping';
      this.changed.fire(s.cluster);
      starting.abort();
      return undefined;
    }
    s.phase = 'stopping';
    this.changed.fire(s.cluster);
    try {
      return await s.server?.stop();
    } finally {
      this.sessions.delete(key);
      this.changed.fire(s.cluster);
    }
  }

  /**
   * A fresh read of the cluster's jobs (squeue, recent ones included): a server whose job ended
   * without us (Cancel Slurm Job…, the time limit, a node failure) is closed and its row goes.
   */
  reconcile(cluster: string, jobs: SlurmJob[] | undefined, readAt: number | undefined): void {
    if (!jobs || !readAt) return;
    for (const s of this.list(cluster)) {
      if (s.phase !== 'running' || !s.server) continue;
      const job = jobs.find((j) => j.id === s.jobId);
      if (job && !isFinished(job.state)) continue;
      // Missing from a read that may have begun before the job was submitted: not yet a verdict.
      if (!job && readAt < s.server.startedAt + 60_000) continue;
      this.log?.info(`Slurm Jupyter: job ${s.jobId} on ${cluster} ended (${job?.state ?? 'gone from squeue'}); tunnel closed`);
      void this.stop(s.key).catch(() => undefined);
    }
  }

  private put(s: SlurmJupyterSession): void {
    this.sessions.set(s.key, s);
    this.changed.fire(s.cluster);
  }

  dispose(): void {
    // Window closing: nothing of ours may keep a compute node (and the user's allocation) busy.
    for (const ctl of this.aborts.values()) ctl.abort();
    for (const s of this.sessions.values()) void s.server?.stop().catch(() => undefined);
    this.changed.dispose();
  }
}
