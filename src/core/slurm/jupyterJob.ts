// A Jupyter server as a Slurm job: the sbatch script Airlock writes, its submission through the
// login node, the wait until it listens (saying why while it pends) and the cancel. The token is
// made here and reaches the server only through a 0600 file in the job's 0700 directory on the
// cluster's home (JUPYTER_TOKEN_FILE), never a command line; the port is the one the server writes
// into its runtime file (jpserver-<pid>.json), so two servers on one node never collide.
import { randomBytes } from 'node:crypto';
import { shellJoin, shellQuote } from '../shell/quote';
import { CancelledError, sleep, throwIfAborted } from '../process/errors';
import type { HostRunner } from '../hosts/types';
import { SlurmError, cancelJobs, slurmExec, type SlurmCall } from './slurmClient';
import { isFinished } from './slurmParse';
import { SlurmOptionError, gresPattern, slurmTime } from './workerArray';

export interface JupyterJobOptions {
  jobName?: string;
  partition?: string;
  /** e.g. `gpu:1`. */
  gres?: string;
  /** Slurm time format: `4:00:00`, `30`, `1-00:00:00`. */
  time?: string;
  /** More sbatch options, passed as they are (`--mem=16G`, `--cpus-per-task=4`, `--account=lab`). */
  sbatchArgs?: string[];
  /** Shell lines run on the node before the server starts (`module load python`, `source ~/venv/bin/activate`). */
  setup?: string;
}

export function checkJupyterJobOptions(o: JupyterJobOptions): void {
  if (o.time !== undefined && !slurmTime.test(o.time))
    throw new SlurmOptionError('--time', `"${o.time}" is not a Slurm time (minutes, MM:SS, HH:MM:SS, D-HH:MM:SS)`);
  if (o.gres !== undefined && !gresPattern.test(o.gres)) throw new SlurmOptionError('--gres', `"${o.gres}" is not a GRES request like gpu:1 or gpu:a100:2`);
  if (o.partition !== undefined && !/^[A-Za-z0-9_.,-]+$/.test(o.partition))
    throw new SlurmOptionError('--partition', `"${o.partition}" is not a partition name`);
  if (o.jobName !== undefined && !/^[A-Za-z0-9_.-]{1,64}$/.test(o.jobName)) throw new SlurmOptionError('--job-name', `"${o.jobName}" is not a job name`);
  for (const a of o.sbatchArgs ?? [])
    if (!a.startsWith('-') || /[\n\r]/.test(a)) throw new SlurmOptionError('--sbatch-arg', `"${a}" must be one sbatch option like --mem=16G`);
}

/** The batch script for the job whose directory is `~/<dir>`. */
export function jupyterJobScript(dir: string, o: JupyterJobOptions = {}): string {
  return [
    '#!/bin/bash',
    '# Written by Airlock (airlock slurm jupyter / Start Jupyter on Slurm…): one Jupyter server on the job’s node.',
    'set -u',
    `dir="$HOME"/${shellQuote(dir)}`,
    ...(o.setup ? ['# --setup', o.setup] : []),
    'node="${SLURMD_NODENAME:-$(hostname -s)}"',
    // The address slurmctld reaches the node at is the one the login node can forward to.
    'addr=$(scontrol show node -o "$node" 2>/dev/null | sed -n \'s/.* NodeAddr=\\([^ ]*\\).*/\\1/p\')',
    '[ -n "$addr" ] || addr=$(hostname -f 2>/dev/null || hostname)',
    'if command -v jupyter-server >/dev/null 2>&1; then jup=(jupyter-server)',
    'elif command -v jupyter >/dev/null 2>&1; then jup=(jupyter server)',
    'else echo "[airlock] no Jupyter server on $node: neither jupyter-server nor jupyter is on PATH (pip install jupyter_server ipykernel, or a --setup line that loads them)" >&2; exit 127; fi',
    'extra=()',
    '[ "$(id -u)" = 0 ] && extra+=(--allow-root)',
    // The token is read from its file by the server; it is in no argv and no environment a kernel inherits.
    'export JUPYTER_RUNTIME_DIR="$dir/runtime" JUPYTER_TOKEN_FILE="$dir/token"',
    'unset JUPYTER_TOKEN',
    'echo "[airlock] job $SLURM_JOB_ID on $node: starting ${jup[*]} on $addr"',
    // A random start port; the server moves on when it is taken and writes the one it got.
    'exec "${jup[@]}" --no-browser --ip="$addr" --port=$((20000 + RANDOM % 30000)) --ServerApp.port_retries=50 \\',
    '  --ServerApp.root_dir="${SLURM_SUBMIT_DIR:-$HOME}" ${extra[@]+"${extra[@]}"}',
    '',
  ].join('\n');
}

/** sbatch's own options (everything but the script path); the output goes into the job's directory. */
export function jupyterSbatchArgv(o: JupyterJobOptions, outputPath: string): string[] {
  const argv = ['--parsable', `--job-name=${o.jobName ?? 'airlock-jupyter'}`, `--output=${outputPath}`, '--no-requeue'];
  if (o.partition) argv.push(`--partition=${o.partition}`);
  if (o.gres) argv.push(`--gres=${o.gres}`);
  if (o.time) argv.push(`--time=${o.time}`);
  argv.push(...(o.sbatchArgs ?? []));
  return argv;
}

export interface SubmittedJupyterJob {
  jobId: string;
  /** The job's directory relative to the login node's HOME: token, script, output, runtime files. */
  dir: string;
  token: string;
  /** The sbatch command as run (paths with `~`). */
  command: string;
}

/** Writes the token, then the script, into a fresh 0700 directory under `~/.airlock/slurm/` and submits it. */
export async function submitJupyterJob(runner: HostRunner, o: JupyterJobOptions = {}, call: SlurmCall = {}): Promise<SubmittedJupyterJob> {
  checkJupyterJobOptions(o);
  const stamp = `${new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '')}-${randomBytes(3).toString('hex')}`;
  const dir = `.airlock/slurm/jupyter-${stamp}`;
  const token = randomBytes(24).toString('hex');
  const d = `"$HOME"/${shellQuote(dir)}`;
  const argv = jupyterSbatchArgv(o, 'OUT').map((a) => (a === '--output=OUT' ? `--output=${d}/job.out` : shellQuote(a)));
  const script = [
    'set -e',
    'umask 077',
    'mkdir -p "$HOME"/.airlock/slurm',
    `mkdir -m 700 ${d} ${d}/runtime`,
    // stdin: the token's line, then the script. `read` takes exactly one line; printf is a builtin (no argv).
    'IFS= read -r tok',
    `printf '%s' "$tok" > ${d}/token`,
    `cat > ${d}/jupyter.sbatch`,
    'cd "$HOME"',
    `sbatch ${argv.join(' ')} ${d}/jupyter.sbatch`,
  ].join('\n');
  throwIfAborted(call.signal);
  // Not the caller's signal: a cancel while sbatch runs would leave a job whose id we never read.
  // sbatch answers within its timeout; the caller checks its signal once the id is known.
  const out = await slurmExec(runner, ['bash', '-c', script], {
    timeoutMs: call.timeoutMs ?? 60_000,
    tool: 'sbatch',
    input: `${token}\n${jupyterJobScript(dir, o)}`,
  });
  const jobId = /^(\d+)/.exec(out.trim().split('\n').pop() ?? '')?.[1];
  if (!jobId) throw new SlurmError(`sbatch on ${runner.host.name} printed no job id: ${out.trim().slice(0, 200)}`, runner.host.name);
  const command = shellJoin(['sbatch', ...jupyterSbatchArgv(o, `~/${dir}/job.out`), `~/${dir}/jupyter.sbatch`]);
  return { jobId, dir, token, command };
}

export type JupyterJobProgress =
  | { kind: 'pending'; jobId: string; reason: string }
  | { kind: 'starting'; jobId: string; node: string }
  | { kind: 'listening'; jobId: string; node: string; address: string; port: number };

export interface JupyterJobState {
  /** squeue's state; undefined once Slurm forgot the job. */
  state?: string;
  reason?: string;
  node?: string;
  /** From the server's runtime file, once it listens. */
  server?: { address: string; port: number };
}

const marker = '---airlock-runtime---';

/** One look at the job: its squeue row and the server's runtime file. */
export async function readJupyterJob(runner: HostRunner, job: Pick<SubmittedJupyterJob, 'jobId' | 'dir'>, call: SlurmCall = {}): Promise<JupyterJobState> {
  const d = `"$HOME"/${shellQuote(job.dir)}`;
  const script = [
    `squeue -h --states=all -j ${job.jobId} -o '%T|%r|%N' 2>/dev/null || true`,
    `echo ${marker}`,
    `f=$(ls -t ${d}/runtime/jpserver-*.json 2>/dev/null | head -n 1)`,
    '[ -n "$f" ] && cat "$f"',
    'exit 0',
  ].join('\n');
  const out = await slurmExec(runner, ['bash', '-c', script], { ...call, tool: 'squeue' });
  const [rows = '', runtime = ''] = out.split(marker);
  const row = rows.trim().split('\n').filter(Boolean).pop();
  const s: JupyterJobState = {};
  if (row) {
    const [state, reason, node] = row.split('|');
    if (state) s.state = state.trim();
    if (reason && reason.trim() !== 'None') s.reason = reason.trim();
    if (node?.trim()) s.node = node.trim();
  }
  try {
    const info = JSON.parse(runtime.trim() || 'null') as { hostname?: string; port?: number } | null;
    if (info?.hostname && typeof info.port === 'number' && info.port > 0) s.server = { address: info.hostname, port: info.port };
  } catch {
    // Being written: the next look reads it whole.
  }
  return s;
}

export interface WaitForJupyterOptions extends SlurmCall {
  onProgress?: (p: JupyterJobProgress) => void;
  /** Between looks; default 2000. */
  intervalMs?: number;
}

/** Waits (as long as it takes; cancel with the signal) until the server wrote where it listens. */
export async function waitForJupyterJob(
  runner: HostRunner,
  job: Pick<SubmittedJupyterJob, 'jobId' | 'dir' | 'token'>,
  o: WaitForJupyterOptions = {},
): Promise<{ node: string; address: string; port: number }> {
  let said = '';
  const tell = (p: JupyterJobProgress) => {
    const key = JSON.stringify(p);
    if (key !== said) o.onProgress?.(p);
    said = key;
  };
  for (;;) {
    throwIfAborted(o.signal);
    const s = await readJupyterJob(runner, job, { signal: o.signal, timeoutMs: o.timeoutMs ?? 30_000 });
    if (!s.state || isFinished(s.state)) {
      const output = await jobOutputTail(runner, job, o.signal);
      throw new SlurmError(
        `the Jupyter job ${job.jobId} on ${runner.host.name} ${s.state ? `ended (${s.state}${s.reason ? `, ${s.reason}` : ''})` : 'is gone from squeue'} before its server listened${output ? `; its output ends:\n${output}` : ''}`,
        runner.host.name,
      );
    }
    if (s.state === 'PENDING') tell({ kind: 'pending', jobId: job.jobId, reason: s.reason ?? 'None' });
    else if (s.server && s.node) {
      const p = { kind: 'listening' as const, jobId: job.jobId, node: s.node, ...s.server };
      tell(p);
      return { node: p.node, address: p.address, port: p.port };
    } else tell({ kind: 'starting', jobId: job.jobId, node: s.node ?? '?' });
    await sleep(o.intervalMs ?? 2000, o.signal);
  }
}

/** The last lines the job wrote, its token masked (jupyter prints URLs with it). */
export async function jobOutputTail(runner: HostRunner, job: Pick<SubmittedJupyterJob, 'dir' | 'token'>, signal?: AbortSignal): Promise<string> {
  const r = await runner
    .exec(`tail -n 8 "$HOME"/${shellQuote(job.dir)}/job.out 2>/dev/null`, { signal: signal ?? AbortSignal.timeout(30_000), timeoutMs: 30_000 })
    .catch(() => undefined);
  return (r?.stdout ?? '').split(job.token).join('***').trim();
}

/**
 * scancel, then wait until the job left squeue's active states (the server got SIGTERM and shut its
 * kernels down), then remove the job's directory with its token. Works without the caller's signal:
 * it runs after a cancel.
 */
export async function stopJupyterJob(
  runner: HostRunner,
  job: Pick<SubmittedJupyterJob, 'jobId' | 'dir'>,
  o: { timeoutMs?: number } = {},
): Promise<string | undefined> {
  const signal = AbortSignal.timeout(o.timeoutMs ?? 120_000);
  const before = await readJupyterJob(runner, job, { signal, timeoutMs: 30_000 });
  if (before.state && !isFinished(before.state))
    await cancelJobs(runner, [job.jobId], { signal, timeoutMs: 30_000 }).catch(async (err: unknown) => {
      // It may have ended between the look and scancel ("already completing or completed").
      const now = await readJupyterJob(runner, job, { signal, timeoutMs: 30_000 });
      if (now.state && !isFinished(now.state)) throw err;
    });
  let last: string | undefined;
  for (;;) {
    const s = await readJupyterJob(runner, job, { signal, timeoutMs: 30_000 });
    last = s.state;
    if (!s.state || isFinished(s.state)) break;
    try {
      await sleep(1000, signal);
    } catch (err) {
      if (err instanceof CancelledError) throw new SlurmError(`job ${job.jobId} on ${runner.host.name} is still ${s.state} after scancel`, runner.host.name);
      throw err;
    }
  }
  await runner.exec(`rm -rf "$HOME"/${shellQuote(job.dir)}`, { signal, timeoutMs: 30_000 });
  return last;
}

/** Resolves with the job's final state when it ends on its own (time limit, node failure); rejects on abort. */
export async function waitForJobEnd(
  runner: HostRunner,
  job: Pick<SubmittedJupyterJob, 'jobId' | 'dir'>,
  o: { signal: AbortSignal; intervalMs?: number },
): Promise<string> {
  for (;;) {
    await sleep(o.intervalMs ?? 15_000, o.signal);
    const s = await readJupyterJob(runner, job, { signal: o.signal, timeoutMs: 30_000 }).catch((err: unknown) => {
      if (o.signal.aborted) throw new CancelledError();
      return { state: 'RUNNING', error: err } as JupyterJobState; // a failed look is not an ended job
    });
    if (!s.state || isFinished(s.state)) return s.state ?? 'GONE';
  }
}
