// `airlock phases submit --cluster HOST --workers N …`: phase workers as a Slurm job array.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CliContext } from '../types';
import { InputError, UsageError } from '../errors';
import { numberFlag } from '../flags';
import { parseOptions } from '../parseOptions';
import { submitPhaseWorkers } from '../../core/slurm/submitPhaseWorkers';
import { checkWorkerArrayOptions, sbatchArgv, workerArrayScript, type WorkerArrayOptions } from '../../core/slurm/workerArray';
import { asUsage, clusterFlags, clusterFlagsUsage, openCluster } from './slurmShared';

export const submitUsage = `Usage:
  airlock phases submit --cluster HOST --workers N [--partition P] [--gres gpu:1] [--time 4:00:00]
                        [--signal-sec 120] [--requeue] [--phase P]... [--vram-gb N] [--max-parallel K]
                        [--sbatch-arg OPTION]... [--remote URL] [--job-name NAME] [--dry-run]
Submits a job array of N tasks on the cluster HOST (its login node); each task clones the queue into
$TMPDIR on its compute node and runs "airlock worker" there. Run it in a clone of the queue.
Options:
  --cluster HOST     the login node (a host from "airlock hosts list")
  --workers N        array tasks (one worker each)
  --signal-sec S     warn the task S seconds before --time (SIGUSR1); its worker releases its claim and exits (default 120)
  --requeue          let Slurm requeue a preempted task (it clones afresh and goes on)
  --sbatch-arg OPT   any other sbatch option, e.g. --sbatch-arg=--account=lab (repeatable)
  --remote URL       the queue's git URL as compute nodes reach it (default: this clone's origin)
  --dry-run          print the sbatch command and script; submit nothing
${clusterFlagsUsage}`;

export async function runPhasesSubmit(args: string[], ctx: CliContext): Promise<number> {
  const { values } = parseOptions(
    {
      args,
      options: {
        ...clusterFlags,
        cluster: { type: 'string' },
        workers: { type: 'string' },
        partition: { type: 'string' },
        gres: { type: 'string' },
        time: { type: 'string' },
        'signal-sec': { type: 'string' },
        requeue: { type: 'boolean' },
        phase: { type: 'string', multiple: true },
        'vram-gb': { type: 'string' },
        'max-parallel': { type: 'string' },
        'sbatch-arg': { type: 'string', multiple: true },
        remote: { type: 'string' },
        'job-name': { type: 'string' },
        'dry-run': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    },
    submitUsage,
  );
  if (values.help) return (ctx.stdout.write(submitUsage + '\n'), 0);
  if (!values.cluster) throw new UsageError(`--cluster is required\n${submitUsage}`);
  if (values.workers === undefined) throw new UsageError(`--workers is required\n${submitUsage}`);
  if (values['job-name'] !== undefined && !/^[A-Za-z0-9._-]{1,64}$/.test(values['job-name']))
    throw new UsageError(`--job-name must be 1-64 letters, digits, ".", "_" or "-"`);
  const opts: Omit<WorkerArrayOptions, 'remoteUrl' | 'cliPath'> = {
    workers: numberFlag('--workers', values.workers, { min: 1 })!,
    ...(values.partition !== undefined ? { partition: values.partition } : {}),
    ...(values.gres !== undefined ? { gres: values.gres } : {}),
    ...(values.time !== undefined ? { time: values.time } : {}),
    ...(values['signal-sec'] !== undefined ? { signalSec: numberFlag('--signal-sec', values['signal-sec'], { min: 0 })! } : {}),
    ...(values.requeue ? { requeue: true } : {}),
    ...(values.phase ? { phases: values.phase } : {}),
    ...(values['vram-gb'] !== undefined ? { vramGb: numberFlag('--vram-gb', values['vram-gb'], { min: 0 })! } : {}),
    ...(values['max-parallel'] !== undefined ? { maxParallel: numberFlag('--max-parallel', values['max-parallel'], { min: 1 })! } : {}),
    ...(values['sbatch-arg'] ? { sbatchArgs: values['sbatch-arg'] } : {}),
    ...(values['job-name'] !== undefined ? { jobName: values['job-name'] } : {}),
  };
  try {
    checkWorkerArrayOptions({ ...opts, remoteUrl: '', cliPath: '' });
  } catch (err) {
    throw asUsage(err);
  }
  if (values['dry-run']) {
    const full = { ...opts, remoteUrl: values.remote ?? '<origin of this clone>', cliPath: '~/.airlock/bin/airlock.js' };
    ctx.stdout.write(
      `# on ${values.cluster}:\nsbatch ${sbatchArgv(full, '~/.airlock/slurm').join(' ')} ~/.airlock/slurm/workers-<time>.sbatch\n\n${workerArrayScript(full)}`,
    );
    return 0;
  }
  // The CLI copies itself to the cluster: only the bundled single file can run there.
  const self = resolve(process.argv[1] ?? '');
  if (!self.endsWith('.js') || !existsSync(self)) throw new InputError(`phases submit must run from the bundled CLI (dist/cli.js), not ${self}`);
  const cluster = await openCluster(values.cluster, values, ctx, submitUsage);
  try {
    const r = await submitPhaseWorkers(cluster.runner, {
      ...opts,
      cloneDir: process.cwd(),
      localCliPath: self,
      ...(values.remote !== undefined ? { remoteUrl: values.remote } : {}),
      signal: ctx.signal,
    });
    ctx.stdout.write(`${r.jobId}\n`);
    ctx.stderr.write(
      `airlock phases submit: job array ${r.jobId} (${opts.workers} task(s)) on ${values.cluster}; output ${r.outputPattern}; cancel with "airlock slurm cancel ${values.cluster} ${r.jobId}"\n`,
    );
    return 0;
  } finally {
    cluster.dispose();
  }
}
