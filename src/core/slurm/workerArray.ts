// Phase workers as a Slurm job array: the sbatch script Airlock writes, and its submission through
// the login node. Each array task clones the queue into node-local scratch ($TMPDIR, else /tmp),
// runs `airlock worker` there, and removes the clone when the worker exits. The git queue keeps
// every entry to one run; Slurm only decides where and when a task runs.
import { shellJoin, shellQuote } from '../shell/quote';
import type { HostRunner } from '../hosts/types';
import { SlurmError, slurmExec, type SlurmCall } from './slurmClient';

export interface WorkerArrayOptions {
  /** Array size: tasks `0..workers-1`. */
  workers: number;
  /** git URL of the queue as the compute nodes reach it. */
  remoteUrl: string;
  /** Path of the CLI on the cluster's shared home (`~/.airlock/bin/airlock.js`). */
  cliPath: string;
  jobName?: string;
  partition?: string;
  /** e.g. `gpu:1` or `gpu:a100:2`. */
  gres?: string;
  /** Slurm time format: `4:00:00`, `30`, `1-00:00:00`. */
  time?: string;
  /** Seconds before the time limit that the batch shell is warned with SIGUSR1 and stops the worker (Slurm may send it up to 60 s early). Default 120. */
  signalSec?: number;
  /** Let Slurm requeue preempted / failed-node tasks (`--requeue`); a requeued task clones afresh. */
  requeue?: boolean;
  /** Only these phases (default: the runner's phases from the plan). */
  phases?: string[];
  /** GPU memory for the VRAM rule; default: the worker reads nvidia-smi, which sees only the task's GPUs. */
  vramGb?: number;
  /** More sbatch options, passed as they are (e.g. `--account=lab`, `--mem=16G`). */
  sbatchArgs?: string[];
  /** Max tasks running at once (`--array=0-N%K`). */
  maxParallel?: number;
}

export const slurmTime = /^(\d+-)?\d+(:\d{1,2}){0,2}$|^\d+-\d+$/;
export const gresPattern = /^[A-Za-z0-9_]+(:[A-Za-z0-9_.-]+)*(,[A-Za-z0-9_]+(:[A-Za-z0-9_.-]+)*)*$/;

/** Checks options before anything reaches the cluster; messages name the flag. */
export function checkWorkerArrayOptions(o: WorkerArrayOptions): void {
  if (!Number.isInteger(o.workers) || o.workers < 1 || o.workers > 10_000) throw new SlurmOptionError('--workers', 'must be an integer 1-10000');
  if (o.time !== undefined && !slurmTime.test(o.time))
    throw new SlurmOptionError('--time', `"${o.time}" is not a Slurm time (minutes, MM:SS, HH:MM:SS, D-HH:MM:SS)`);
  if (o.gres !== undefined && !gresPattern.test(o.gres)) throw new SlurmOptionError('--gres', `"${o.gres}" is not a GRES request like gpu:1 or gpu:a100:2`);
  if (o.partition !== undefined && !/^[A-Za-z0-9_.,-]+$/.test(o.partition))
    throw new SlurmOptionError('--partition', `"${o.partition}" is not a partition name`);
  if (o.signalSec !== undefined && (!Number.isInteger(o.signalSec) || o.signalSec < 0 || o.signalSec > 65535))
    throw new SlurmOptionError('--signal-sec', 'must be an integer 0-65535');
  for (const a of o.sbatchArgs ?? [])
    if (!a.startsWith('-') || /[\n\r]/.test(a)) throw new SlurmOptionError('--sbatch-arg', `"${a}" must be one sbatch option like --mem=16G`);
  for (const p of o.phases ?? []) if (!/^[A-Za-z0-9._-]+$/.test(p)) throw new SlurmOptionError('--phase', `"${p}" is not a phase name`);
}

export class SlurmOptionError extends Error {
  override readonly name = 'SlurmOptionError';
  constructor(
    readonly flag: string,
    problem: string,
  ) {
    super(`${flag} ${problem}`);
  }
}

/** The batch script. Resources go on the sbatch command line (see `sbatchArgv`); the script is the same for every size. */
export function workerArrayScript(o: WorkerArrayOptions): string {
  const cli = o.cliPath.startsWith('~/') ? `"$HOME"/${shellQuote(o.cliPath.slice(2))}` : shellQuote(o.cliPath);
  const worker = ['worker', '--host', '"$name"', ...(o.phases ?? []).flatMap((p) => ['--phase', shellQuote(p)])];
  if (o.vramGb !== undefined) worker.push('--vram-gb', String(o.vramGb));
  return [
    '#!/bin/bash',
    '# Written by Airlock (airlock phases submit): one phase worker per array task.',
    'set -u',
    'pid= stop=',
    // scancel, the time limit and preemption send SIGTERM to every process of the task, the worker
    // included: it releases its claim by itself, so this shell only waits for it (forwarding would
    // be a second SIGTERM, which forces the worker out without releasing). --signal=B:USR1@N warns
    // this shell alone ahead of the limit: that one it forwards, as the worker's single SIGTERM.
    'trap \'echo "[airlock] SIGTERM from Slurm (scancel, time limit or preemption): the worker releases its claim"\' TERM',
    'trap \'echo "[airlock] the time limit is near (--signal): stopping the worker, which releases its claim"; stop=1; [ -n "$pid" ] && kill -TERM $pid 2>/dev/null\' USR1',
    'task="${SLURM_ARRAY_JOB_ID:-$SLURM_JOB_ID}_${SLURM_ARRAY_TASK_ID:-0}"',
    // The claim names the node and the task, so the Phases view shows what runs where.
    'name="${SLURMD_NODENAME:-$(hostname -s)}.job${task}"',
    // A directory of its own (mktemp): job ids repeat (another cluster's task on a shared node, a
    // cluster that started its ids over) and a SIGKILLed run leaves its clone behind, so a path made
    // of job, task and restart alone may be taken — git then refuses to clone and the task fails.
    'clone=$(mktemp -d "${TMPDIR:-/tmp}/airlock-queue-${task}-r${SLURM_RESTART_COUNT:-0}.XXXXXX") || { echo "[airlock] could not make a scratch directory in ${TMPDIR:-/tmp}" >&2; exit 1; }',
    'echo "[airlock] task $task on ${SLURMD_NODENAME:-$(hostname)}: cloning the queue into $clone"',
    `git clone -q ${shellQuote(o.remoteUrl)} "$clone" || { echo "[airlock] could not clone the queue" >&2; rm -rf "$clone"; exit 1; }`,
    'cd "$clone" || exit 1',
    // Warned before the worker even started: nothing is claimed, nothing to start.
    '[ -n "$stop" ] && { cd / && rm -rf "$clone"; exit 0; }',
    `node ${cli} ${worker.join(' ')} &`,
    'pid=$!',
    'while :; do wait $pid; code=$?; kill -0 $pid 2>/dev/null || break; done',
    'cd / && rm -rf "$clone"',
    'echo "[airlock] worker exited ($code)"',
    'exit $code',
    '',
  ].join('\n');
}

/** sbatch's own options for the array (everything but the script path). `%x-%A_%a.out` under logDir. */
export function sbatchArgv(o: WorkerArrayOptions, logDir: string): string[] {
  const argv = [
    '--parsable',
    `--job-name=${o.jobName ?? 'airlock-workers'}`,
    `--array=0-${o.workers - 1}${o.maxParallel ? `%${o.maxParallel}` : ''}`,
    `--signal=B:USR1@${o.signalSec ?? 120}`,
    `--output=${logDir}/%x-%A_%a.out`,
    '--open-mode=append',
    o.requeue ? '--requeue' : '--no-requeue',
  ];
  if (o.partition) argv.push(`--partition=${o.partition}`);
  if (o.gres) argv.push(`--gres=${o.gres}`);
  if (o.time) argv.push(`--time=${o.time}`);
  argv.push(...(o.sbatchArgs ?? []));
  return argv;
}

export interface SubmittedArray {
  jobId: string;
  scriptPath: string;
  /** Where each task's output goes, with `%a` for the task. */
  outputPattern: string;
  command: string;
}

/** Writes the script to `~/.airlock/slurm/` on the login node and submits it; returns the array's job id. */
export async function submitWorkerArray(runner: HostRunner, o: WorkerArrayOptions, call: SlurmCall = {}): Promise<SubmittedArray> {
  checkWorkerArrayOptions(o);
  const stamp = `${new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '')}-${Math.random().toString(36).slice(2, 6)}`;
  const rel = `.airlock/slurm/workers-${stamp}.sbatch`;
  const argv = sbatchArgv(o, '"$HOME"/.airlock/slurm');
  // Every option is quoted but the log directory, which must expand $HOME on the login node.
  const quoted = argv.map((a) =>
    a.startsWith('--output=') ? `--output="$HOME"/.airlock/slurm/${shellQuote(`${o.jobName ?? 'airlock-workers'}-%A_%a.out`)}` : shellQuote(a),
  );
  const command = `sbatch ${quoted.join(' ')} "$HOME"/${shellQuote(rel)}`;
  const script = [
    'set -e',
    'mkdir -p "$HOME"/.airlock/slurm',
    `cat > "$HOME"/${shellQuote(rel)}`,
    `chmod +x "$HOME"/${shellQuote(rel)}`,
    'cd "$HOME"',
    command,
  ].join('\n');
  // stdin carries the script; `cat` writes it before sbatch reads it.
  const out = await slurmExec(runner, ['bash', '-c', script], { ...call, tool: 'sbatch', input: workerArrayScript(o) });
  const jobId = /^(\d+)/.exec(out.trim().split('\n').pop() ?? '')?.[1];
  if (!jobId) throw new SlurmError(`sbatch on ${runner.host.name} printed no job id: ${out.trim().slice(0, 200)}`, runner.host.name);
  return {
    jobId,
    scriptPath: `~/${rel}`,
    outputPattern: `~/.airlock/slurm/${o.jobName ?? 'airlock-workers'}-${jobId}_%a.out`,
    command: shellJoin(['sbatch', ...sbatchArgv(o, '~/.airlock/slurm'), `~/${rel}`]),
  };
}
