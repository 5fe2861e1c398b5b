import { isCancelled } from '../process/errors';
import type { ExecResult } from '../process/exec';
import type { HostRunner } from '../hosts/types';
import type { JobRegistry } from '../jobs/jobRegistry';
import type { LogStore, LogStreamKind } from './logStore';
import { errorMessage } from '../text/errorMessage';

export interface RunLoggedOptions {
  runner: HostRunner;
  title: string;
  /** Where Live Logs files the stream (see LogStore.create). */
  group?: string[];
  command: string;
  kind?: LogStreamKind;
  logs: LogStore;
  jobs: JobRegistry;
  cwd?: string;
  timeoutMs?: number;
}

export interface RunLoggedHandle {
  streamId: string;
  jobId: string;
  /** Settles when the command ends: the exit status, or undefined when cancelled. */
  done: Promise<ExecResult | undefined>;
}

/**
 * Runs a command on a host as a visible, cancellable job whose stdout and stderr stream into a
 * Live Logs stream. Never rejects: failures end up in the stream and its state.
 */
export function runLogged(opts: RunLoggedOptions): RunLoggedHandle {
  const { logs, jobs, runner } = opts;
  const streamId = logs.create({ title: opts.title, source: runner.host.name, kind: opts.kind ?? 'command', ...(opts.group ? { group: opts.group } : {}) });
  const { job, signal } = jobs.start({ title: opts.title, host: runner.host.name, logStreamId: streamId });
  const done = runner
    .exec(opts.command, {
      signal,
      cwd: opts.cwd,
      timeoutMs: opts.timeoutMs,
      onStdout: (l) => logs.append(streamId, [l]),
      onStderr: (l) => logs.append(streamId, [l], true),
    })
    .then(
      (r) => {
        const ok = r.code === 0;
        if (r.timedOut) logs.append(streamId, [`[airlock] timed out after ${Math.round((opts.timeoutMs ?? 0) / 1000)} s and was stopped`], true);
        else if (!ok) logs.append(streamId, [`[airlock] exited with ${r.code ?? r.signal}`], true);
        logs.close(streamId, ok ? 'done' : 'failed', r.code);
        jobs.finish(job.id, ok ? 'done' : 'failed');
        return r;
      },
      (err: unknown) => {
        if (isCancelled(err)) {
          logs.append(streamId, ['[airlock] cancelled — the process group was stopped'], true);
          logs.close(streamId, 'cancelled');
          jobs.finish(job.id, 'cancelled');
          return undefined;
        }
        logs.append(streamId, [`[airlock] ${errorMessage(err)}`], true);
        logs.close(streamId, 'failed');
        jobs.finish(job.id, 'failed');
        return undefined;
      },
    );
  return { streamId, jobId: job.id, done };
}
