// `airlock phases submit` and *Submit Phase Workers to Slurm…*: the queue's origin, the CLI on the
// cluster's home, then the job array — one call for both front doors.
import { git } from '../phases/git';
import { ensureRemoteCli } from '../phases/workerLaunch';
import { UserError } from '../errors/userError';
import type { HostRunner } from '../hosts/types';
import { checkWorkerArrayOptions, submitWorkerArray, type SubmittedArray, type WorkerArrayOptions } from './workerArray';

export interface SubmitPhaseWorkersOptions extends Omit<WorkerArrayOptions, 'remoteUrl' | 'cliPath'> {
  /** The local clone of the queue; its `origin` is what the tasks clone. */
  cloneDir: string;
  /** The bundled CLI on this machine (copied to ~/.airlock/bin/airlock.js on the login node when it differs). */
  localCliPath: string;
  /** Overrides origin (e.g. the URL as the compute nodes reach it). */
  remoteUrl?: string;
  signal?: AbortSignal;
}

export async function submitPhaseWorkers(runner: HostRunner, o: SubmitPhaseWorkersOptions): Promise<SubmittedArray & { remoteUrl: string }> {
  let remoteUrl = o.remoteUrl;
  if (!remoteUrl) {
    const origin = await git(o.cloneDir, ['remote', 'get-url', 'origin'], { allowFail: true });
    if (origin.code !== 0) throw new UserError(`${o.cloneDir} has no "origin" remote; the array's tasks need a remote to clone the queue from and push to.`);
    remoteUrl = origin.stdout.trim();
  }
  const { cloneDir: _c, localCliPath, signal, remoteUrl: _r, ...rest } = o;
  const opts: WorkerArrayOptions = { ...rest, remoteUrl, cliPath: '~/.airlock/bin/airlock.js' };
  checkWorkerArrayOptions(opts);
  opts.cliPath = await ensureRemoteCli(runner, localCliPath, signal);
  return { ...(await submitWorkerArray(runner, opts, { signal })), remoteUrl };
}
