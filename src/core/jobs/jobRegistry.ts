export type JobState = 'running' | 'done' | 'failed' | 'cancelled';

export interface JobProgress {
  done: number;
  total: number;
  message?: string;
}

export interface Job {
  id: string;
  title: string;
  host?: string;
  startedAt: number;
  state: JobState;
  progress?: JobProgress;
  /** The Live Logs stream showing this job's output. */
  logStreamId?: string;
}

interface Entry {
  job: Job;
  controller: AbortController;
}

/**
 * Long-running work the user can see and cancel (a command on a host, a tail, a sweep). Each job
 * owns an AbortController; cancelling aborts its signal, which reaches the process or SSH channel.
 */
export class JobRegistry {
  private readonly jobs = new Map<string, Entry>();
  private readonly listeners = new Set<() => void>();
  private seq = 0;

  onChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  start(init: { title: string; host?: string; logStreamId?: string }): { job: Job; signal: AbortSignal } {
    const controller = new AbortController();
    const job: Job = { id: `j${++this.seq}`, ...init, startedAt: Date.now(), state: 'running' };
    this.jobs.set(job.id, { job, controller });
    this.emit();
    return { job, signal: controller.signal };
  }

  progress(id: string, progress: JobProgress): void {
    const e = this.jobs.get(id);
    if (!e || e.job.state !== 'running') return;
    e.job.progress = progress;
    this.emit();
  }

  /** Marks the job finished; finished jobs leave the running list. */
  finish(id: string, state: Exclude<JobState, 'running'>): void {
    const e = this.jobs.get(id);
    if (!e) return;
    e.job.state = state;
    this.jobs.delete(id);
    this.emit();
  }

  cancel(id: string): boolean {
    const e = this.jobs.get(id);
    if (!e) return false;
    e.controller.abort();
    return true;
  }

  cancelAll(): void {
    for (const e of this.jobs.values()) e.controller.abort();
  }

  running(): Job[] {
    return [...this.jobs.values()].map((e) => e.job);
  }

  get(id: string): Job | undefined {
    return this.jobs.get(id)?.job;
  }

  private emit(): void {
    for (const l of this.listeners) l();
  }
}
