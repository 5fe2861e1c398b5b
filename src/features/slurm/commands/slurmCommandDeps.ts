// What the Slurm commands need, and how they find the cluster and the job they act on: the row
// they were invoked on, or a pick (cluster, then job) from the palette.
import * as vscode from 'vscode';
import { isFinished, type SlurmJob } from '../../../core/slurm/slurmParse';
import type { HostRunner } from '../../../core/hosts/types';
import type { HostsModel } from '../../hosts/hostsModel';
import { HostNode } from '../../hosts/hostNodes';
import type { ClusterModel } from '../clusterModel';
import { JobGroupNode, JobNode } from '../clusterNodes';

export interface SlurmCommandDeps {
  hosts: HostsModel;
  clusters: ClusterModel;
  /** Runs a command on a host as a job whose output streams into Live Logs. */
  runLogged(runner: HostRunner, title: string, command: string, kind: 'command' | 'tail'): void;
}

export type JobTarget = JobNode | JobGroupNode;
export type ClusterTarget = HostNode | string;

/** The cluster a command acts on: the row's host, a name, or a pick among the clusters. */
export async function pickCluster(deps: SlurmCommandDeps, arg: ClusterTarget | undefined, placeHolder: string): Promise<string | undefined> {
  if (arg instanceof HostNode) return arg.name;
  if (typeof arg === 'string') return arg;
  if (!deps.hosts.isLoaded) await deps.hosts.refresh();
  const names = deps.clusters.clusters();
  if (!names.length) {
    void vscode.window.showInformationMessage(
      'Airlock: no Slurm cluster among the hosts. A host whose login node has sbatch and sinfo is one once probed — or set "scheduler": "slurm" for it in .airlock/hosts.json.',
    );
    return undefined;
  }
  if (names.length === 1) return names[0];
  const picked = await vscode.window.showQuickPick(
    names.map((n) => ({ label: n, description: deps.hosts.host(n)?.spec.hostName ?? '' })),
    { placeHolder },
  );
  return picked?.label;
}

/** The job a command acts on: the row, or a pick among the cluster's jobs that `filter` keeps. */
export async function pickJob(
  deps: SlurmCommandDeps,
  arg: JobTarget | undefined,
  verb: string,
  filter: (j: SlurmJob) => boolean = (j) => !isFinished(j.state),
): Promise<{ host: string; id: string; label: string; tasks: number } | undefined> {
  if (arg instanceof JobGroupNode) return { host: arg.host, id: arg.jobId, label: `array ${arg.jobId} (${arg.group.name})`, tasks: arg.group.jobs.length };
  if (arg instanceof JobNode) return { host: arg.host, id: arg.jobId, label: `job ${arg.jobId} (${arg.job.name})`, tasks: 1 };
  const host = await pickCluster(deps, undefined, `${verb} a job on…`);
  if (!host) return undefined;
  await deps.clusters.load(host);
  const view = deps.clusters.view(host);
  if (view?.error) throw new Error(`could not read the jobs on ${host}: ${view.error}`);
  const jobs = (view?.jobs ?? []).filter(filter);
  if (!jobs.length) {
    void vscode.window.showInformationMessage(`Airlock: none of your jobs on ${host} to ${verb.toLowerCase()}.`);
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    jobs.map((j) => ({
      label: `${j.id} ${j.name}`,
      description: [j.state, j.partition, j.nodes, j.reason && j.reason !== 'None' ? `(${j.reason})` : ''].filter(Boolean).join(' · '),
      job: j,
    })),
    { placeHolder: `${verb} which job on ${host}?`, matchOnDescription: true },
  );
  return picked ? { host, id: picked.job.id, label: `job ${picked.job.id} (${picked.job.name})`, tasks: 1 } : undefined;
}
