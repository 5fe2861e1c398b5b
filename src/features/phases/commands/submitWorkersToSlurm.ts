import * as vscode from 'vscode';
import { viewIds } from '../../../ids';
import { checkWorkerArrayOptions, type WorkerArrayOptions } from '../../../core/slurm/workerArray';
import { errorMessage } from '../../../core/text/errorMessage';
import { withCancellableProgress } from '../../progress';
import { pickCluster, type ClusterTarget } from '../../slurm/commands/slurmCommandDeps';
import { type PhaseCommandDeps, requirePlan } from './phaseCommandDeps';

type Fields = Omit<WorkerArrayOptions, 'remoteUrl' | 'cliPath'>;

/** The message for one field, checked the way `airlock phases submit` checks its flags. */
function invalid(fields: Fields): string | undefined {
  try {
    checkWorkerArrayOptions({ ...fields, remoteUrl: 'x', cliPath: 'x' });
    return undefined;
  } catch (err) {
    return errorMessage(err);
  }
}

/**
 * Phases: Submit Phase Workers to Slurm… — the same job array as `airlock phases submit`: each task
 * clones the queue on its compute node and runs a worker; the git queue keeps every entry to one
 * run. The array's tasks then show under the cluster in the Hosts view.
 */
export async function submitWorkersToSlurm(deps: PhaseCommandDeps, arg?: ClusterTarget): Promise<string | undefined> {
  const { folder } = requirePlan(deps);
  const slurm = { hosts: deps.hosts.model, clusters: deps.hosts.clusters, runLogged: deps.hosts.commandDeps.runLogged };
  const host = await pickCluster(slurm, arg, 'Submit phase workers to which cluster?');
  if (!host) return undefined;
  const state = await withCancellableProgress(`Airlock: reading the partitions of ${host}…`, async () => {
    await deps.hosts.clusters.load(host);
    const v = deps.hosts.clusters.view(host);
    if (v?.error) throw new Error(`${host}: ${v.error}`);
    return v?.state;
  });
  const title = (step: number) => `Submit Phase Workers to ${host} (${step}/4)`;
  const workersText = await vscode.window.showInputBox({
    title: title(1),
    prompt: 'Array tasks: one phase worker each, placed by Slurm',
    value: '4',
    ignoreFocusOut: true,
    validateInput: (v) => (/^\d+$/.test(v.trim()) ? invalid({ workers: Number(v) }) : 'a whole number of tasks, e.g. 4'),
  });
  if (!workersText) return undefined;
  const workers = Number(workersText.trim());
  const parts = state?.partitions ?? [];
  let partition: string | undefined;
  if (parts.length) {
    const items = parts
      .map((p) => ({
        label: p.name,
        description: [
          p.name === state?.defaultPartition ? 'default' : '',
          p.gpusTotal ? `GPUs ${p.gpusTotal - p.gpusUsed}/${p.gpusTotal} free` : 'no GPUs',
          `${p.nodes.idle + p.nodes.mixed} of ${p.nodeCount} nodes free`,
        ]
          .filter(Boolean)
          .join(' · '),
        partition: p,
      }))
      .sort((a, b) => Number(b.partition.name === state?.defaultPartition) - Number(a.partition.name === state?.defaultPartition));
    const picked = await vscode.window.showQuickPick(items, { title: title(2), placeHolder: 'Partition', ignoreFocusOut: true });
    if (!picked) return undefined;
    partition = picked.label;
  }
  const hasGpus = parts.find((p) => p.name === partition)?.gpusTotal;
  const gres = await vscode.window.showInputBox({
    title: title(3),
    prompt: 'GRES per task (empty: none) — the worker sees only these GPUs for the VRAM rule',
    value: hasGpus ? 'gpu:1' : '',
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() ? invalid({ workers, gres: v.trim() }) : undefined),
  });
  if (gres === undefined) return undefined;
  const time = await vscode.window.showInputBox({
    title: title(4),
    prompt: 'Time limit per task (Slurm format: 30, 4:00:00, 1-00:00:00); each task is warned 120 s before and releases its claim',
    value: '4:00:00',
    ignoreFocusOut: true,
    validateInput: (v) => invalid({ workers, time: v.trim() }),
  });
  if (!time) return undefined;
  const r = await withCancellableProgress(`Airlock: submitting ${workers} phase workers to ${host}…`, async (signal, report) => {
    report('copying the Airlock CLI to the cluster when it differs, then sbatch');
    const { submitPhaseWorkers } = await import('../../../core/slurm/submitPhaseWorkers');
    return submitPhaseWorkers(deps.hosts.model.runner(host), {
      workers,
      ...(partition ? { partition } : {}),
      ...(gres.trim() ? { gres: gres.trim() } : {}),
      time: time.trim(),
      cloneDir: folder,
      localCliPath: deps.cliPath,
      signal,
    });
  });
  deps.hosts.clusters.watch(host);
  void deps.hosts.clusters.load(host);
  void vscode.window
    .showInformationMessage(
      `Airlock: job array ${r.jobId} (${workers} task${workers === 1 ? '' : 's'}) submitted to ${host}; output in ${r.outputPattern}.`,
      'Show in Hosts',
    )
    .then((a) => a && void vscode.commands.executeCommand(`${viewIds.hosts}.focus`));
  return r.jobId;
}
