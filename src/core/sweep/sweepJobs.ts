// The steps of a case on the hosts: start a background role, stop it (by process group), run the
// foreground role with its timeout, reinstall, and copy a log home over SFTP — each reporting role
// events and, on failure, a SweepStepError whose message becomes the case's reason.
import { rm } from 'node:fs/promises';
import { isCancelled } from '../process/errors';
import { pgidMarker } from '../hosts/remoteCommand';
import type { ExecResult } from '../process/exec';
import { pyPathStr } from '../analysis/pyPath';
import { clientScript, reinstallScript, startScript, stopScript } from './remoteScripts';
import { scpArgv, type RoleHost } from './roleHosts';
import { shlexJoin } from './shlex';
import type { CaseRef } from './sweepEvents';
import type { JobPlan } from './sweepPlan';
import { bounded, SweepStepError, type SweepSession } from './sweepSession';

/** A log copy that takes longer than this is given up (a log is megabytes, not gigabytes). */
const downloadLimitMs = 10 * 60_000;

/** A background job that was (or may have been) started; stopping it is always attempted. */
export interface ActiveJob {
  ref: CaseRef;
  job: JobPlan;
  stopTail: () => Promise<void>;
}

// The runner's process-group marker can reach stderr when the login shell wrote first; it is no reason.
const stderrLines = (r: ExecResult) => r.stderr.split('\n').filter((l) => l.trim() && !l.startsWith(pgidMarker));
const lastLine = (r: ExecResult) => stderrLines(r).pop() ?? r.stdout.trim().split('\n').pop() ?? '';
const failure = (what: string, r: ExecResult) => `${what} (exit ${r.code ?? r.signal})${lastLine(r) ? `: ${lastLine(r)}` : ''}`;

/** Starts a background role. The job is pushed onto `active` first, so a half-finished start is still stopped. */
export async function startBackground(s: SweepSession, ref: CaseRef, job: JobPlan, active: ActiveJob[]): Promise<void> {
  const entry: ActiveJob = { ref, job, stopTail: async () => undefined };
  active.push(entry);
  const base = { ...ref, role: job.role, host: job.host.host };
  s.emit('role', { ...base, state: 'starting' });
  let r: ExecResult;
  try {
    r = await s.exec(job.role, job.host, startScript(s.plan.style, job.name, job.log, job.jobCmd), { timeoutSec: 120 });
  } catch (err) {
    s.emit('role', { ...base, state: 'failed', reason: (err as Error).message });
    throw err;
  }
  s.echo(r);
  if (r.code !== 0) {
    const reason = failure(`could not start ${job.role} on ${job.host.host}`, r);
    s.emit('role', { ...base, state: 'failed', reason });
    throw new SweepStepError(reason);
  }
  const pid = Number(/PID=(\d+)/.exec(r.stdout)?.[1]) || undefined;
  s.emit('role', { ...base, state: 'running', pid, startedAt: Date.now() });
  entry.stopTail = s.tail(ref, job.role, job.host, job.log);
}

/** Stops a background role's whole process group. Returns a reason when that could not be confirmed. */
export async function stopBackground(s: SweepSession, a: ActiveJob): Promise<string | undefined> {
  const { job, ref } = a;
  const base = { ...ref, role: job.role, host: job.host.host };
  s.emit('role', { ...base, state: 'stopping' });
  s.closeTail(a.stopTail);
  try {
    const r = await s.exec(job.role, job.host, stopScript(job.name, job.log, s.plan.schedule.stopGraceSec), { timeoutSec: s.plan.schedule.stopGraceSec + 60 });
    s.echo(r);
    if (r.code === 0 && r.stdout.includes('ALREADY_EXITED')) {
      const reason = `${job.role} on ${job.host.host} had exited on its own before the case ended (see ${job.log.split('/').pop()})`;
      s.emit('role', { ...base, state: 'exited', reason });
      return reason;
    }
    if (r.code === 0) return void s.emit('role', { ...base, state: 'stopped' });
    const reason = failure(`could not stop ${job.role} on ${job.host.host}`, r);
    s.print(`${s.prefix} WARN stop failed role=${job.role} name=${job.name}: ${reason}`);
    s.emit('role', { ...base, state: 'failed', reason });
    return reason;
  } catch (err) {
    const reason = `could not stop ${job.role}: ${(err as Error).message}`;
    s.print(`${s.prefix} WARN stop failed role=${job.role} name=${job.name}: ${(err as Error).message}`);
    s.emit('role', { ...base, state: 'failed', reason });
    return reason;
  }
}

/** Runs the foreground role to completion; a non-zero exit, the timeout or a lost host fails the case. */
export async function runForeground(s: SweepSession, ref: CaseRef, job: JobPlan, timeoutSec: number): Promise<void> {
  const base = { ...ref, role: job.role, host: job.host.host };
  const startedAt = Date.now();
  s.emit('role', { ...base, state: 'starting' });
  const stopTail = s.tail(ref, job.role, job.host, job.log);
  let r: ExecResult;
  try {
    r = await s.exec(job.role, job.host, clientScript(s.plan.style, job.log, job.jobCmd), {
      timeoutSec,
      cancellable: true,
      onStdout: (line) => {
        const pid = /^CLIENT_PID=(\d+)$/.exec(line)?.[1];
        if (pid) s.emit('role', { ...base, state: 'running', pid: Number(pid), startedAt });
      },
    });
  } catch (err) {
    s.closeTail(stopTail);
    s.emit('role', { ...base, state: 'failed', reason: isCancelled(err) ? 'cancelled' : (err as Error).message });
    throw err;
  }
  s.closeTail(stopTail);
  s.echo(r);
  if (s.dryRun) s.emit('role', { ...base, state: 'running', startedAt });
  // The command's own output went to the log; only stderr (the shell's complaints) says anything here.
  const why = stderrLines(r).pop();
  const reason = r.timedOut
    ? `${job.role} timed out after ${timeoutSec}s`
    : r.code !== 0
      ? `${job.role} exited with ${r.code === null ? `signal ${r.signal}` : `code ${r.code}`} on ${job.host.host}${why ? `: ${why}` : ''}`
      : undefined;
  s.emit('role', { ...base, state: reason ? 'failed' : 'exited', exitCode: r.code, reason });
  if (reason) throw new SweepStepError(reason);
}

/** `reinstall_cmd` on one host (once per host/port/repo); a failure fails the case before anything starts. */
export async function reinstall(s: SweepSession, role: string, host: RoleHost, jobCmd: string): Promise<void> {
  s.print(`${s.prefix} reinstall editable package on role=${role} host=${host.address}`);
  const r = await s.exec(role, host, reinstallScript(jobCmd), { timeoutSec: s.plan.schedule.reinstallTimeoutSec, cancellable: true });
  s.echo(r);
  if (r.code !== 0) throw new SweepStepError(r.timedOut ? `reinstall on ${host.host} timed out` : failure(`reinstall failed on ${host.host}`, r));
}

/** Copies one remote log home (SFTP), printing the equivalent scp command. False, with a WARN line, if it could not. */
export async function fetchLog(
  s: SweepSession,
  prefix: string,
  host: RoleHost,
  remote: string,
  local: string,
  warn: (msg: string) => string,
): Promise<boolean> {
  s.print(`${prefix} $ ${shlexJoin(scpArgv(host, remote, pyPathStr(local)))}`);
  if (s.dryRun) return true;
  try {
    const limit = AbortSignal.timeout(downloadLimitMs);
    await bounded(s.runner(host).download(remote, local, limit), downloadLimitMs + 5000, `no answer from ${host.host} while copying ${remote}`);
    s.emit('file', { path: local, kind: 'log' });
    return true;
  } catch (err) {
    // SFTP may have created an empty file before the remote one turned out missing; scp would not have.
    await rm(local, { force: true }).catch(() => undefined);
    s.print(warn((err as Error).message));
    return false;
  }
}
