import * as vscode from 'vscode';
import { cancelJobs, controlJobs, type JobControl } from '../../../core/slurm/slurmClient';
import { isFinished } from '../../../core/slurm/slurmParse';
import { withCancellableProgress } from '../../progress';
import { jobIsHeld } from '../clusterNodes';
import { pickJob, type JobTarget, type SlurmCommandDeps } from './slurmCommandDeps';

type Action = 'cancel' | JobControl;

const verbs: Record<Action, [string, string]> = {
  cancel: ['Cancel', 'cancelled'],
  hold: ['Hold', 'held'],
  release: ['Release', 'released'],
  requeue: ['Requeue', 'requeued'],
};

/**
 * Slurm: Cancel / Hold / Release / Requeue Job — scancel or scontrol on the login node, then the
 * cluster is read again. Cancelling asks first: the tasks get SIGTERM (phase workers release
 * their claims), then SIGKILL after the cluster's KillWait.
 */
export async function controlSlurmJob(deps: SlurmCommandDeps, action: Action, arg?: JobTarget): Promise<boolean> {
  const [verb, done] = verbs[action];
  const filter =
    action === 'release'
      ? jobIsHeld
      : action === 'hold'
        ? (j: { state: string; reason?: string }) => j.state === 'PENDING' && !/Held/i.test(j.reason ?? '')
        : (j: { state: string }) => !isFinished(j.state) || action === 'requeue';
  const job = await pickJob(deps, arg, verb, filter);
  if (!job) return false;
  if (action === 'cancel') {
    const ok = await vscode.window.showWarningMessage(
      `Cancel ${job.label} on ${job.host}?`,
      {
        modal: true,
        detail: `Slurm sends its tasks SIGTERM, then SIGKILL. Phase workers release the entries they hold; other jobs stop where they are.${job.tasks > 1 ? ` All ${job.tasks} tasks are cancelled.` : ''}`,
      },
      'Cancel Job',
    );
    if (ok !== 'Cancel Job') return false;
  }
  await withCancellableProgress(`Airlock: ${verb.toLowerCase()} ${job.label} on ${job.host}…`, async (signal) => {
    const runner = deps.hosts.runner(job.host);
    if (action === 'cancel') await cancelJobs(runner, [job.id], { signal });
    else await controlJobs(runner, action, [job.id], { signal });
  });
  await deps.clusters.load(job.host);
  void vscode.window.showInformationMessage(`Airlock: ${job.label} on ${job.host} ${done}.`);
  return true;
}
