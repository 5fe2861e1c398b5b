// Talks to a Slurm cluster through its login node: every call is one shell command over the host's
// runner (our SSH layer, or this machine), never a library of Slurm's own.
import { shellJoin, shellQuote } from '../shell/quote';
import type { HostRunner } from '../hosts/types';
import { parseSinfo, parseSqueue, sinfoFields, squeueFormat, summarizePartitions, type SlurmJob, type SlurmPartition } from './slurmParse';

/** A Slurm command failed on the login node; the message carries what Slurm said. */
export class SlurmError extends Error {
  override readonly name = 'SlurmError';
  constructor(
    message: string,
    readonly host: string,
    readonly stderr = '',
  ) {
    super(message);
  }
}

export interface SlurmCall {
  signal?: AbortSignal;
  timeoutMs?: number;
}

/** Runs `argv` on the login node; throws SlurmError with Slurm's own words on a non-zero exit. */
export async function slurmExec(runner: HostRunner, argv: string[], o: SlurmCall & { input?: string; tool?: string } = {}): Promise<string> {
  // `command -v` first so a host without Slurm says so instead of "command not found" (exit 127).
  const tool = o.tool ?? argv[0]!;
  const script = `command -v ${shellQuote(tool)} >/dev/null 2>&1 || { echo "airlock: no ${tool} on this host" >&2; exit 127; }\n${shellJoin(argv)}`;
  const r = await runner.exec(script, { signal: o.signal, timeoutMs: o.timeoutMs ?? 60_000, ...(o.input !== undefined ? { input: o.input } : {}) });
  if (r.timedOut)
    throw new SlurmError(`${tool} on ${runner.host.name} did not answer within ${Math.round((o.timeoutMs ?? 60_000) / 1000)} s`, runner.host.name);
  if (r.code === 127)
    throw new SlurmError(
      `${runner.host.name} has no ${tool} — it is not a Slurm login node (or Slurm is not on PATH in a non-interactive shell; add it in ~/.bashrc before the interactive check)`,
      runner.host.name,
      r.stderr,
    );
  if (r.code !== 0) {
    const said = r.stderr.trim().split('\n').filter(Boolean).slice(-3).join('; ') || `exit code ${r.code ?? r.signal}`;
    throw new SlurmError(`${tool} on ${runner.host.name} failed: ${said}`, runner.host.name, r.stderr);
  }
  return r.stdout;
}

export interface ClusterState {
  partitions: SlurmPartition[];
  /** Partition marked default (`*` in sinfo), when there is one. */
  defaultPartition?: string;
}

export async function readCluster(runner: HostRunner, o: SlurmCall = {}): Promise<ClusterState> {
  const out = await slurmExec(runner, ['sinfo', '-h', '-N', '-O', sinfoFields], o);
  const partitions = summarizePartitions(parseSinfo(out.replace(/^(\S+?)\*\|/gm, '$1|')));
  const def = /^(\S+?)\*\|/m.exec(out)?.[1];
  return { partitions, ...(def ? { defaultPartition: def } : {}) };
}

export interface ListJobsOptions extends SlurmCall {
  /** Default: the login user's jobs (`--me`); `all` lists everyone's. */
  all?: boolean;
  /** Include jobs that ended in the last MinJobAge (squeue --states=all). */
  recent?: boolean;
  jobIds?: string[];
}

export async function listJobs(runner: HostRunner, o: ListJobsOptions = {}): Promise<SlurmJob[]> {
  const argv = ['squeue', '-h', '-o', squeueFormat];
  if (!o.all) argv.push('--me');
  if (o.recent) argv.push('--states=all');
  if (o.jobIds?.length) argv.push('-j', o.jobIds.join(','));
  return parseSqueue(await slurmExec(runner, argv, o));
}

const jobIdPattern = /^\d+(_(\d+|\[[\d,\-%]+\]))?$/;

/** `scancel` (whole arrays by their id, tasks as `123_4`). Slurm sends SIGTERM, then SIGKILL after KillWait. */
export async function cancelJobs(runner: HostRunner, ids: string[], o: SlurmCall = {}): Promise<void> {
  return jobAction(runner, ['scancel'], ids, o);
}

export type JobControl = 'hold' | 'release' | 'requeue';

export async function controlJobs(runner: HostRunner, action: JobControl, ids: string[], o: SlurmCall = {}): Promise<void> {
  return jobAction(runner, ['scontrol', action], ids, o);
}

async function jobAction(runner: HostRunner, argv: string[], ids: string[], o: SlurmCall): Promise<void> {
  for (const id of ids) if (!jobIdPattern.test(id)) throw new SlurmError(`"${id}" is not a Slurm job id (like 123 or 123_4)`, runner.host.name);
  if (!ids.length) return;
  await slurmExec(runner, [...argv, ...(argv[0] === 'scontrol' ? [ids.join(',')] : ids)], o);
}

export interface JobFiles {
  stdout?: string;
  stderr?: string;
  workDir?: string;
}

/** Where a job writes stdout/stderr (`scontrol show job`), with %j/%A/%a already expanded by Slurm. */
export async function jobFiles(runner: HostRunner, id: string, o: SlurmCall = {}): Promise<JobFiles> {
  if (!jobIdPattern.test(id)) throw new SlurmError(`"${id}" is not a Slurm job id (like 123 or 123_4)`, runner.host.name);
  const out = await slurmExec(runner, ['scontrol', 'show', 'job', '-o', id], o);
  const field = (k: string) => new RegExp(`(?:^|\\s)${k}=(\\S+)`).exec(out)?.[1];
  const files: JobFiles = {};
  const so = field('StdOut');
  const se = field('StdErr');
  const wd = field('WorkDir');
  if (so) files.stdout = so;
  if (se) files.stderr = se;
  if (wd) files.workDir = wd;
  return files;
}
