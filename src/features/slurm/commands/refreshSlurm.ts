import { pickCluster, type ClusterTarget, type SlurmCommandDeps } from './slurmCommandDeps';

/** Slurm: Refresh Cluster — reads partitions and jobs again now. */
export async function refreshSlurm(deps: SlurmCommandDeps, arg?: ClusterTarget): Promise<void> {
  const host = await pickCluster(deps, arg, 'Refresh which cluster?');
  if (!host) return;
  deps.clusters.watch(host);
  await deps.clusters.load(host);
  const err = deps.clusters.view(host)?.error;
  if (err) throw new Error(`${host}: ${err}`);
}
